#include "wyckoff/detectors/features.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace wyckoff::detectors {
namespace {

BarValues MakeBar(double high, double low, double close, double volume) {
  return {0, low, high, low, close, volume};
}

TEST(FeatureCalculatorTest, VolumeRatioTwoAfterTwentyBarsOfHundred) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) features.Update(MakeBar(101, 99, 100, 100));
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 200));
  EXPECT_EQ(f.volume_ratio, 2.0);
  EXPECT_EQ(f.index, 20);
}

TEST(FeatureCalculatorTest, SpreadRatioTwoAfterSpreadsOfTen) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) features.Update(MakeBar(110, 100, 105, 100));
  const FeatureValues& f = features.Update(MakeBar(120, 100, 105, 100));
  EXPECT_EQ(f.spread, 20.0);
  EXPECT_EQ(f.spread_ratio, 2.0);
}

TEST(FeatureCalculatorTest, ClosePositionHalfForHundredNinetyNinetyFive) {
  EXPECT_EQ(ClosePosition(100, 90, 95), 0.5);
  EXPECT_EQ(ClosePosition(100, 90, 100), 1.0);
  EXPECT_EQ(ClosePosition(100, 90, 90), 0.0);
}

TEST(FeatureCalculatorTest, FlatBarHasClosePositionHalf) {
  FeatureCalculator features{DetectorParams{}};
  const FeatureValues& f = features.Update(MakeBar(50, 50, 50, 10));
  EXPECT_EQ(f.close_position, 0.5);
  EXPECT_TRUE(f.flat);
  EXPECT_EQ(f.spread, 0.0);
}

TEST(FeatureCalculatorTest, RatiosUndefinedUntilTwentyPriorBars) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) {
    const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 100));
    EXPECT_TRUE(std::isnan(f.volume_ratio)) << "bar " << i;
    EXPECT_TRUE(std::isnan(f.spread_ratio)) << "bar " << i;
    EXPECT_FALSE(f.VolumeGateOpen());
  }
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 100));
  EXPECT_EQ(f.volume_ratio, 1.0);
  EXPECT_EQ(f.spread_ratio, 1.0);
  EXPECT_TRUE(f.VolumeGateOpen());
}

TEST(FeatureCalculatorTest, ZeroVolumeMeanLeavesRatioUndefined) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 25; ++i) features.Update(MakeBar(101, 99, 100, 0));
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 0));
  EXPECT_TRUE(std::isnan(f.volume_ratio));
  EXPECT_FALSE(f.has_volume);
  EXPECT_FALSE(f.VolumeGateOpen());
  EXPECT_EQ(f.effort, EffortClass::kNormal);
}

TEST(FeatureCalculatorTest, ZeroVolumeBarNeverOpensTheGate) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) features.Update(MakeBar(101, 99, 100, 100));
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 0));
  EXPECT_EQ(f.volume_ratio, 0.0);
  EXPECT_FALSE(f.VolumeGateOpen());
}

TEST(FeatureCalculatorTest, ZeroSpreadMeanLeavesSpreadRatioUndefined) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) features.Update(MakeBar(100, 100, 100, 100));
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 100));
  EXPECT_TRUE(std::isnan(f.spread_ratio));
}

TEST(FeatureCalculatorTest, CurrentBarIsExcludedFromTheMean) {
  FeatureCalculator features{DetectorParams{}};
  for (int i = 0; i < 20; ++i) features.Update(MakeBar(101, 99, 100, 100));
  features.Update(MakeBar(101, 99, 100, 300));  // enters the window for the next bar
  const FeatureValues& f = features.Update(MakeBar(101, 99, 100, 110));
  EXPECT_EQ(f.volume_ratio, 1.0);  // mean of 19 x 100 and 300 = 110
}

TEST(WilderAtrTest, UndefinedBeforeFourteenBarsThenWilderSmoothing) {
  WilderAtr atr(14);
  for (int i = 0; i < 13; ++i) EXPECT_TRUE(std::isnan(atr.Update(102, 100, 101))) << i;
  EXPECT_EQ(atr.Update(102, 100, 101), 2.0);  // mean of 14 true ranges of 2
  // True range 9 (high 110 against the previous close 101): (2 * 13 + 9) / 14 = 2.5.
  EXPECT_EQ(atr.Update(110, 105, 108), 2.5);
}

TEST(WilderAtrTest, FirstBarUsesHighMinusLow) {
  WilderAtr atr(1);
  EXPECT_EQ(atr.Update(12, 10, 11), 2.0);
  EXPECT_EQ(atr.Update(20, 19, 19.5), 9.0);  // gap: |20 - 11|
}

TEST(EffortClassTest, Boundaries) {
  EXPECT_EQ(ClassifyEffort(2.0, 1.0), EffortClass::kClimactic);
  EXPECT_EQ(ClassifyEffort(1.5, 1.5), EffortClass::kClimactic);
  EXPECT_EQ(ClassifyEffort(1.99, 1.49), EffortClass::kNormal);
  EXPECT_EQ(ClassifyEffort(1.4, 0.8), EffortClass::kAbsorption);
  EXPECT_EQ(ClassifyEffort(1.4, 0.81), EffortClass::kNormal);
  EXPECT_EQ(ClassifyEffort(0.6, 0.8), EffortClass::kNoDemand);
  EXPECT_EQ(ClassifyEffort(0.61, 0.8), EffortClass::kNormal);
  EXPECT_EQ(ClassifyEffort(std::nan(""), 2.0), EffortClass::kNormal);
  EXPECT_EQ(ClassifyEffort(3.0, std::nan("")), EffortClass::kNormal);
}

