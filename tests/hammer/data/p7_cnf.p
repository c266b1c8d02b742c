cnf(c1, axiom, ~human(X) | mortal(X)).
cnf(c2, axiom, human(socrates)).
cnf(c3, axiom, dog(fido)).
cnf(c4, negated_conjecture, ~mortal(socrates)).
