#include <gtest/gtest.h>

#include <cmath>

#include "detector_harness.h"
#include "wyckoff/detectors/lps_detector.h"
#include "wyckoff/detectors/sos_detector.h"

namespace wyckoff::detectors {
namespace {

using testing::DetectorHarness;

TEST(SosConfidenceTest, VolumePointsFollowTheRulesPageTable) {
  EXPECT_DOUBLE_EQ(SosVolumePoints(1.5), 15);
  EXPECT_DOUBLE_EQ(SosVolumePoints(1.7), 18);
  EXPECT_DOUBLE_EQ(SosVolumePoints(2.0), 25);
  EXPECT_DOUBLE_EQ(SosVolumePoints(2.3), 32);
  EXPECT_DOUBLE_EQ(SosVolumePoints(2.5), 35);
  EXPECT_DOUBLE_EQ(SosVolumePoints(4.0), 35);
  EXPECT_DOUBLE_EQ(SosVolumePoints(1.6), 16.5);   // linear between 1.5 and 1.7
  EXPECT_DOUBLE_EQ(SosVolumePoints(1.85), 21.5);  // linear between 1.7 and 2.0
}

TEST(SosConfidenceTest, MarginalClosePositionCostsTen) {
  const DetectorParams p;
  // volume 2.0 -> 25, spread 2.0 -> 20, close 0.6 -> 12 - 10, breakout 3% -> 15, 40 bars -> 10.
  EXPECT_NEAR(SosConfidence(2.0, 2.0, 0.6, 0.03, 40, p, 1.0), 25 + 20 + 2 + 15 + 10, 1e-9);
  EXPECT_NEAR(SosConfidence(2.0, 2.0, 0.7, 0.03, 40, p, 1.0), 25 + 20 + 14 + 15 + 10, 1e-9);
}

class SosDetectorTest : public ::testing::Test {
 protected:
  SosDetectorTest() {
    h.range.support = 90;
    h.range.resistance = 100;
    h.phase = Phase::kC;
    h.spring_seen = true;
  }
  bool Run(std::int64_t t, double low, double high, double close, double vr, double sr = 1.5) {
    h.Bar(t, low, high, low, close, vr, sr);
    return SosDetector(h.params).OnBar(h.Context(), h.events);
  }
  DetectorHarness h;  // S 90, R 100
};

TEST_F(SosDetectorTest, BreakoutOnVolumeIsAnSos) {
  ASSERT_TRUE(Run(60, 99, 102, 101, 1.5));  // close exactly R * 1.01, volume exactly 1.5
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kSignOfStrength);
  EXPECT_EQ(e.level, 100);
  EXPECT_EQ(e.extreme, 101);
  EXPECT_EQ(e.not_tradeable, NotTradeable::kDisabled);
  EXPECT_NEAR(e.stop, 95, 1e-9);
  EXPECT_EQ(e.target, 130);  // 61 bars: 100 + 3 * 10
}

TEST_F(SosDetectorTest, VolumeJustBelowOnePointFiveIsNoSos) {
  EXPECT_FALSE(Run(60, 99, 102, 101.5, 1.4999));
}

TEST_F(SosDetectorTest, CloseBelowOnePercentAboveResistanceIsNoSos) {
  EXPECT_FALSE(Run(60, 99, 102, 100.99, 2.0));
}

TEST_F(SosDetectorTest, SpreadAndClosePositionGates) {
  EXPECT_FALSE(Run(60, 99, 102, 101.5, 2.0, /*sr=*/1.19));
  EXPECT_FALSE(Run(61, 99, 104, 101.4, 2.0));  // close position 0.48
  EXPECT_TRUE(Run(62, 99, 103, 101, 2.0));     // close position exactly 0.5
}

TEST_F(SosDetectorTest, FlatBarIsNeverAnSos) { EXPECT_FALSE(Run(60, 102, 102, 102, 3.0, 3.0)); }

TEST_F(SosDetectorTest, NeedsTwentyFiveBarsOfHistory) {
  EXPECT_FALSE(Run(23, 99, 102, 101.5, 2.0));  // 24 bars seen
  EXPECT_TRUE(Run(24, 99, 102, 101.5, 2.0));   // 25 bars seen
}

TEST_F(SosDetectorTest, NeedsASpringInTheRange) {
  h.spring_seen = false;
  EXPECT_FALSE(Run(60, 99, 102, 101.5, 2.0));
  h.spring_seen = true;
  h.phase = Phase::kA;
  EXPECT_FALSE(Run(61, 99, 102, 101.5, 2.0));
}

TEST_F(SosDetectorTest, WithoutNeedingASpringAMaturePhaseBIsEnough) {
  h.params.sos_needs_spring = false;
  h.spring_seen = false;
  h.phase = Phase::kB;
  h.pattern_counts = false;  // phase B younger than phase_b_min_bars
  EXPECT_FALSE(Run(60, 99, 102, 101.5, 2.0));
  h.pattern_counts = true;
  h.kind = RangeKind::kDistribution;  // springs do not count there
  EXPECT_FALSE(Run(61, 99, 102, 101.5, 2.0));
  h.params.spring_any_kind = true;  // they do
  EXPECT_TRUE(Run(62, 99, 102, 101.5, 2.0));
  h.kind = RangeKind::kAccumulation;
  h.params.spring_any_kind = false;
  EXPECT_TRUE(Run(63, 99, 102, 101.5, 2.0));
  h.phase = Phase::kC;  // phase C comes from a spring only; without spring_seen it is not one
  EXPECT_FALSE(Run(64, 99, 102, 101.5, 2.0));
}

TEST_F(SosDetectorTest, InADistributionRangeTradeableOnlyWithSpringAnyKind) {
  h.params.trade_sos = true;
  h.kind = RangeKind::kDistribution;
  ASSERT_TRUE(Run(60, 99, 102, 101.5, 2.0));
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kPhase);
  h.params.spring_any_kind = true;
  ASSERT_TRUE(Run(61, 99, 102, 101.5, 2.0));
  EXPECT_TRUE(h.events.back().tradeable());
}

