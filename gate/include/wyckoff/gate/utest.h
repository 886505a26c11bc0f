// The Mann-Whitney U test (the Wilcoxon rank-sum test) behind the benchmark comparator: exact
// permutation p-values, ties included, for samples of up to 50 per side; the normal
// approximation beyond.
//
//   const std::vector<double> base = {100, 100, 100, 100}, head = {120, 120, 120, 120};
//   UTestResult r = MannWhitneyU(head, base);   // x = head, y = base
//   r.p_greater;                  // 1/70 = 0.0143: P(U >= 16) when head and base are alike
//   r.exact;                      // true
//   SmallestPossibleP(4, 4);      // 1/70 too: no outcome of 4 against 4 goes lower
//
// Method. The m + n pooled values get mid-ranks: a group of tied values shares the mean of the
// ranks it covers. W is the sum of x's ranks and U = W - m (m + 1) / 2, which counts the pairs
// (x_i, y_j) with x_i > y_j, a tie counting one half. Under the null hypothesis (x and y come
// from one distribution) every one of the C(m + n, m) ways to place x among the pooled ranks is
// equally likely, the ranks themselves (ties included) being fixed by the data.
//
// - Exact (both m and n at most `exact_max_per_side`, itself capped at kExactMaxPerSide): p is
//   counted over that permutation distribution. Doubled mid-ranks are integers, so a dynamic
//   programme over (values chosen, doubled rank sum) counts every placement exactly in 128-bit
//   integers (C(100, 50) ~ 1e29 < 2^127); ties need no approximation.
// - Normal approximation (otherwise): mean m n / 2, variance m n / 12 ((N + 1) -
//   sum(t^3 - t) / (N (N - 1))) over tie groups of size t, N = m + n, and a continuity
//   correction of 0.5.
//
// NOTE: with ties the distribution is lumpier than without, so the smallest p a given set of
// values can reach may be above SmallestPossibleP(m, n) (every value tied gives p = 1).
#pragma once

#include <cstddef>
#include <span>

namespace wyckoff::gate {

// The largest sample, per side, whose p-value can be exact.
inline constexpr std::size_t kExactMaxPerSide = 50;

// One Mann-Whitney U test of sample x against sample y.
struct UTestResult {
  double u = 0;          // pairs (x_i, y_j) with x_i > y_j, a tie counting one half
  double p_greater = 1;  // one-sided p for "x tends to be larger than y": P(U >= u)
  double p_less = 1;     // one-sided p for "x tends to be smaller than y": P(U <= u)
  bool exact = false;    // true: the exact permutation distribution; false: normal approximation
};

// The test of x against y (see the overview). Exact when both samples have at most
// min(exact_max_per_side, kExactMaxPerSide) values. Both p are 1 when either sample is empty or
// every value is the same.
UTestResult MannWhitneyU(std::span<const double> x, std::span<const double> y,
                         std::size_t exact_max_per_side = kExactMaxPerSide);

// The smallest one-sided p that any outcome of m against n values can give: 1 / C(m + n, m),
// when one sample lies wholly above the other without ties. 1 when m or n is 0.
double SmallestPossibleP(std::size_t m, std::size_t n);

}  // namespace wyckoff::gate
