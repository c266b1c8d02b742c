fof(a1, axiom, p(a)).
fof(a2, axiom, (p(X) => ).
fof(goal, conjecture, p(a)).