TEST_F(SosDetectorTest, ZeroVolumeIsNeverAnSos) {
  h.Bar(60, 99, 102, 99, 101.5, 0.0, 2.0, /*volume=*/0);
  EXPECT_FALSE(SosDetector(h.params).OnBar(h.Context(), h.events));
}

TEST_F(SosDetectorTest, TradeSosMakesItTradeable) {
  h.params.trade_sos = true;
  ASSERT_TRUE(Run(60, 99, 102, 101.5, 2.0));
  EXPECT_TRUE(h.events.back().tradeable());
  EXPECT_NEAR(h.events.back().reward_risk, 28.5 / 6.5, 1e-9);
}

class LpsDetectorTest : public ::testing::Test {
 protected:
  LpsDetectorTest() {
    h.range.resistance = 100;
    h.range.support = 90;
    h.phase = Phase::kD;
    PatternEvent sos;
    sos.range_id = 1;
    sos.level = 100;
    sos.range = LevelsAt(h.range, 60);  // 61 bars: jump 100 + 3 * 10 = 130
    h.Bar(60, 100, 103, 99.5, 102.5, 2.0);
    lps.Arm(h.Context(), sos);
  }
  LpsDetector::Outcome Run(std::int64_t t, double low, double close, double vr = 0.8) {
    h.Bar(t, close, std::max(close, low) + 0.5, low, close, vr);
    return lps.OnBar(h.Context(), h.events);
  }
  DetectorHarness h;
  LpsDetector lps{h.params};
};

TEST_F(LpsDetectorTest, RulesPageExampleEntryAndStop) {
  EXPECT_EQ(Run(61, 101, 101.5), LpsDetector::Outcome::kNone);  // 101.5 < 101 * 1.01
  ASSERT_EQ(Run(62, 101.2, 102.1), LpsDetector::Outcome::kConfirmed);
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kLastPointOfSupport);
  EXPECT_EQ(e.pattern_index, 61);
  EXPECT_EQ(e.confirm_index, 62);
  EXPECT_EQ(e.extreme, 101);
  EXPECT_NEAR(e.entry, 101, 1e-9);
  EXPECT_NEAR(e.stop, 97, 1e-9);
  EXPECT_EQ(e.target, 130);
  EXPECT_NEAR(e.reward_risk, 29.0 / 4.0, 1e-9);
  EXPECT_EQ(e.confidence, 100);  // dry pullback, within 1% of R
  EXPECT_TRUE(e.tradeable());
}

