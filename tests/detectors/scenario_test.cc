#include "wyckoff/detectors/scenario.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "fingerprint.h"

namespace wyckoff::detectors {
namespace {

Scenario Generate(ScenarioKind kind, std::uint64_t seed, std::size_t bars = 5000) {
  auto scenario = GenerateScenario({.kind = kind, .bars = bars, .seed = seed});
  EXPECT_TRUE(scenario.has_value()) << scenario.error().message;
  return scenario ? std::move(*scenario) : Scenario{};
}

bool SameBars(const std::vector<Bar>& a, const std::vector<Bar>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].time != b[i].time || a[i].open != b[i].open || a[i].high != b[i].high ||
        a[i].low != b[i].low || a[i].close != b[i].close || a[i].volume != b[i].volume) {
      return false;
    }
  }
  return true;
}

TEST(ScenarioTest, SameSeedGivesTheSameBarsAndLabels) {
  const Scenario a = Generate(ScenarioKind::kMixed, 7);
  const Scenario b = Generate(ScenarioKind::kMixed, 7);
  EXPECT_TRUE(SameBars(a.bars, b.bars));
  ASSERT_EQ(a.labels.size(), b.labels.size());
  for (std::size_t i = 0; i < a.labels.size(); ++i) {
    EXPECT_EQ(a.labels[i].type, b.labels[i].type);
    EXPECT_EQ(a.labels[i].pattern_index, b.labels[i].pattern_index);
    EXPECT_EQ(a.labels[i].end_index, b.labels[i].end_index);
    EXPECT_EQ(a.labels[i].detail, b.labels[i].detail);
  }
}

TEST(ScenarioTest, OtherSeedsGiveOtherBars) {
  EXPECT_FALSE(
      SameBars(Generate(ScenarioKind::kMixed, 7).bars, Generate(ScenarioKind::kMixed, 8).bars));
}

