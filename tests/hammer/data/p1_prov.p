% Provable; needs exactly a02 and a07 of 10 axioms.
fof(a01_dog_animal, axiom, ![X]: (dog(X) => animal(X))).
fof(a02_human_mortal, axiom, ![X]: (human(X) => mortal(X))).
fof(a03_cat_animal, axiom, ![X]: (cat(X) => animal(X))).
fof(a04_fido_dog, axiom, dog(fido)).
fof(a05_animal_alive, axiom, ![X]: (animal(X) => alive(X))).
fof(a06_plato_greek, axiom, greek(plato)).
fof(a07_socrates_human, axiom, human(socrates)).
fof(a08_greek_philo, axiom, ![X]: (greek(X) => (philosopher(X) | poet(X)))).
fof(a09_tom_cat, axiom, cat(tom)).
fof(a10_distinct, axiom, (socrates != fido & fido != tom)).
fof(goal, conjecture, mortal(socrates)).