TEST_F(LpsDetectorTest, InADistributionRangeTradeableOnlyWithSpringAnyKind) {
  for (const bool any_kind : {false, true}) {
    DetectorHarness g;
    g.range.resistance = 100;
    g.range.support = 90;
    g.phase = Phase::kD;
    g.params.spring_any_kind = any_kind;
    PatternEvent sos;
    sos.range_id = 1;
    sos.level = 100;
    sos.range_kind = RangeKind::kDistribution;
    sos.range = LevelsAt(g.range, 60);
    g.Bar(60, 100, 103, 99.5, 102.5, 2.0);
    LpsDetector watch(g.params);
    watch.Arm(g.Context(), sos);
    g.Bar(61, 101, 101.5, 101, 101, 0.8);
    ASSERT_EQ(watch.OnBar(g.Context(), g.events), LpsDetector::Outcome::kNone);
    g.Bar(62, 102.1, 102.6, 101.2, 102.1, 0.8);
    ASSERT_EQ(watch.OnBar(g.Context(), g.events), LpsDetector::Outcome::kConfirmed);
    EXPECT_EQ(g.events.back().not_tradeable, any_kind ? NotTradeable::kNone : NotTradeable::kPhase);
  }
}

TEST_F(LpsDetectorTest, PullbackMustStayAtOrAboveTwoPercentBelowR) {
  EXPECT_EQ(Run(61, 98, 100.5), LpsDetector::Outcome::kConfirmed);  // low exactly R * 0.98
  EXPECT_EQ(h.events.size(), 1u);
  EXPECT_EQ(h.events.back().extreme, 98);
}

TEST_F(LpsDetectorTest, PullbackBelowTheFloorFails) {
  EXPECT_EQ(Run(61, 97.99, 100.0), LpsDetector::Outcome::kNone);
  EXPECT_EQ(Run(62, 100, 101.5), LpsDetector::Outcome::kNone);
  EXPECT_TRUE(h.events.empty());
}

TEST_F(LpsDetectorTest, PullbackMustComeWithinThreePercentAboveR) {
  EXPECT_EQ(Run(61, 103.01, 105), LpsDetector::Outcome::kNone);
  EXPECT_EQ(Run(62, 103, 104.1), LpsDetector::Outcome::kConfirmed);
}

TEST_F(LpsDetectorTest, CloseBackBelowResistanceIsAFallback) {
  EXPECT_EQ(Run(61, 99, 99.9), LpsDetector::Outcome::kFallback);
  EXPECT_FALSE(lps.armed());
}

TEST_F(LpsDetectorTest, ExpiresTenBarsAfterTheSos) {
  for (int t = 61; t < 70; ++t) EXPECT_EQ(Run(t, 105, 106), LpsDetector::Outcome::kNone) << t;
  EXPECT_EQ(Run(70, 105, 106), LpsDetector::Outcome::kExpired);
}

// The SOW mirrors the SOS below support: S 100, R 110 (the harness's range), after a UTAD.
class SowDetectorTest : public ::testing::Test {
 protected:
  SowDetectorTest() {
    h.phase = Phase::kC;
    h.kind = RangeKind::kDistribution;
    h.utad_seen = true;
  }
  // A bar from `high` down to `low` closing at `close`.
  bool Run(std::int64_t t, double low, double high, double close, double vr, double sr = 1.5) {
    h.Bar(t, high, high, low, close, vr, sr);
    return SosDetector(h.params).OnBarWeakness(h.Context(), h.events);
  }
  DetectorHarness h;  // S 100, R 110
};

TEST_F(SowDetectorTest, BreakdownOnVolumeIsAnSow) {
  ASSERT_TRUE(Run(60, 98, 101, 99, 1.5));  // close exactly S * 0.99, volume exactly 1.5
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kSignOfWeakness);
  EXPECT_EQ(EventTypeName(e.type), "SOW");
  EXPECT_EQ(e.level, 100);
  EXPECT_EQ(e.extreme, 99);
  EXPECT_NEAR(e.penetration, 0.01, 1e-12);
  EXPECT_EQ(e.direction, Direction::kShort);
  EXPECT_EQ(e.not_tradeable, NotTradeable::kDisabled);
  EXPECT_EQ(e.entry, 99);
  EXPECT_NEAR(e.stop, 105, 1e-9);
  EXPECT_EQ(e.target, 70);  // 61 bars: 100 - 3 * 10
  // Mirrored close position 1 - 1/3 (marginal): volume 15, spread 13.75, close 13.33 - 10,
  // breakout 5, duration 10.
  EXPECT_NEAR(e.confidence, SosConfidence(1.5, 1.5, 2.0 / 3, 0.01, 61, h.params, 1.0), 1e-9);
  EXPECT_NEAR(e.confidence, 15 + 13.75 + 10.0 / 3 + 5 + 10, 1e-9);
}

