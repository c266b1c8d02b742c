fof(a01, axiom, ![X]: (human(X) => mortal(X))).
fof(a02, axiom, human(socrates)).
fof(a03, axiom, greek(plato)).
fof(goal, conjecture, mortal(plato)).
