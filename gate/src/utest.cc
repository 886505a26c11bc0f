#include "wyckoff/gate/utest.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace wyckoff::gate {
namespace {

// Placement counts: at most C(100, 50) ~ 1.01e29, far below 2^128.
__extension__ typedef unsigned __int128 Count;

// The pooled samples, ranked.
struct Ranking {
  std::vector<std::size_t> doubled_ranks;  // 2 x the mid-rank of every pooled value (integers)
  std::size_t doubled_rank_sum_x = 0;      // 2 W: the doubled ranks of x's values, summed
  double tie_term = 0;                     // sum of t^3 - t over groups of t tied values
};

// Ranks x and y together; a group of tied values covering ranks a..b gets (a + b) / 2, doubled
// to a + b so that it stays an integer.
Ranking RankSamples(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, bool>> pooled;  // (value, from x)
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, true);
  for (double v : y) pooled.emplace_back(v, false);
  std::sort(pooled.begin(), pooled.end());
  Ranking ranking;
  for (std::size_t start = 0; start < pooled.size();) {
    std::size_t end = start;
    while (end < pooled.size() && pooled[end].first == pooled[start].first) ++end;
    const std::size_t doubled = (start + 1) + end;  // ranks start+1 .. end
    for (std::size_t i = start; i < end; ++i) {
      ranking.doubled_ranks.push_back(doubled);
      if (pooled[i].second) ranking.doubled_rank_sum_x += doubled;
    }
    const double t = static_cast<double>(end - start);
    ranking.tie_term += t * t * t - t;
    start = end;
  }
  return ranking;
}

// counts[s]: how many of the C(N, m) ways to pick m of the N pooled values give a doubled rank
// sum of s. A knapsack over the values: row k holds the counts for k values picked so far,
// updated from the highest k down so that each value is picked at most once.
std::vector<Count> DoubledRankSumCounts(const std::vector<std::size_t>& doubled_ranks,
                                        std::size_t m) {
  std::size_t total = 0;
  for (std::size_t r : doubled_ranks) total += r;
  const std::size_t width = total + 1;
  std::vector<Count> table((m + 1) * width, 0);
  std::vector<std::size_t> reach(m + 1, 0);  // the largest sum row k can hold so far
  table[0] = 1;
  for (std::size_t i = 0; i < doubled_ranks.size(); ++i) {
    const std::size_t r = doubled_ranks[i];
    for (std::size_t k = std::min(i + 1, m); k >= 1; --k) {
      const Count* from = &table[(k - 1) * width];
      Count* to = &table[k * width];
      for (std::size_t s = 0; s <= reach[k - 1]; ++s) to[s + r] += from[s];
      reach[k] = std::max(reach[k], reach[k - 1] + r);
    }
  }
  return {table.begin() + static_cast<std::ptrdiff_t>(m * width), table.end()};
}

// The exact one-sided p-values of x's doubled rank sum.
void ExactPValues(const Ranking& ranking, std::size_t m, UTestResult& result) {
  const std::vector<Count> counts = DoubledRankSumCounts(ranking.doubled_ranks, m);
  const std::size_t observed = ranking.doubled_rank_sum_x;
  Count total = 0, at_least = 0, at_most = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    total += counts[s];
    if (s >= observed) at_least += counts[s];
    if (s <= observed) at_most += counts[s];
  }
  const auto ratio = [total](Count part) {
    return static_cast<double>(static_cast<long double>(part) / static_cast<long double>(total));
  };
  result.p_greater = ratio(at_least);
  result.p_less = ratio(at_most);
  result.exact = true;
}

void NormalPValues(std::size_t m, std::size_t n, const Ranking& ranking, UTestResult& result) {
  const double mm = static_cast<double>(m), nn = static_cast<double>(n), total = mm + nn;
  const double mean = mm * nn / 2;
  const double variance = mm * nn / 12 * ((total + 1) - ranking.tie_term / (total * (total - 1)));
  if (!(variance > 0)) return;  // every value tied: no evidence either way, both p stay 1
  const double sd = std::sqrt(variance);
  const double z_greater = (result.u - mean - 0.5) / sd;
  const double z_less = (result.u - mean + 0.5) / sd;
  result.p_greater = std::min(1.0, 0.5 * std::erfc(z_greater / std::sqrt(2.0)));
  result.p_less = std::min(1.0, 0.5 * std::erfc(-z_less / std::sqrt(2.0)));
}

}  // namespace

UTestResult MannWhitneyU(std::span<const double> x, std::span<const double> y,
                         std::size_t exact_max_per_side) {
  UTestResult result;
  if (x.empty() || y.empty()) return result;
  const Ranking ranking = RankSamples(x, y);
  const double m = static_cast<double>(x.size());
  result.u = static_cast<double>(ranking.doubled_rank_sum_x) / 2 - m * (m + 1) / 2;
  const std::size_t limit = std::min(exact_max_per_side, kExactMaxPerSide);
  if (x.size() <= limit && y.size() <= limit) {
    ExactPValues(ranking, x.size(), result);
  } else {
    NormalPValues(x.size(), y.size(), ranking, result);
  }
  return result;
}

double SmallestPossibleP(std::size_t m, std::size_t n) {
  const std::size_t small = std::min(m, n), large = std::max(m, n);
  long double choose = 1;  // C(large + i, i), exact while it fits the 64-bit mantissa
  for (std::size_t i = 1; i <= small; ++i) {
    choose = choose * static_cast<long double>(large + i) / static_cast<long double>(i);
  }
  return static_cast<double>(1 / choose);
}

}  // namespace wyckoff::gate
