fof('List.app_nilatypes.length cons', axiom, ![X,L]: length(cons(X,L)) = s(length(L))).
fof('unused fact', axiom, ![X]: 'p q'(X)).
fof('my goal', conjecture, length(app(nil,cons(a,nil))) = '0'(s)).
