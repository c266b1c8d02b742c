include('no/such/file.ax').
fof(goal, conjecture, p(a)).
