// Characterisation of RandomWalkBars: the benchmarks and tests that use it depend on its exact
// bars, so the first rows and a digest of every bar are pinned for several options.
#include "wyckoff/engine/synthetic.h"

#include <gtest/gtest.h>

#include "fingerprint.h"

namespace wyckoff::engine {
namespace {

using testing::BarsDigest;
using testing::BarText;

TEST(RandomWalkBarsTest, DefaultOptionsGiveThePinnedBars) {
  const std::vector<Bar> bars = RandomWalkBars({});
  ASSERT_EQ(bars.size(), 1000u);
  EXPECT_EQ(BarText(bars[0]), "946684800000000000 12 99.97 100.32 99.89 100.08 32384");
  EXPECT_EQ(BarText(bars[1]), "946771200000000000 12 100.06 100.23 99.83 99.87 10424");
  EXPECT_EQ(BarText(bars[999]), "1032998400000000000 12 111.11 111.11 110.83 110.95 41782");
  EXPECT_EQ(BarsDigest(bars), 1065275029262675236u);
}

TEST(RandomWalkBarsTest, MinuteBarsOfTheBenchmarksGiveThePinnedBars) {
  const std::vector<Bar> bars =
      RandomWalkBars({.bars = 98'280, .seed = 42, .interval = 60 * kNanosPerSecond});
  ASSERT_EQ(bars.size(), 98'280u);
  EXPECT_EQ(BarText(bars[0]), "946684800000000000 12 99.97 100.34 99.91 100.22 40381");
  EXPECT_EQ(BarText(bars[1]), "946684860000000000 12 100.21 100.31 99.85 99.93 25257");
  EXPECT_EQ(BarsDigest(bars), 10732037697249061286u);
}

TEST(RandomWalkBarsTest, StartAndStepOptionsGiveThePinnedBars) {
  const std::vector<Bar> bars = RandomWalkBars(
      {.bars = 5000, .seed = 99, .start = 0, .start_cents = 30'000, .max_step_cents = 7});
  EXPECT_EQ(BarText(bars[0]), "0 12 300.04 300.05 299.99 300.01 80639");
  EXPECT_EQ(BarsDigest(bars), 3574338874795968349u);
}

}  // namespace
}  // namespace wyckoff::engine
