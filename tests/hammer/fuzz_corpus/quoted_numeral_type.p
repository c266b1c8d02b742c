tff('7', type, '7': $tType).
tff(c, type, c: '7').
tff(d, type, '$': $tType).
tff(f, type, '0': ('7' * '$') > $o).
tff(g, conjecture, ![X: '$']: '0'(c, X)).