TEST_F(SowDetectorTest, VolumeJustBelowOnePointFiveIsNoSow) {
  EXPECT_FALSE(Run(60, 98, 101, 98.5, 1.4999));
}

TEST_F(SowDetectorTest, CloseAboveOnePercentBelowSupportIsNoSow) {
  EXPECT_FALSE(Run(60, 98, 101, 99.01, 2.0));
}

TEST_F(SowDetectorTest, SpreadAndClosePositionGates) {
  EXPECT_FALSE(Run(60, 98, 101, 98.5, 2.0, /*sr=*/1.19));
  EXPECT_FALSE(Run(61, 96, 101, 98.6, 2.0));  // close position 0.52
  EXPECT_TRUE(Run(62, 96, 101, 98.5, 2.0));   // close position exactly 0.5
}

TEST_F(SowDetectorTest, FlatBarIsNeverAnSow) { EXPECT_FALSE(Run(60, 98, 98, 98, 3.0, 3.0)); }

TEST_F(SowDetectorTest, NeedsTwentyFiveBarsOfHistory) {
  EXPECT_FALSE(Run(23, 97, 101, 98, 2.0));  // 24 bars seen
  EXPECT_TRUE(Run(24, 97, 101, 98, 2.0));   // 25 bars seen
}

TEST_F(SowDetectorTest, NeedsAUtadInTheRange) {
  h.utad_seen = false;
  EXPECT_FALSE(Run(60, 97, 101, 98, 2.0));
  h.utad_seen = true;
  h.phase = Phase::kA;
  EXPECT_FALSE(Run(61, 97, 101, 98, 2.0));
  h.phase = Phase::kD;
  EXPECT_FALSE(Run(62, 97, 101, 98, 2.0));
  h.phase = Phase::kB;  // again after a failed breakdown
  EXPECT_TRUE(Run(63, 97, 101, 98, 2.0));
}

TEST_F(SowDetectorTest, ASpringIsNotEnough) {
  h.utad_seen = false;
  h.spring_seen = true;
  EXPECT_FALSE(Run(60, 97, 101, 98, 2.0));
}

TEST_F(SowDetectorTest, WithoutNeedingAUtadAMatureDistributionPhaseBIsEnough) {
  h.params.sos_needs_spring = false;
  h.utad_seen = false;
  h.phase = Phase::kB;
  h.pattern_counts = false;
  EXPECT_FALSE(Run(60, 97, 101, 98, 2.0));
  h.pattern_counts = true;
  EXPECT_TRUE(Run(61, 97, 101, 98, 2.0));
  h.kind = RangeKind::kAccumulation;  // an SOW needs a distribution range
  EXPECT_FALSE(Run(62, 97, 101, 98, 2.0));
}

TEST_F(SowDetectorTest, ZeroVolumeIsNeverAnSow) {
  h.Bar(60, 101, 101, 97, 98, 0.0, 2.0, /*volume=*/0);
  EXPECT_FALSE(SosDetector(h.params).OnBarWeakness(h.Context(), h.events));
}

TEST_F(SowDetectorTest, TradeSosMakesItTradeable) {
  h.params.trade_sos = true;
  ASSERT_TRUE(Run(60, 97, 101, 98, 2.0));
  EXPECT_TRUE(h.events.back().tradeable());
  EXPECT_NEAR(h.events.back().reward_risk, 28.0 / 7.0, 1e-9);
}

TEST_F(SowDetectorTest, SosDetectorIgnoresADistributionBreakdown) {
  h.Bar(60, 101, 101, 97, 98, 2.0, 1.5);
  EXPECT_FALSE(SosDetector(h.params).OnBar(h.Context(), h.events));
}

