fof(a1, axiom, p(a)).
