tff(nat_type, type, nat: $tType).
tff(list_type, type, list: $tType).
tff(zero_decl, type, zero: nat).
tff(s_decl, type, s: nat > nat).
tff(nil_decl, type, nil: list).
tff(cons_decl, type, cons: (nat * list) > list).
tff(len_decl, type, len: list > nat).
tff(even_decl, type, even: nat > $o).
tff(len_nil, axiom, len(nil) = zero).
tff(len_cons, axiom, ![X: nat, L: list]: len(cons(X,L)) = s(len(L))).
tff(even_zero, axiom, even(zero)).
tff(even_ss, axiom, ![N: nat]: (even(N) => even(s(s(N))))).
tff(goal, conjecture, even(len(cons(zero, cons(zero, nil))))).
