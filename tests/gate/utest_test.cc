#include "wyckoff/gate/utest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace wyckoff::gate {
namespace {

// ---- Exact p without ties ---------------------------------------------------------------------

TEST(MannWhitneyTest, ExactSmallSamplesMatchHandCounts) {
  const std::vector<double> high = {4, 5, 6}, low = {1, 2, 3};
  const std::vector<double> x = {1, 3, 5}, y = {2, 4, 6};

  const UTestResult separated = MannWhitneyU(high, low);
  const UTestResult interleaved = MannWhitneyU(x, y);

  // All 20 orderings of 3 + 3 values; U of x counts pairs x > y. Separated: U = 9, only 1 of
  // 20 orderings reaches it. Interleaved: U = 3 (3>2, 5>2, 5>4); the counts of U = 0..9 are
  // 1 1 2 3 3 3 3 2 1 1, so P(U >= 3) = 16/20 and P(U <= 3) = 7/20.
  EXPECT_TRUE(separated.exact);
  EXPECT_DOUBLE_EQ(separated.u, 9);
  EXPECT_DOUBLE_EQ(separated.p_greater, 1.0 / 20);
  EXPECT_DOUBLE_EQ(separated.p_less, 1.0);
  EXPECT_DOUBLE_EQ(interleaved.u, 3);
  EXPECT_DOUBLE_EQ(interleaved.p_greater, 16.0 / 20);
  EXPECT_DOUBLE_EQ(interleaved.p_less, 7.0 / 20);
}

TEST(MannWhitneyTest, FiftyPerSideIsExactBeyondWhatADoubleCanCount) {
  std::vector<double> low, high;
  for (int i = 0; i < 50; ++i) {
    low.push_back(i);
    high.push_back(100 + i);
  }

  const UTestResult result = MannWhitneyU(high, low);

  // One of C(100, 50) = 100891344545564193334812497256 placements (above 2^53, so only
  // 128-bit counts get it exactly).
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 2500);
  EXPECT_DOUBLE_EQ(result.p_greater, 1.0 / 100891344545564193334812497256.0);
  EXPECT_DOUBLE_EQ(result.p_less, 1.0);
}

// ---- Exact p with ties ------------------------------------------------------------------------

TEST(MannWhitneyTest, FourAgainstFourTiedWithinSidesIsOneInSeventy) {
  const std::vector<double> head = {120, 120, 120, 120}, base = {100, 100, 100, 100};

  const UTestResult result = MannWhitneyU(head, base);

  // Mid-ranks: the base's four 100s share 2.5, the head's four 120s share 6.5. Of the
  // C(8, 4) = 70 ways to pick the head's four ranks, only {6.5 x 4} reaches W = 26 (U = 16).
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 16);
  EXPECT_DOUBLE_EQ(result.p_greater, 1.0 / 70);
  EXPECT_DOUBLE_EQ(result.p_less, 1.0);
}

TEST(MannWhitneyTest, ThreeAgainstThreeTiedWithinSidesCannotGoBelowOneInTwenty) {
  const std::vector<double> head = {120, 120, 120}, base = {100, 100, 100};

  const UTestResult result = MannWhitneyU(head, base);

  // Ranks 2 x 3 and 5 x 3: only 1 of C(6, 3) = 20 placements gives W = 15, so p = 0.05, which
  // is not below a 0.05 threshold.
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 9);
  EXPECT_DOUBLE_EQ(result.p_greater, 1.0 / 20);
}

