% Robbins: true, hopeless within seconds (used for timeouts).
fof(comm, axiom, ![X,Y]: p(X,Y) = p(Y,X)).
fof(assoc, axiom, ![X,Y,Z]: p(p(X,Y),Z) = p(X,p(Y,Z))).
fof(robbins, axiom, ![X,Y]: n(p(n(p(X,Y)),n(p(X,n(Y))))) = X).
fof(huntington, conjecture, ![X,Y]: p(n(p(n(X),Y)),n(p(n(X),n(Y)))) = X).
