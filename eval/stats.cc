#include "eval/stats.h"

#include <algorithm>
#include <cmath>

namespace thor::eval {
namespace {

// The 0.975 quantile of the standard normal distribution.
constexpr double kZ95 = 1.959963984540054;

}  // namespace

Interval WilsonInterval(int successes, int trials) {
  if (trials <= 0) return {0, 1};
  const double n = trials;
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double denom = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denom;
  const double half = kZ95 / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double McNemarExactP(int only_a, int only_b) {
  const int n = only_a + only_b;
  if (n <= 0) return 1;
  const int k = std::min(only_a, only_b);
  // Sum of C(n, i) / 2^n for i <= k, term by term in log space: C(n, i)
  // overflows doubles past n ~ 1000, which a large suite can reach.
  double tail = 0;
  for (int i = 0; i <= k; ++i) {
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) -
                     n * std::log(2.0));
  }
  return std::min(1.0, 2 * tail);
}

}  // namespace thor::eval