TEST(MannWhitneyTest, ThreeAgainstThreeWithTiesAcrossSides) {
  const std::vector<double> x = {5, 7, 7}, y = {3, 5, 6};

  const UTestResult result = MannWhitneyU(x, y);

  // Pooled: 3(y) 5(x) 5(y) 6(y) 7(x) 7(x); mid-ranks 1, 2.5, 2.5, 4, 5.5, 5.5. x has
  // W = 2.5 + 5.5 + 5.5 = 13.5, U = 13.5 - 6 = 7.5 (5 beats 3 and ties 5; each 7 beats all
  // three). Of the 20 three-rank picks, W >= 13.5: {4, 5.5, 5.5} = 15 and {2.5, 5.5, 5.5}
  // twice (two 2.5s) = 3, so P(U >= 7.5) = 3/20; W <= 13.5: all but the one W = 15, 19/20.
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 7.5);
  EXPECT_DOUBLE_EQ(result.p_greater, 3.0 / 20);
  EXPECT_DOUBLE_EQ(result.p_less, 19.0 / 20);
}

TEST(MannWhitneyTest, TenAgainstEightWithTiesIsExactNotApproximated) {
  const std::vector<double> x = {3, 5, 5, 7, 9, 9, 9, 12, 14, 15};
  const std::vector<double> y = {1, 2, 5, 5, 6, 9, 10, 11};

  const UTestResult result = MannWhitneyU(x, y);

  // U = 53.5 (see the normal-approximation test below). Enumerating all C(18, 10) = 43758
  // placements of the mid-ranks (a Python brute force over itertools.combinations):
  // 5199 give U >= 53.5 and 38787 give U <= 53.5. The normal approximation says 0.121567.
  EXPECT_TRUE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 53.5);
  EXPECT_DOUBLE_EQ(result.p_greater, 5199.0 / 43758);
  EXPECT_DOUBLE_EQ(result.p_less, 38787.0 / 43758);
}

// P(U >= observed) and P(U <= observed) by listing every way to pick x's positions among the
// pooled values: an implementation independent of the dynamic programme.
std::pair<double, double> BruteForceP(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> pooled = x;
  pooled.insert(pooled.end(), y.begin(), y.end());
  auto u_of = [&](const std::vector<bool>& in_x) {
    double u = 0;
    for (std::size_t i = 0; i < pooled.size(); ++i) {
      for (std::size_t j = 0; j < pooled.size(); ++j) {
        if (!in_x[i] || in_x[j]) continue;
        u += pooled[i] > pooled[j] ? 1 : pooled[i] == pooled[j] ? 0.5 : 0;
      }
    }
    return u;
  };
  std::vector<bool> pick(pooled.size(), false);
  std::fill(pick.begin(), pick.begin() + static_cast<std::ptrdiff_t>(x.size()), true);
  const double observed = u_of(pick);
  std::vector<bool> in_x(pooled.size(), false);
  std::fill(in_x.end() - static_cast<std::ptrdiff_t>(x.size()), in_x.end(), true);
  double total = 0, at_least = 0, at_most = 0;
  do {
    const double u = u_of(in_x);
    total += 1;
    at_least += u >= observed ? 1 : 0;
    at_most += u <= observed ? 1 : 0;
  } while (std::next_permutation(in_x.begin(), in_x.end()));
  return {at_least / total, at_most / total};
}

TEST(MannWhitneyTest, ExactPMatchesBruteForceOnTiedSamples) {
  std::mt19937_64 random(12345);
  std::uniform_int_distribution<int> value(0, 4), size(1, 7);  // few values: many ties
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<double> x(static_cast<std::size_t>(size(random)));
    std::vector<double> y(static_cast<std::size_t>(size(random)));
    for (double& v : x) v = value(random);
    for (double& v : y) v = value(random) + (trial % 2);  // odd trials: y shifted up

    const UTestResult result = MannWhitneyU(x, y);
    const auto [p_greater, p_less] = BruteForceP(x, y);

    EXPECT_TRUE(result.exact);
    EXPECT_NEAR(result.p_greater, p_greater, 1e-12) << "trial " << trial;
    EXPECT_NEAR(result.p_less, p_less, 1e-12) << "trial " << trial;
  }
}

