/* Equality: needs app_nil, app_cons, len_nil, len_cons. */
fof(app_nil, axiom, ![L]: app(nil,L) = L).
fof(app_cons, axiom, ![X,L1,L2]: app(cons(X,L1),L2) = cons(X,app(L1,L2))).
fof(len_nil, axiom, len(nil) = zero).
fof(len_cons, axiom, ![X,L]: len(cons(X,L)) = s(len(L))).
fof(rev_nil, axiom, rev(nil) = nil).
fof(rev_cons, axiom, ![X,L]: rev(cons(X,L)) = app(rev(L),cons(X,nil))).
fof(plus_zero, axiom, ![N]: plus(zero,N) = N).
fof(plus_s, axiom, ![M,N]: plus(s(M),N) = s(plus(M,N))).
fof(nil_not_cons, axiom, ![X,L]: nil != cons(X,L)).
fof(s_inj, axiom, ![M,N]: (s(M) = s(N) => M = N)).
fof(goal, conjecture, len(app(cons(a,nil),cons(b,nil))) = s(s(zero))).
