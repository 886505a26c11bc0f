#include "wyckoff/detectors/utad_detector.h"

#include <gtest/gtest.h>

#include "detector_harness.h"

namespace wyckoff::detectors {
namespace {

using testing::DetectorHarness;

TEST(UtadConfidenceTest, BonusesAndCap) {
  EXPECT_EQ(UtadConfidence(0.007, 2.0, 0, 1.0), 100);  // 70 + 10 + 15 + 5
  EXPECT_EQ(UtadConfidence(0.0055, 1.6, 3, 1.0), 75);  // 70 + 5
  EXPECT_EQ(UtadConfidence(0.0095, 1.8, 3, 1.0), 80);  // 70 + 10 (volume)
  EXPECT_EQ(UtadConfidence(0.006, 1.7, 2, 1.0), 95);   // 70 + 10 + 10 + 5
}

class UtadDetectorTest : public ::testing::Test {
 protected:
  UtadDetectorTest() {
    h.range.support = 90;
    h.range.resistance = 100;
    h.kind = RangeKind::kDistribution;
  }
  bool Run(std::int64_t t, double high, double close, double vr) {
    h.Bar(t, 99, high, 98.5, close, vr);
    return detector.OnBar(h.Context(), &h.range, h.events);
  }
  DetectorHarness h;
  UtadDetector detector{h.params};
};

TEST_F(UtadDetectorTest, PierceOnVolumeThatFailsIsAUtad) {
  ASSERT_TRUE(Run(60, 100.7, 99.5, 2.0));
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kUpthrust);
  EXPECT_EQ(e.level, 100);
  EXPECT_EQ(e.extreme, 100.7);
  EXPECT_EQ(e.bars, 0);
  EXPECT_EQ(e.confidence, 100);
  EXPECT_EQ(e.direction, Direction::kShort);
  EXPECT_NEAR(e.stop, 100.7 * 1.02, 1e-9);
  EXPECT_EQ(e.target, 90);
  EXPECT_NEAR(e.reward_risk, 9.5 / (100.7 * 1.02 - 99.5), 1e-9);
  EXPECT_TRUE(e.tradeable());
}

TEST_F(UtadDetectorTest, VolumeRatioExactlyOnePointFiveIsRejected) {
  EXPECT_FALSE(Run(60, 100.7, 99.5, 1.5));
  EXPECT_FALSE(detector.pending());
  EXPECT_TRUE(Run(61, 100.7, 99.5, 1.5001));
}

TEST_F(UtadDetectorTest, PierceOutsideHalfToOnePercentIsRejected) {
  EXPECT_FALSE(Run(60, 100.49, 99.5, 2.0));
  EXPECT_FALSE(Run(61, 101.01, 99.5, 2.0));
  EXPECT_TRUE(Run(62, 101, 99.5, 2.0));
}

TEST_F(UtadDetectorTest, FailureWithinThreeBars) {
  EXPECT_FALSE(Run(60, 100.7, 100.2, 2.0));
  EXPECT_FALSE(Run(61, 100.5, 100.1, 1.0));
  EXPECT_FALSE(Run(62, 100.5, 100.1, 1.0));
  ASSERT_TRUE(Run(63, 100.5, 99.9, 1.0));
  EXPECT_EQ(h.events.back().pattern_index, 60);
  EXPECT_EQ(h.events.back().bars, 3);
  EXPECT_EQ(h.events.back().confidence, 95);  // 70 + 10 + 15, failed after 3 bars
}

TEST_F(UtadDetectorTest, NoFailureWithinThreeBarsDropsIt) {
  Run(60, 100.7, 100.2, 2.0);
  for (int t = 61; t <= 63; ++t) Run(t, 100.5, 100.1, 1.0);
  EXPECT_FALSE(Run(64, 100.5, 99.9, 1.0));
}

TEST_F(UtadDetectorTest, HigherHighBeyondTheBandIsABreakout) {
  Run(60, 100.7, 100.2, 2.0);
  EXPECT_FALSE(Run(61, 101.5, 100.5, 1.0));
  EXPECT_FALSE(detector.pending());
}

TEST_F(UtadDetectorTest, AccumulationRangeUtadIsAnExitSignalOnly) {
  h.kind = RangeKind::kAccumulation;
  ASSERT_TRUE(Run(60, 100.7, 99.5, 2.0));
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kPhase);
}

TEST_F(UtadDetectorTest, ZeroVolumeIsNeverAUtad) {
  h.Bar(60, 99, 100.7, 98.5, 99.5, 0.0, 1.0, /*volume=*/0);
  EXPECT_FALSE(detector.OnBar(h.Context(), &h.range, h.events));
}

}  // namespace
}  // namespace wyckoff::detectors