TEST(MannWhitneyTest, AllValuesTiedGivesNoEvidence) {
  const std::vector<double> same = {5, 5, 5, 5};
  std::vector<double> many(60, 5.0);

  const UTestResult exact = MannWhitneyU(same, same);
  const UTestResult normal = MannWhitneyU(many, many);

  EXPECT_TRUE(exact.exact);
  EXPECT_DOUBLE_EQ(exact.p_greater, 1.0);
  EXPECT_DOUBLE_EQ(exact.p_less, 1.0);
  EXPECT_FALSE(normal.exact);
  EXPECT_DOUBLE_EQ(normal.p_greater, 1.0);
  EXPECT_DOUBLE_EQ(normal.p_less, 1.0);
}

// ---- Normal approximation ---------------------------------------------------------------------

TEST(MannWhitneyTest, NormalApproximationHasTieAndContinuityCorrection) {
  const std::vector<double> x = {3, 5, 5, 7, 9, 9, 9, 12, 14, 15};
  const std::vector<double> y = {1, 2, 5, 5, 6, 9, 10, 11};

  const UTestResult result = MannWhitneyU(x, y, /*exact_max_per_side=*/5);

  // By hand: U counts, for each x, the y below it plus half the y equal to it:
  // 3:2, 5:2+1 (twice), 7:5, 9:5+0.5 (three times), 12, 14, 15: 8 each; U = 53.5.
  // m = 10, n = 8, N = 18; mean m n / 2 = 40; tie groups: four 5s and four 9s, so
  // sum(t^3 - t) = 60 + 60 = 120; variance m n / 12 * (N + 1 - 120 / (N (N - 1)))
  // = 80/12 * (19 - 120/306) = 124.0523; z = (53.5 - 40 - 0.5) / sqrt(variance) = 1.167188;
  // p = 1 - Phi(z) = 0.121567.
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 53.5);
  const double variance = 80.0 / 12 * (19 - 120.0 / 306);
  const double z = 13.0 / std::sqrt(variance);
  EXPECT_NEAR(result.p_greater, 0.5 * std::erfc(z / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(result.p_greater, 0.121567, 1e-6);
}

TEST(MannWhitneyTest, MoreThanFiftyPerSideUsesTheNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) {
    x.push_back(2 * i + 1);
    y.push_back(2 * i);
  }

  const UTestResult result = MannWhitneyU(x, y);

  // x_i = 2i + 1 beats y_0 .. y_i: U = 1 + 2 + ... + 60 = 1830 = mean 1800 + 30;
  // variance 60 * 60 * 121 / 12 = 36300, no ties.
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 1830);
  EXPECT_NEAR(result.p_greater, 0.5 * std::erfc(29.5 / std::sqrt(36300.0) / std::sqrt(2.0)), 1e-12);
}

TEST(MannWhitneyTest, EmptySampleGivesNoEvidence) {
  const std::vector<double> none, some = {1, 2};

  const UTestResult result = MannWhitneyU(none, some);

  EXPECT_DOUBLE_EQ(result.p_greater, 1.0);
  EXPECT_DOUBLE_EQ(result.p_less, 1.0);
}

// ---- Smallest possible p ----------------------------------------------------------------------

TEST(MannWhitneyTest, SmallestPossiblePIsOneOverTheNumberOfPlacements) {
  EXPECT_DOUBLE_EQ(SmallestPossibleP(1, 1), 0.5);
  EXPECT_DOUBLE_EQ(SmallestPossibleP(3, 3), 1.0 / 20);
  EXPECT_DOUBLE_EQ(SmallestPossibleP(4, 4), 1.0 / 70);
  EXPECT_DOUBLE_EQ(SmallestPossibleP(5, 4), 1.0 / 126);
  EXPECT_DOUBLE_EQ(SmallestPossibleP(12, 12), 1.0 / 2704156);
  EXPECT_DOUBLE_EQ(SmallestPossibleP(0, 5), 1.0);
}

}  // namespace
}  // namespace wyckoff::gate