// A fingerprint of seed 7: fails when the generator's output changes (for instance on another
// standard library), which would silently change every figure in docs/detectors.md.
TEST(ScenarioTest, SeedSevenIsStable) {
  const Scenario s = Generate(ScenarioKind::kAccumulation, 7);
  ASSERT_EQ(s.bars.size(), 5000u);
  EXPECT_EQ(s.bars[0].time, 946'857'600LL * kNanosPerSecond);
  EXPECT_EQ(s.bars[0].close.ToString(), "100");
  std::uint64_t hash = 1469598103934665603ULL;
  for (const Bar& bar : s.bars) {
    for (const Decimal& d : {bar.open, bar.high, bar.low, bar.close, bar.volume}) {
      for (char c : d.ToString()) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
  }
  EXPECT_EQ(hash, 6116567045346978687u) << "update after an intended change of the generator";
}

// Every field of a label, as text.
std::string LabelText(const ScenarioLabel& l) {
  return std::string(LabelTypeName(l.type)) + " " + std::to_string(l.pattern_index) + " " +
         std::to_string(l.end_index) + " " + std::to_string(l.pattern_time) + " " +
         std::to_string(l.end_time) + " " + std::to_string(l.structure) + " " + l.level.ToString() +
         " " + l.detail;
}

std::uint64_t LabelsDigest(const std::vector<ScenarioLabel>& labels) {
  std::uint64_t hash = testing::kFnvOffset;
  for (const ScenarioLabel& l : labels) hash = testing::Fnv1a(LabelText(l) + "\n", hash);
  return hash;
}

// Characterisation of the generator: the first bars and labels, and digests of every field
// of every bar and label, for each kind, the minimum length and one-minute bars.
TEST(ScenarioTest, AccumulationSeedSevenGivesThePinnedBarsAndLabels) {
  const Scenario s = Generate(ScenarioKind::kAccumulation, 7);
  EXPECT_EQ(testing::BarText(s.bars[0]), "946857600000000000 2 100 100.3 99.7 100 464855");
  EXPECT_EQ(testing::BarText(s.bars[1]), "946944000000000000 2 100.07 100.4 98.33 98.34 469038");
  EXPECT_EQ(testing::BarText(s.bars[4999]),
            "1551398400000000000 2 207.86 208.1 207.19 208.08 1557444");  // 2019-03-01
  ASSERT_GE(s.labels.size(), 2u);
  EXPECT_EQ(LabelText(s.labels[0]),
            "SC 121 121 961459200000000000 961459200000000000 1 99.5 volume 3.52x spread 2.65x");
  EXPECT_EQ(LabelText(s.labels[1]),
            "RANGE 121 180 961459200000000000 968630400000000000 1 99.5 accumulation support "
            "9950c resistance 10529c width 5.83% touches 8");
  EXPECT_EQ(s.structures, 24);
  EXPECT_FALSE(s.intraday);
}

TEST(ScenarioTest, EveryKindGivesThePinnedDigests) {
  struct Case {
    ScenarioKind kind;
    std::uint64_t seed;
    std::size_t bars;
    std::uint64_t bars_digest, labels_digest;
  } cases[] = {
      {ScenarioKind::kAccumulation, 7, 5000, 17005394230024531910u, 6499847703155247733u},
      {ScenarioKind::kDistribution, 11, 5000, 10119091648562000540u, 1039010346225871358u},
      {ScenarioKind::kMixed, 3, 5000, 8678857451966002690u, 15868817652633885501u},
      {ScenarioKind::kMixed, 1, kMinScenarioBars, 1141362857266389255u, 13005516678478650946u},
      {ScenarioKind::kMixed, 5, 60'000, 219452136457745370u, 1528699570887225439u},
  };
  for (const Case& c : cases) {
    const Scenario s = Generate(c.kind, c.seed, c.bars);
    EXPECT_EQ(testing::BarsDigest(s.bars), c.bars_digest) << ScenarioKindName(c.kind) << c.seed;
    EXPECT_EQ(LabelsDigest(s.labels), c.labels_digest) << ScenarioKindName(c.kind) << c.seed;
  }
}

TEST(ScenarioTest, LongScenariosGiveThePinnedMinuteTimes) {
  const Scenario s = Generate(ScenarioKind::kMixed, 5, 60'000);
  ASSERT_TRUE(s.intraday);
  EXPECT_EQ(s.bars[1].time - s.bars[0].time, 60 * kNanosPerSecond);
  EXPECT_EQ(s.bars[59'999].time, *ParseTimestamp("2000-02-29 15:59:00"));
}

TEST(ScenarioTest, BarsAreValidWeekdaysInWholeCents) {
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      const Scenario s = Generate(kind, seed);
      ASSERT_EQ(s.bars.size(), 5000u);
      for (std::size_t i = 0; i < s.bars.size(); ++i) {
        const Bar& b = s.bars[i];
        ASSERT_LE(b.low, b.open) << i;
        ASSERT_LE(b.low, b.close) << i;
        ASSERT_LE(b.open, b.high) << i;
        ASSERT_LE(b.close, b.high) << i;
        ASSERT_GT(b.low, Decimal::FromInt(0)) << i;
        ASSERT_GT(b.volume, Decimal::FromInt(0)) << i;
        ASSERT_EQ(b.close, *Decimal::Parse(b.close.ToString(2))) << i;  // whole cents
        const std::int64_t weekday = (b.time / kNanosPerDay + 3) % 7;
        ASSERT_LT(weekday, 5) << i;
        if (i > 0) {
          ASSERT_GT(b.time, s.bars[i - 1].time) << i;
        }
      }
    }
  }
}

TEST(ScenarioTest, LabelsAreOrderedAndInsideTheSeries) {
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    const Scenario s = Generate(kind, 3);
    ASSERT_FALSE(s.labels.empty());
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      const ScenarioLabel& l = s.labels[i];
      EXPECT_GE(l.pattern_index, 0);
      EXPECT_LE(l.pattern_index, l.end_index);
      EXPECT_LT(l.end_index, 5000);
      EXPECT_EQ(l.pattern_time, s.bars[static_cast<std::size_t>(l.pattern_index)].time);
      EXPECT_EQ(l.end_time, s.bars[static_cast<std::size_t>(l.end_index)].time);
      EXPECT_EQ(l.detail.find(','), std::string::npos);
      if (i > 0) {
        EXPECT_LE(s.labels[i - 1].pattern_index, l.pattern_index);
      }
    }
  }
}

TEST(ScenarioTest, ScenariosPlantWhatTheyPromise) {
  std::map<ScenarioKind, std::map<std::string, int>> counts;
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const Scenario s = Generate(kind, seed);
      EXPECT_GE(s.structures, 12) << ScenarioKindName(kind);
      for (const ScenarioLabel& l : s.labels) ++counts[kind][std::string(LabelTypeName(l.type))];
    }
  }
  auto& acc = counts[ScenarioKind::kAccumulation];
  for (const char* type : {"SC", "ST", "RANGE", "SPRING", "SPRING_TEST", "SOS", "LPS",
                           "DECOY_BREAKDOWN", "DECOY_DEEP_PIERCE", "DECOY_VOLUME_PIERCE"}) {
    EXPECT_GT(acc[type], 0) << type;
  }
  EXPECT_EQ(acc["UTAD"], 0);
  auto& dist = counts[ScenarioKind::kDistribution];
  for (const char* type : {"BC", "ST", "RANGE", "UTAD", "DECOY_WEAK_UPTHRUST", "DECOY_BREAKOUT"}) {
    EXPECT_GT(dist[type], 0) << type;
  }
  EXPECT_EQ(dist["SPRING"], 0);
  EXPECT_GT(counts[ScenarioKind::kMixed]["SPRING"], 0);
  EXPECT_GT(counts[ScenarioKind::kMixed]["UTAD"], 0);
}

