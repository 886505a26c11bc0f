#include "wyckoff/detectors/spring_detector.h"

#include <gtest/gtest.h>

#include <cmath>

#include "detector_harness.h"

namespace wyckoff::detectors {
namespace {

using testing::DetectorHarness;

TEST(SpringTradeTest, RulesPageExampleStopEntryRewardRisk) {
  // S 100, spring low 98 (2.00% deep: the 1.5% buffer), target 110.
  const TradeLevels trade = SpringTrade(100, 98, 110, DetectorParams{}, 1.0);
  EXPECT_NEAR(trade.stop, 96.53, 1e-9);
  EXPECT_NEAR(trade.entry, 100.50, 1e-9);
  EXPECT_EQ(trade.target, 110);
  EXPECT_NEAR(trade.reward_risk, 9.5 / 3.97, 1e-9);
  EXPECT_NEAR(trade.reward_risk, 2.39, 0.005);
}

TEST(SpringTradeTest, StopBufferEdgesAtTwoAndThreePercent) {
  const DetectorParams p;
  EXPECT_EQ(StopBuffer(0.0199, p, 1.0), 0.02);
  EXPECT_EQ(StopBuffer(0.02, p, 1.0), 0.015);  // exactly 2%: not below 2%
  EXPECT_EQ(StopBuffer(0.0299, p, 1.0), 0.015);
  EXPECT_EQ(StopBuffer(0.03, p, 1.0), 0.01);  // exactly 3%: not below 3%
  EXPECT_EQ(StopBuffer(0.05, p, 1.0), 0.01);
}

TEST(SpringTradeTest, StopBufferScalesWithTheInterval) {
  EXPECT_NEAR(StopBuffer(0.0029, DetectorParams{}, 0.15), 0.02 * 0.15, 1e-15);
  EXPECT_NEAR(StopBuffer(0.0031, DetectorParams{}, 0.15), 0.015 * 0.15, 1e-15);
}

TEST(SpringConfidenceTest, SumsTheTablesAndCapsAtHundred) {
  const DetectorParams p;
  // volume 0.25 -> 40, penetration 1.5% -> 35, recovery 0 -> 25, tested 20, quality 80 -> 8.
  EXPECT_EQ(SpringConfidence(0.25, 0.015, 0, true, 80, p, 1.0), 100);
  // volume 0.45 -> 20, penetration 2.5% -> 25, recovery 2 -> 20, untested, quality 55 -> 5.
  EXPECT_EQ(SpringConfidence(0.45, 0.025, 2, false, 55, p, 1.0), 70);
  // volume 0.65 -> 5, penetration 0.5% -> 5, recovery 4 -> 10, quality 0.
  EXPECT_EQ(SpringConfidence(0.65, 0.005, 4, false, 0, p, 1.0), 20);
  // Edges: 0.3 is not < 0.3 (30); 1% and 4% (5 beyond 4%, 35 from 1%).
  EXPECT_EQ(SpringConfidence(0.3, 0.01, 3, false, 0, p, 1.0), 30 + 35 + 15);
  EXPECT_EQ(SpringConfidence(0.6, 0.04, 1, false, 0, p, 1.0), 5 + 5 + 25);
}

TEST(SpringConfidenceTest, ScoredModeLowersConfidenceForHighVolume) {
  DetectorParams p;
  p.spring_volume_mode = SpringVolumeMode::kScored;
  EXPECT_EQ(SpringConfidence(0.7, 0.015, 0, false, 0, p, 1.0), 0 + 35 + 25);
  EXPECT_EQ(SpringConfidence(1.2, 0.015, 0, false, 0, p, 1.0), -10 + 35 + 25);
  EXPECT_EQ(SpringConfidence(0.69, 0.015, 0, false, 0, p, 1.0), 5 + 35 + 25);
}

class SpringDetectorTest : public ::testing::Test {
 protected:
  SpringDetector::Step Run(std::int64_t t, double low, double close, double vr,
                           double volume = 1000) {
    h.Bar(t, close, std::max(close, 100.5), low, close, vr, 1.0, volume);
    return detector.OnBar(h.Context(), h.events);
  }
  DetectorHarness h;
  SpringDetector detector{h.params};
};

TEST_F(SpringDetectorTest, SameBarRecoveryIsASpringWithRecoveryZero) {
  const auto step = Run(50, 98, 100.2, 0.5);
  ASSERT_TRUE(step.confirmed);
  ASSERT_EQ(h.events.size(), 1u);
  const PatternEvent& e = h.events[0];
  EXPECT_EQ(e.type, EventType::kSpring);
  EXPECT_EQ(e.pattern_index, 50);
  EXPECT_EQ(e.confirm_index, 50);
  EXPECT_EQ(e.bars, 0);
  EXPECT_EQ(e.level, 100);
  EXPECT_EQ(e.extreme, 98);
  EXPECT_EQ(e.penetration, 0.02);
  EXPECT_EQ(e.range_id, 1);
  EXPECT_EQ(e.direction, Direction::kLong);
  EXPECT_NEAR(e.stop, 96.53, 1e-9);
  EXPECT_EQ(e.not_tradeable, NotTradeable::kNoTest);
}

TEST_F(SpringDetectorTest, VolumeRatioExactlyPointSevenIsRejected) {
  EXPECT_FALSE(Run(50, 98, 100.2, 0.7).confirmed);
  EXPECT_FALSE(detector.pending());
  EXPECT_TRUE(Run(54, 98, 100.2, 0.6999).confirmed);
}

TEST_F(SpringDetectorTest, ScoredModeAdmitsHighVolume) {
  h.params.spring_volume_mode = SpringVolumeMode::kScored;
  SpringDetector scored(h.params);
  h.Bar(50, 99, 100.5, 98, 100.2, 1.2);
  EXPECT_TRUE(scored.OnBar(h.Context(), h.events).confirmed);
}

TEST_F(SpringDetectorTest, PenetrationExactlyFivePercentIsASpring) {
  EXPECT_TRUE(Run(50, 95, 100.2, 0.5).confirmed);
  EXPECT_EQ(h.events.back().penetration, 0.05);
}

TEST_F(SpringDetectorTest, PenetrationBeyondFivePercentIsNotASpring) {
  EXPECT_FALSE(Run(50, 94.99, 100.2, 0.5).confirmed);
  EXPECT_FALSE(detector.pending());
}

TEST_F(SpringDetectorTest, MinimumPenetrationRefusesAShallowPierce) {
  h.params.spring_min_penetration = 0.01;
  SpringDetector deep_only(h.params);
  h.Bar(50, 99.5, 100.5, 99.01, 100.2, 0.5);  // 0.99% below S
  EXPECT_FALSE(deep_only.OnBar(h.Context(), h.events).confirmed);
  EXPECT_FALSE(deep_only.pending());
  h.Bar(54, 99.5, 100.5, 99, 100.2, 0.5);  // exactly 1%
  EXPECT_TRUE(deep_only.OnBar(h.Context(), h.events).confirmed);
}

TEST_F(SpringDetectorTest, LowAtSupportIsNotAPierce) {
  EXPECT_FALSE(Run(50, 100, 100.2, 0.5).confirmed);
  EXPECT_FALSE(detector.pending());
}

TEST_F(SpringDetectorTest, ZeroVolumeNeverPassesTheGate) {
  EXPECT_FALSE(Run(50, 98, 100.2, 0.0, /*volume=*/0).confirmed);
  EXPECT_FALSE(Run(51, 98, 100.2, std::nan(""), /*volume=*/0).confirmed);
  EXPECT_TRUE(h.events.empty());
}

TEST_F(SpringDetectorTest, RecoveryWithinFiveBarsConfirmsLate) {
  EXPECT_FALSE(Run(50, 98, 99, 0.5).confirmed);
  EXPECT_TRUE(detector.pending());
  for (int t = 51; t < 55; ++t) EXPECT_FALSE(Run(t, 98.5, 99.5, 0.9).confirmed) << t;
  const auto step = Run(55, 98.5, 100.1, 0.9);  // bar +5: last chance
  ASSERT_TRUE(step.confirmed);
  EXPECT_EQ(h.events.back().pattern_index, 50);
  EXPECT_EQ(h.events.back().confirm_index, 55);
  EXPECT_EQ(h.events.back().bars, 5);
}

TEST_F(SpringDetectorTest, NoRecoveryWithinFiveBarsDropsTheCandidate) {
  Run(50, 98, 99, 0.5);
  for (int t = 51; t <= 55; ++t) Run(t, 98.5, 99.5, 0.9);
  EXPECT_FALSE(detector.pending());
  EXPECT_FALSE(Run(56, 98.5, 100.1, 0.9).confirmed);
  EXPECT_TRUE(h.events.empty());
}

TEST_F(SpringDetectorTest, DeeperLowUpdatesTheSpringBar) {
  Run(50, 98, 99, 0.5);
  Run(51, 97, 98, 0.4);
  ASSERT_TRUE(Run(52, 98, 100.5, 0.9).confirmed);
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.pattern_index, 51);
  EXPECT_EQ(e.extreme, 97);
  EXPECT_EQ(e.volume_ratio, 0.4);
  EXPECT_EQ(e.bars, 1);
}

TEST_F(SpringDetectorTest, DeeperLowBeyondFivePercentIsABreakdown) {
  Run(50, 98, 99, 0.5);
  Run(51, 94, 95, 0.4);
  EXPECT_FALSE(detector.pending());
  EXPECT_FALSE(Run(52, 98, 100.5, 0.9).confirmed);
}

TEST_F(SpringDetectorTest, TestOnLowerVolumeGivesTheTradeSignal) {
  Run(50, 98, 100.2, 0.5);  // spring, confidence 10 + 25 + 25 + 8 = 68 before the test
  EXPECT_FALSE(Run(52, 98.5, 101, 0.3).tested);  // +2: too early
  const auto step = Run(53, 98.5, 101, 0.3);     // +3, 0.51% above the low, 0.3 < 0.5
  ASSERT_TRUE(step.tested);
  const PatternEvent& e = h.events.back();
  EXPECT_EQ(e.type, EventType::kSpringTest);
  EXPECT_EQ(e.pattern_index, 50);
  EXPECT_EQ(e.confirm_index, 53);
  EXPECT_EQ(e.confidence, 88);  // + 20 for the test
  EXPECT_NEAR(e.entry, 100.5, 1e-9);
  EXPECT_NEAR(e.stop, 96.53, 1e-9);
  EXPECT_EQ(e.target, 110 + 3.0 * 10);  // the jump of a range of 54 bars
  EXPECT_TRUE(e.tradeable());
}

TEST_F(SpringDetectorTest, TestMustStayWithinThreePercentOfTheLow) {
  Run(50, 98, 100.2, 0.5);
  EXPECT_FALSE(Run(53, 98 * 1.0301, 101, 0.3).tested);
  EXPECT_TRUE(Run(54, 98 * 1.03, 101, 0.3).tested);
}

TEST_F(SpringDetectorTest, TestNeedsLowerVolumeRatio) {
  Run(50, 98, 100.2, 0.5);
  EXPECT_FALSE(Run(53, 98.5, 101, 0.5).tested);
  EXPECT_TRUE(Run(54, 98.5, 101, 0.49).tested);
}

TEST_F(SpringDetectorTest, LowBelowTheSpringLowEndsTheTestSearch) {
  Run(50, 98, 100.2, 0.5);
  Run(52, 97.9, 100.2, 0.9);
  EXPECT_FALSE(Run(53, 98.5, 101, 0.3).tested);
}

TEST_F(SpringDetectorTest, NoTestAfterFifteenBars) {
  Run(50, 98, 100.2, 0.5);
  EXPECT_FALSE(Run(66, 100.5, 101, 0.3).tested);  // +16; 100.5 is within 3% of 98
  EXPECT_EQ(h.events.size(), 1u);
}

TEST_F(SpringDetectorTest, CloseFivePercentBelowSupportInvalidates) {
  Run(50, 98, 100.2, 0.5);
  EXPECT_FALSE(Run(52, 94, 95, 0.9).invalidated);  // exactly 5% below: not more
  const auto step = Run(53, 94, 94.99, 0.9);
  ASSERT_TRUE(step.invalidated);
  EXPECT_EQ(h.events.back().type, EventType::kSpringInvalidated);
  EXPECT_EQ(h.events.back().bars, 3);
  EXPECT_EQ(h.events.back().pattern_index, 50);
}

TEST_F(SpringDetectorTest, InvalidationWindowIsTenBarsAfterRecovery) {
  Run(50, 98, 100.2, 0.5);
  EXPECT_FALSE(Run(61, 94, 94.0, 0.9).invalidated);
}

TEST_F(SpringDetectorTest, CooldownOfThreeBarsBetweenSprings) {
  ASSERT_TRUE(Run(50, 98, 100.2, 0.5).confirmed);
  EXPECT_FALSE(Run(52, 97.5, 100.2, 0.5).confirmed);
  EXPECT_TRUE(Run(53, 97.5, 100.2, 0.5).confirmed);
}

TEST_F(SpringDetectorTest, YoungPhaseBSpringIsNotTradeable) {
  h.pattern_counts = false;
  h.phase_bars = 6;
  h.params.spring_needs_test = false;
  SpringDetector detector_without_test(h.params);
  h.Bar(50, 99, 100.5, 98, 100.2, 0.2);
  ASSERT_TRUE(detector_without_test.OnBar(h.Context(), h.events).confirmed);
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kPhase);
  EXPECT_EQ(NotTradeableText(h.events.back(), h.params), "phase B too young (6 of 10 bars)");
}

