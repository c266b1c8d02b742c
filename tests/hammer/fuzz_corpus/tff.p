tff(t, type, 'a b': $tType).
tff(f, type, f: ('a b' * $i) > $o).
tff(x, axiom, ? [X: 'a b', Y] : f(X, Y)).
