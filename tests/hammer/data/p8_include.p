include('sub/animals.ax', [a02_human_mortal]).
fof(a07_socrates_human, axiom, human(socrates)).
fof(goal, conjecture, mortal(socrates)).
