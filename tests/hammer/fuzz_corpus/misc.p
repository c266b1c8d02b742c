include('x.ax', [a, 'b c', 7]).
fof(a, axiom, (p <~> q) & (r ~| s) & (t ~& u) & (v <= w) & $true & ~$false, [annotation(x), [1,2]]).
