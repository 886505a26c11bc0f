#include "wyckoff/detectors/params.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace wyckoff::detectors {
namespace {

std::string ValueOf(const DetectorParams& params, const std::string& name) {
  for (const auto& [n, v] : ListParams(params)) {
    if (n == name) return v;
  }
  return "<missing>";
}

TEST(DetectorParamsTest, DefaultsFollowTheRulesPage) {
  const DetectorParams p;
  EXPECT_EQ(ValueOf(p, "volume_window"), "20");
  EXPECT_EQ(ValueOf(p, "atr_period"), "14");
  EXPECT_EQ(ValueOf(p, "pivot_lookback"), "5");
  EXPECT_EQ(ValueOf(p, "cluster_tolerance"), "0.02");
  EXPECT_EQ(ValueOf(p, "spring_volume_max"), "0.7");
  EXPECT_EQ(ValueOf(p, "spring_volume_mode"), "strict");
  EXPECT_EQ(ValueOf(p, "spring_needs_test"), "true");
  EXPECT_EQ(ValueOf(p, "sos_volume"), "1.5");
  EXPECT_EQ(ValueOf(p, "trade_sos"), "false");
  EXPECT_EQ(ValueOf(p, "range_mode"), "pivot");
  EXPECT_EQ(ValueOf(p, "bar_interval"), "auto");
  EXPECT_EQ(ValueOf(p, "min_reward_risk"), "2");
}

TEST(DetectorParamsTest, SetParamChangesTheNamedField) {
  DetectorParams p;
  ASSERT_TRUE(SetParam(p, "spring_volume_max", "0.6"));
  ASSERT_TRUE(SetParam(p, "pivot_lookback", "7"));
  ASSERT_TRUE(SetParam(p, "spring_needs_test", "off"));
  ASSERT_TRUE(SetParam(p, "range_mode", "atr"));
  ASSERT_TRUE(SetParam(p, "spring_volume_mode", "scored"));
  ASSERT_TRUE(SetParam(p, "bar_interval", "5m"));
  EXPECT_EQ(p.spring_volume_max, 0.6);
  EXPECT_EQ(p.pivot_lookback, 7);
  EXPECT_FALSE(p.spring_needs_test);
  EXPECT_EQ(p.range_mode, RangeMode::kAtr);
  EXPECT_EQ(p.spring_volume_mode, SpringVolumeMode::kScored);
  EXPECT_EQ(p.bar_interval, BarInterval::kMinute5);
}

TEST(DetectorParamsTest, UnknownNameIsAnErrorNamingIt) {
  DetectorParams p;
  const auto result = SetParam(p, "spring_volume", "0.5");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message.find("spring_volume"), std::string::npos);
}

TEST(DetectorParamsTest, BadValuesAreErrorsNamingParameterAndValue) {
  DetectorParams p;
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"volume_window", "abc"},
                                                        {"volume_window", "0"},
                                                        {"volume_window", "2.5"},
                                                        {"cluster_tolerance", "1.5"},
                                                        {"cluster_tolerance", "0"},
                                                        {"cluster_tolerance", "nan"},
                                                        {"sos_volume", "-1"},
                                                        {"spring_needs_test", "maybe"},
                                                        {"range_mode", "box"},
                                                        {"bar_interval", "2m"},
                                                        {"active_min_quality", "101"},
                                                        {"spring_volume_max", ""}}) {
    const auto result = SetParam(p, name, value);
    ASSERT_FALSE(result) << name << "=" << value;
    EXPECT_NE(result.error().message.find(name), std::string::npos);
    EXPECT_NE(result.error().message.find("\"" + value + "\""), std::string::npos);
  }
  const DetectorParams defaults;
  EXPECT_EQ(p.volume_window, defaults.volume_window);  // failures leave the value alone
}

TEST(DetectorParamsTest, EveryListedValueParsesBackToTheSameList) {
  DetectorParams changed;
  changed.spring_volume_max = 0.123456789;
  changed.utad_volume = 1.75;
  const auto listed = ListParams(changed);
  std::set<std::string> names;
  DetectorParams rebuilt;
  for (const auto& [name, value] : listed) {
    EXPECT_TRUE(names.insert(name).second) << "duplicate " << name;
    EXPECT_TRUE(SetParam(rebuilt, name, value)) << name << "=" << value;
  }
  EXPECT_EQ(ListParams(rebuilt), listed);
  EXPECT_EQ(rebuilt.spring_volume_max, 0.123456789);
  EXPECT_GE(listed.size(), 60u);
}

TEST(DetectorParamsTest, ValidateRejectsInconsistentWindows) {
  DetectorParams p;
  EXPECT_TRUE(ValidateParams(p));
  p.spring_test_min_bars = 20;
  const auto result = ValidateParams(p);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("spring_test_min_bars"), std::string::npos);
}

TEST(DetectorParamsTest, PercentileModeParsesAndRejectsALowQuantileFromTheMiddle) {
  DetectorParams p;
  ASSERT_TRUE(SetParam(p, "range_mode", "percentile"));
  EXPECT_EQ(p.range_mode, RangeMode::kPercentile);
  ASSERT_TRUE(SetParam(p, "percentile_window", "21"));
  EXPECT_EQ(p.percentile_window, 21);
  EXPECT_TRUE(ValidateParams(p));
  ASSERT_TRUE(SetParam(p, "percentile_low", "0.5"));
  const auto r = ValidateParams(p);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("percentile_low 0.5"), std::string::npos) << r.error().message;
}

TEST(PriceScaleTest, ScalesByBarInterval) {
  constexpr Timestamp kMinute = 60 * kNanosPerSecond;
  EXPECT_EQ(PriceScaleForInterval(kMinute), 0.15);
  EXPECT_EQ(PriceScaleForInterval(5 * kMinute), 0.20);
  EXPECT_EQ(PriceScaleForInterval(15 * kMinute), 0.30);
  EXPECT_EQ(PriceScaleForInterval(60 * kMinute), 0.70);
  EXPECT_EQ(PriceScaleForInterval(kNanosPerDay), 1.0);
  EXPECT_EQ(PriceScaleForInterval(BarInterval::kMinute1), 0.15);
  EXPECT_EQ(PriceScaleForInterval(BarInterval::kAuto), 1.0);
}

}  // namespace
}  // namespace wyckoff::detectors
