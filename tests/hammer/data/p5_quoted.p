fof('List.app_nil_l', axiom, ![L]: 'app'(nil,L) = L).
fof('Datatypes.length_nil', axiom, length(nil) = '0').
fof('Datatypes.length cons', axiom, ![X,L]: length(cons(X,L)) = s(length(L))).
fof('unused fact', axiom, ![X]: 'p q'(X)).
fof('my goal', conjecture, length(app(nil,cons(a,nil))) = s('0')).
