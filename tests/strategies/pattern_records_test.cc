// ToRunEvent: the record of a pattern event, every detail's name, order and text pinned (what
// events.csv, the page, the database and `wyckoff detect` write).
#include "wyckoff/strategies/pattern_records.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "wyckoff/detectors/params.h"

namespace wyckoff::strategies {
namespace {

using detectors::PatternEvent;
using Row = std::vector<std::pair<std::string, std::string>>;

Row TextOf(const engine::RunEvent& e) {
  Row row;
  for (const auto& [name, value] : e.details) row.emplace_back(name, value.Text());
  return row;
}

PatternEvent Spring() {
  PatternEvent e;
  e.type = detectors::EventType::kSpring;
  e.pattern_time = 100;
  e.confirm_time = 200;
  e.range_id = 3;
  e.range_kind = detectors::RangeKind::kAccumulation;
  e.phase_before = detectors::Phase::kB;
  e.phase_after = detectors::Phase::kC;
  e.range = {.support = 12.25,
             .resistance = 15.5,
             .jump_up = 19.3750004,
             .conservative_up = 18.75,
             .jump_down = 8.5,
             .conservative_down = 12.25,
             .duration_bars = 40};
  e.level = 12.25;
  e.extreme = 11.9;
  e.penetration = 0.0285714285;
  e.volume_ratio = 1.0 / 3.0;
  e.spread_ratio = 2.0;
  e.close_position = -0.0000001;  // rounds to -0.000000: written "0"
  e.bars = 2;
  e.confidence = 72.5;
  e.direction = detectors::Direction::kLong;
  e.entry = 12.5;
  e.stop = 11.8;
  e.target = 15.5;
  e.reward_risk = 3.0 / 0.7;
  e.not_tradeable = detectors::NotTradeable::kNone;
  return e;
}

TEST(PatternRecordsTest, ASpringHasEveryDetailOfTheRulesPageInOrder) {
  const engine::RunEvent r = ToRunEvent(Spring(), 1, detectors::DetectorParams{});
  EXPECT_EQ(r.symbol, 1);
  EXPECT_EQ(r.type, "SPRING");
  EXPECT_EQ(r.pattern_time, 100);
  EXPECT_EQ(r.confirm_time, 200);
  EXPECT_EQ(r.level, 12.25);
  EXPECT_EQ(r.confidence, 72.5);
  EXPECT_EQ(r.details.size(), kPatternDetails);
  EXPECT_EQ(TextOf(r), (Row{{"range_id", "3"},
                            {"range_kind", "ACCUMULATION"},
                            {"phase_before", "B"},
                            {"phase_after", "C"},
                            {"support", "12.25"},
                            {"resistance", "15.5"},
                            {"jump_target", "19.375"},
                            {"conservative_target", "18.75"},
                            {"extreme", "11.9"},
                            {"penetration", "0.028571"},
                            {"volume_ratio", "0.333333"},
                            {"spread_ratio", "2"},
                            {"close_position", "0"},
                            {"bars", "2"},
                            {"signal", "LONG"},
                            {"entry", "12.5"},
                            {"stop", "11.8"},
                            {"target", "15.5"},
                            {"reward_risk", "4.285714"},
                            {"tradeable", "true"},
                            {"not_tradeable", ""},
                            {"reason", ""},
                            {"status", ""}}));
}

TEST(PatternRecordsTest, ADistributionEventTakesTheDownsideTargetsAndLeavesUndefinedNumbersEmpty) {
  PatternEvent e = Spring();
  e.type = detectors::EventType::kUpthrust;
  e.range_kind = detectors::RangeKind::kDistribution;
  e.direction = detectors::Direction::kShort;
  e.volume_ratio = detectors::kUndefined;
  e.reward_risk = 1.625;
  e.not_tradeable = detectors::NotTradeable::kRewardRisk;
  detectors::DetectorParams params;
  params.min_reward_risk = 2;
  engine::RunEvent r = ToRunEvent(e, 0, params);
  EXPECT_EQ(r.type, "UTAD");
  EXPECT_EQ(r.DetailText("range_kind"), "DISTRIBUTION");
  EXPECT_EQ(r.DetailText("jump_target"), "8.5");
  EXPECT_EQ(r.DetailText("conservative_target"), "12.25");
  EXPECT_EQ(r.DetailText("volume_ratio"), "");
  EXPECT_EQ(r.DetailText("signal"), "SHORT");
  EXPECT_EQ(r.DetailText("tradeable"), "false");
  EXPECT_EQ(r.DetailText("not_tradeable"), "reward/risk below minimum");
  EXPECT_EQ(r.DetailText("reason"), "reward/risk 1.62 below 2");  // 1.625: half to even
  SetSignalStatus(r, "SKIPPED: already in a position");
  EXPECT_EQ(r.details.back().name, "status");
  EXPECT_EQ(r.DetailText("status"), "SKIPPED: already in a position");
}

}  // namespace
}  // namespace wyckoff::strategies