TEST_F(SpringDetectorTest, TheTestKeepsThePhaseOfTheSpringsConfirmation) {
  h.pattern_counts = false;
  h.phase_bars = 7;
  ASSERT_TRUE(Run(50, 98, 100.2, 0.5).confirmed);
  EXPECT_EQ(NotTradeableText(h.events.back(), h.params), "phase B too young (7 of 10 bars)");
  h.phase_bars = 12;  // later bars: the phase has aged, the spring's gate has not
  h.pattern_counts = true;
  EXPECT_TRUE(Run(54, 98.5, 100.5, 0.3).tested);
  EXPECT_EQ(h.events.back().type, EventType::kSpringTest);
  EXPECT_EQ(h.events.back().gate_phase_bars, 7);
  EXPECT_EQ(NotTradeableText(h.events.back(), h.params), "phase B too young (7 of 10 bars)");
}

TEST_F(SpringDetectorTest, ReasonsInATradersWords) {
  ASSERT_TRUE(Run(50, 98, 100.2, 0.5).confirmed);  // untested
  PatternEvent e = h.events.back();
  EXPECT_EQ(NotTradeableText(e, h.params), "no test yet (spring_needs_test)");
  e.not_tradeable = NotTradeable::kLowConfidence;
  e.confidence = 48.4;
  EXPECT_EQ(NotTradeableText(e, h.params), "confidence 48 below 70");
  e.not_tradeable = NotTradeable::kRewardRisk;
  e.reward_risk = 1.604;
  EXPECT_EQ(NotTradeableText(e, h.params), "reward/risk 1.60 below 2");
  e.not_tradeable = NotTradeable::kWarmUp;
  e.confirm_index = 11;
  EXPECT_EQ(NotTradeableText(e, h.params), "warm-up (12 of 25 bars)");
  e.not_tradeable = NotTradeable::kPhase;
  e.range_kind = RangeKind::kDistribution;
  EXPECT_EQ(NotTradeableText(e, h.params),
            "distribution range (springs count in accumulation ranges)");
  e.range_kind = RangeKind::kAccumulation;
  e.gate_phase = Phase::kA;
  EXPECT_EQ(NotTradeableText(e, h.params), "phase A (no trading before phase B)");
  e.not_tradeable = NotTradeable::kNone;
  EXPECT_EQ(NotTradeableText(e, h.params), "");
  e.type = EventType::kSignOfStrength;
  e.not_tradeable = NotTradeable::kDisabled;
  EXPECT_EQ(NotTradeableText(e, h.params), "SOS not traded itself (trade_sos=false)");
  e.type = EventType::kUpthrust;
  e.not_tradeable = NotTradeable::kPhase;
  EXPECT_EQ(NotTradeableText(e, h.params),
            "accumulation range (upthrusts count in distribution ranges)");
}