TEST(ScenarioTest, RejectsTooFewBarsAndNamesTheMinimum) {
  auto s = GenerateScenario({.kind = ScenarioKind::kMixed, .bars = 399, .seed = 1});
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message, "a scenario needs at least 400 bars to hold one structure, got 399");
  EXPECT_TRUE(GenerateScenario({.kind = ScenarioKind::kMixed, .bars = 400, .seed = 1}));
}

TEST(ScenarioTest, MinimumBarsHoldOneStructureForEverySeed) {
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      auto s = GenerateScenario({.kind = kind, .bars = kMinScenarioBars, .seed = seed});
      ASSERT_TRUE(s.has_value());
      EXPECT_GE(s->structures, 1);
      EXPECT_EQ(s->bars.size(), kMinScenarioBars);
    }
  }
}

TEST(ScenarioTest, ParsesScenarioNames) {
  EXPECT_EQ(*ParseScenarioKind("accumulation"), ScenarioKind::kAccumulation);
  EXPECT_EQ(*ParseScenarioKind("distribution"), ScenarioKind::kDistribution);
  EXPECT_EQ(*ParseScenarioKind("mixed"), ScenarioKind::kMixed);
  auto bad = ParseScenarioKind("reaccumulation");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "unknown scenario \"reaccumulation\" (choose accumulation, distribution or mixed)");
}

TEST(AccuracyTest, MatchesWithinToleranceAndEachLabelOnce) {
  std::vector<ScenarioLabel> labels(2);
  labels[0].type = LabelType::kSpring;
  labels[0].pattern_index = labels[0].end_index = 100;
  labels[1].type = LabelType::kRange;
  labels[1].pattern_index = 50;
  labels[1].end_index = 150;
  std::vector<PatternEvent> events(5);
  events[0].type = EventType::kSpring;
  events[0].pattern_index = 103;  // matches (tolerance 3)
  events[1].type = EventType::kSpring;
  events[1].pattern_index = 100;  // the label is taken: a false positive
  events[2].type = EventType::kSpring;
  events[2].pattern_index = 96;  // too far
  events[3].type = EventType::kRangeActive;
  events[3].pattern_index = 40;
  events[3].confirm_index = 90;  // inside the planted range
  events[4].type = EventType::kRangeActive;
  events[4].confirm_index = 151;  // outside
  const std::vector<AccuracyRow> rows = MeasureAccuracy(labels, events);
  const AccuracyRow* spring = nullptr;
  const AccuracyRow* range = nullptr;
  for (const AccuracyRow& r : rows) {
    if (r.type == "SPRING") spring = &r;
    if (r.type == "RANGE") range = &r;
  }
  ASSERT_NE(spring, nullptr);
  ASSERT_NE(range, nullptr);
  EXPECT_EQ(spring->labels, 1);
  EXPECT_EQ(spring->detected, 3);
  EXPECT_EQ(spring->true_positives, 1);
  EXPECT_DOUBLE_EQ(spring->recall(), 1.0);
  EXPECT_DOUBLE_EQ(spring->precision(), 1.0 / 3);
  EXPECT_EQ(range->detected, 2);
  EXPECT_EQ(range->true_positives, 1);
  EXPECT_EQ(range->labels_found, 1);
}

}  // namespace
}  // namespace wyckoff::detectors
