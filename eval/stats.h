// The statistics `thor eval report` prints beside pass rates: Wilson score
// intervals for a rate, and the exact McNemar test for two runs on the same
// theorems.
#ifndef THOR_EVAL_STATS_H_
#define THOR_EVAL_STATS_H_

namespace thor::eval {

struct Interval {
  double low = 0;
  double high = 1;
};

// The 95% Wilson score interval of `successes` out of `trials` (as
// fractions in [0, 1]). Unlike the normal approximation it stays inside
// [0, 1] and is sensible at 0 or `trials` successes, which small suites hit.
// [0, 1] when `trials` is 0. REQUIRES: 0 <= successes <= trials.
Interval WilsonInterval(int successes, int trials);

// The two-sided p-value of the exact McNemar test: `only_a` theorems solved
// by A and not B, `only_b` the reverse (the discordant pairs). Under "A and B
// are equally strong" each discordant theorem goes either way with
// probability 1/2, so p = min(1, 2 * P[Binomial(n, 1/2) <= min(only_a,
// only_b)]) with n = only_a + only_b. 1 when there is no discordant pair.
double McNemarExactP(int only_a, int only_b);

}  // namespace thor::eval

#endif  // THOR_EVAL_STATS_H_
