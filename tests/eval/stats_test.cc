// Wilson intervals and the exact McNemar test against values computed by
// hand (formulas in eval/stats.h).
#include <gtest/gtest.h>

#include "eval/stats.h"

namespace thor::eval {
namespace {

TEST(StatsTest, WilsonIntervalMatchesHandComputedValues) {
  // 2 of 5: p = 0.4, z^2 = 3.8415; centre (0.4 + 0.38415) / 1.76829 =
  // 0.44345, half-width 1.10839 * sqrt(0.048 + 0.038415) = 0.32583.
  Interval i = WilsonInterval(2, 5);
  EXPECT_NEAR(i.low, 0.1176, 1e-4);
  EXPECT_NEAR(i.high, 0.7693, 1e-4);
  // 0 of 10: [0, z^2 / (n + z^2)] = [0, 3.8415 / 13.8415].
  i = WilsonInterval(0, 10);
  EXPECT_DOUBLE_EQ(i.low, 0);
  EXPECT_NEAR(i.high, 0.2775, 1e-4);
  // All solved mirrors none solved.
  i = WilsonInterval(10, 10);
  EXPECT_NEAR(i.low, 0.7225, 1e-4);
  EXPECT_DOUBLE_EQ(i.high, 1);
  // 73 of 244 (29.9%, MiniF2F test's size): 0.2452-0.3594.
  i = WilsonInterval(73, 244);
  EXPECT_NEAR(i.low, 0.2452, 1e-4);
  EXPECT_NEAR(i.high, 0.3594, 1e-4);
}

TEST(StatsTest, WilsonIntervalOfNoTrialsIsEverything) {
  Interval i = WilsonInterval(0, 0);
  EXPECT_EQ(i.low, 0);
  EXPECT_EQ(i.high, 1);
}

TEST(StatsTest, McNemarExactMatchesHandComputedValues) {
  // 0 vs 6: 2 * (1/2)^6 = 0.03125.
  EXPECT_NEAR(McNemarExactP(0, 6), 0.03125, 1e-12);
  EXPECT_NEAR(McNemarExactP(6, 0), 0.03125, 1e-12);
  // 2 vs 10: 2 * (1 + 12 + 66) / 4096 = 0.0385742...
  EXPECT_NEAR(McNemarExactP(2, 10), 158.0 / 4096, 1e-12);
  // 1 vs 1: 2 * 3/4 > 1, capped.
  EXPECT_DOUBLE_EQ(McNemarExactP(1, 1), 1);
  EXPECT_DOUBLE_EQ(McNemarExactP(0, 0), 1);
  // 5 vs 10: 2 * (1 + 15 + 105 + 455 + 1365 + 3003) / 32768 = 0.3017578...
  EXPECT_NEAR(McNemarExactP(5, 10), 2.0 * 4944 / 32768, 1e-12);
}

TEST(StatsTest, McNemarStaysFiniteOnLargeSuites) {
  // 1500 discordant pairs: C(n, i) overflows a double, the log sum does not.
  double p = McNemarExactP(700, 800);
  EXPECT_GT(p, 0.0);
  EXPECT_LT(p, 0.02);
  EXPECT_NEAR(McNemarExactP(750, 750), 1.0, 1e-9);
}

}  // namespace
}  // namespace thor::eval