TEST_F(SpringDetectorTest, InADistributionRangeTradeableOnlyWithSpringAnyKind) {
  h.params.spring_needs_test = false;
  h.kind = RangeKind::kDistribution;
  SpringDetector accumulation_only(h.params);
  h.Bar(50, 99, 100.5, 98.5, 100.2, 0.2);
  ASSERT_TRUE(accumulation_only.OnBar(h.Context(), h.events).confirmed);
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kPhase);
  h.params.spring_any_kind = true;
  SpringDetector any_kind(h.params);
  ASSERT_TRUE(any_kind.OnBar(h.Context(), h.events).confirmed);
  EXPECT_TRUE(h.events.back().tradeable());
}

TEST_F(SpringDetectorTest, WithoutTestRequirementAStrongSpringIsTradeable) {
  h.params.spring_needs_test = false;
  SpringDetector direct(h.params);
  h.Bar(50, 99, 100.5, 98.5, 100.2, 0.2);  // 40 + 35 + 25 + 8 = 100
  ASSERT_TRUE(direct.OnBar(h.Context(), h.events).confirmed);
  EXPECT_EQ(h.events.back().confidence, 100);
  EXPECT_TRUE(h.events.back().tradeable());
}

TEST_F(SpringDetectorTest, LowRewardRiskIsRejected) {
  h.params.spring_needs_test = false;
  SpringDetector direct(h.params);
  h.range.resistance = 101;  // jump 101 + 3 * 1 = 104: reward 3.5 against risk 3.97
  h.Bar(50, 99, 100.5, 98, 100.2, 0.2);
  ASSERT_TRUE(direct.OnBar(h.Context(), h.events).confirmed);
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kRewardRisk);
}