TEST(RollingMeanTest, MeanOfLastWindowValues) {
  RollingMean mean(3);
  mean.Push(1);
  mean.Push(2);
  EXPECT_TRUE(std::isnan(mean.Mean()));
  mean.Push(3);
  EXPECT_EQ(mean.Mean(), 2.0);
  mean.Push(10);
  EXPECT_EQ(mean.Mean(), 5.0);
}

TEST(RollingExtremeTest, MaximumAndMinimumOverWindow) {
  RollingExtreme high(3, /*maximum=*/true);
  RollingExtreme low(3, /*maximum=*/false);
  const double values[] = {5, 3, 4, 1, 2, 6, 6, 0};
  const double expected_high[] = {5, 5, 5, 4, 4, 6, 6, 6};
  const double expected_low[] = {5, 3, 3, 1, 1, 1, 2, 0};
  for (int i = 0; i < 8; ++i) {
    high.Push(i, values[i]);
    low.Push(i, values[i]);
    EXPECT_EQ(high.Value(), expected_high[i]) << i;
    EXPECT_EQ(low.Value(), expected_low[i]) << i;
  }
  EXPECT_TRUE(high.full());
}

// Bars 1..30 rising by 1, volume 100 + 10 i, the bar at 25 a wide one.
std::vector<Bar> RisingBars() {
  std::vector<Bar> bars;
  for (int i = 0; i < 30; ++i) {
    const auto p = Decimal::FromInt(100 + i);
    const auto wide = Decimal::FromInt(i == 25 ? 8 : 1);
    bars.push_back({.time = (10'957 + i) * kNanosPerDay,
                    .open = p,
                    .high = p + wide,
                    .low = p - wide,
                    .close = p,
                    .volume = Decimal::FromInt(100 + 10 * i)});
  }
  return bars;
}

// Equal, or both undefined.
bool Same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

TEST(FeatureSeriesTest, EveryBarHasTheFeaturesACalculatorGives) {
  const std::vector<Bar> bars = RisingBars();
  DetectorParams params;
  params.volume_window = 5;
  params.atr_period = 3;
  const FeatureSeries series = FeatureSeries::Compute(bars, &params);
  ASSERT_EQ(series.bars.size(), 30u);
  ASSERT_EQ(series.features.size(), 30u);
  FeatureCalculator live(params);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const FeatureValues& f = live.Update(ToBarValues(bars[i]));
    const FeatureValues& g = series.features[i];
    EXPECT_EQ(series.bars[i].time, bars[i].time);
    EXPECT_EQ(series.bars[i].high, bars[i].high.ToDouble());
    EXPECT_EQ(g.index, static_cast<std::int64_t>(i));
    EXPECT_TRUE(Same(g.atr, f.atr)) << i;
    EXPECT_TRUE(Same(g.volume_ratio, f.volume_ratio)) << i;
    EXPECT_TRUE(Same(g.spread_ratio, f.spread_ratio)) << i;
    EXPECT_EQ(g.effort, f.effort) << i;
  }
  // Bar 25: volume 350 over the mean of 300, 310, 320, 330, 340 (= 320); spread 16 over 2.
  EXPECT_DOUBLE_EQ(series.features[25].volume_ratio, 350.0 / 320.0);
  EXPECT_DOUBLE_EQ(series.features[25].spread_ratio, 8.0);
  EXPECT_TRUE(std::isnan(series.features[4].volume_ratio));  // four prior bars only
  EXPECT_FALSE(std::isnan(series.features[5].volume_ratio));
  EXPECT_TRUE(std::isnan(series.features[1].atr));  // three bars make the first ATR
  EXPECT_DOUBLE_EQ(series.features[2].atr, 2.0);
  EXPECT_TRUE(SameFeatureParams(series.params, params));
}

TEST(FeatureSeriesTest, WithoutParametersOnlyTheBarValues) {
  const FeatureSeries series = FeatureSeries::Compute(RisingBars(), nullptr);
  EXPECT_EQ(series.bars.size(), 30u);
  EXPECT_FALSE(series.has_features());
}

TEST(FeatureSeriesTest, OnlyTheThreeFeatureParametersDecideTheFeatures) {
  DetectorParams a, b;
  b.min_reward_risk = 3;
  b.pivot_lookback = 7;
  EXPECT_TRUE(SameFeatureParams(a, b));
  b.spread_window = 21;
  EXPECT_FALSE(SameFeatureParams(a, b));
  EXPECT_TRUE(IsFeatureParam("volume_window"));
  EXPECT_TRUE(IsFeatureParam("spread_window"));
  EXPECT_TRUE(IsFeatureParam("atr_period"));
  EXPECT_FALSE(IsFeatureParam("min_reward_risk"));
}

}  // namespace
}  // namespace wyckoff::detectors
