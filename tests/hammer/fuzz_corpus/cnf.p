cnf(c, negated_conjecture, ~ p(X) | q("dis\"tinct", 12, -3) | X != Y).
/* block */ % line