TEST_F(SpringDetectorTest, WarmUpBlocksTrading) {
  h.params.spring_needs_test = false;
  SpringDetector direct(h.params);
  h.Bar(23, 99, 100.5, 98.5, 100.2, 0.2);  // 24 bars seen, warm-up 25
  ASSERT_TRUE(direct.OnBar(h.Context(), h.events).confirmed);
  EXPECT_EQ(h.events.back().not_tradeable, NotTradeable::kWarmUp);
}

TEST_F(SpringDetectorTest, BrokenRangeDropsThePendingCandidate) {
  Run(50, 98, 99, 0.5);
  h.range.status = RangeStatus::kBrokenDown;
  EXPECT_FALSE(Run(51, 98.5, 100.5, 0.9).confirmed);
  EXPECT_FALSE(detector.pending());
}

TEST_F(SpringDetectorTest, LevelsAreCopiedIntoTheEvent) {
  Run(50, 98, 100.2, 0.5);
  h.range.support = 90;  // a later change of the range
  Run(53, 98.5, 101, 0.3);
  EXPECT_EQ(h.events[0].level, 100);
  EXPECT_EQ(h.events[1].level, 100);
  EXPECT_EQ(h.events[1].range.support, 100);
}

}  // namespace
}  // namespace wyckoff::detectors
