% MPTP-style numerals used as individuals.
fof(a1, axiom, succ(1) = 2).
fof(a2, axiom, succ(2) = 3).
fof(a3, axiom, ![X]: (succ(X) = 3 => small(X))).
fof(goal, conjecture, small(2)).