// The LPSY mirrors the LPS: armed by an SOW at S 100 (61 bars: downside jump 70).
class LpsyDetectorTest : public ::testing::Test {
 protected:
  LpsyDetectorTest() {
    h.phase = Phase::kD;
    h.kind = RangeKind::kDistribution;
    PatternEvent sow;
    sow.type = EventType::kSignOfWeakness;
    sow.range_id = 1;
    sow.range_kind = RangeKind::kDistribution;
    sow.level = 100;
    sow.range = LevelsAt(h.range, 60);
    h.Bar(60, 100, 100.5, 97, 97.5, 2.0);
    lps.Arm(h.Context(), sow);
  }
  // A bar reaching up to `high` and closing at `close`.
  LpsDetector::Outcome Run(std::int64_t t, double high, double close, double vr = 0.8) {
    h.Bar(t, close, high, std::min(close, high) - 0.5, close, vr);
    return lps.OnBar(h.Context(), h.events);
  }
  DetectorHarness h;  // S 100, R 110
  LpsDetector lps{h.params};
};

TEST_F(LpsyDetectorTest, EntryStopAndTargetMirrorTheLps) {
  EXPECT_EQ(Run(61, 99, 98.5), LpsDetector::Outcome::kNone);  // 98.5 > 99 * 0.99
  ASSERT_EQ(Run(62, 98.8, 97.9), LpsDetector::Outcome::kConfirmed);
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kLastPointOfSupply);
  EXPECT_EQ(EventTypeName(e.type), "LPSY");
  EXPECT_EQ(e.pattern_index, 61);
  EXPECT_EQ(e.confirm_index, 62);
  EXPECT_EQ(e.extreme, 99);
  EXPECT_EQ(e.bars, 2);
  EXPECT_EQ(e.direction, Direction::kShort);
  EXPECT_NEAR(e.entry, 99, 1e-9);
  EXPECT_NEAR(e.stop, 103, 1e-9);
  EXPECT_EQ(e.target, 70);
  EXPECT_NEAR(e.reward_risk, 29.0 / 4.0, 1e-9);
  EXPECT_EQ(e.confidence, 100);  // quiet rally, within 1% of S
  EXPECT_TRUE(e.tradeable());
}

TEST_F(LpsyDetectorTest, RallyMustStayAtOrBelowTwoPercentAboveS) {
  // The high pokes exactly to S * 1.02 and the close turns down below 102 * 0.99.
  h.Bar(61, 99, 102, 98.5, 99.5, 0.8);
  EXPECT_EQ(lps.OnBar(h.Context(), h.events), LpsDetector::Outcome::kConfirmed);
  EXPECT_EQ(h.events.size(), 1u);
  EXPECT_EQ(h.events.back().extreme, 102);
}

TEST_F(LpsyDetectorTest, RallyAboveTheFloorFails) {
  h.Bar(61, 99, 102.01, 98.5, 99.5, 0.8);
  EXPECT_EQ(lps.OnBar(h.Context(), h.events), LpsDetector::Outcome::kNone);
  EXPECT_EQ(Run(62, 99, 97), LpsDetector::Outcome::kNone);
  EXPECT_TRUE(h.events.empty());
}

TEST_F(LpsyDetectorTest, RallyMustComeWithinThreePercentBelowS) {
  EXPECT_EQ(Run(61, 96.99, 95), LpsDetector::Outcome::kNone);
  EXPECT_EQ(Run(62, 97, 96), LpsDetector::Outcome::kConfirmed);  // 96 <= 97 * 0.99
  EXPECT_EQ(h.events.back().extreme, 97);
}

TEST_F(LpsyDetectorTest, CloseBackAboveSupportIsAFallback) {
  EXPECT_EQ(Run(61, 100.5, 100.01), LpsDetector::Outcome::kFallback);
  EXPECT_FALSE(lps.armed());
}

TEST_F(LpsyDetectorTest, ExpiresTenBarsAfterTheSow) {
  for (int t = 61; t < 70; ++t) EXPECT_EQ(Run(t, 95, 94.5), LpsDetector::Outcome::kNone) << t;
  EXPECT_EQ(Run(70, 95, 94.5), LpsDetector::Outcome::kExpired);
}

}  // namespace
}  // namespace wyckoff::detectors
