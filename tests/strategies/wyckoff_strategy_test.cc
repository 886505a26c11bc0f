// The wyckoff strategy on real bars: exact trades, and what it did with each signal.
#include "wyckoff/strategies/wyckoff_strategy.h"

#include <gtest/gtest.h>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::strategies {
namespace {

using testing::D;

engine::RunResult RunWyckoff(const std::string& file, engine::Sizing sizing,
                             const ParamList& params = {}) {
  engine::EngineConfig config;
  config.sizing = sizing;
  auto strategy = MakeStrategy("wyckoff", params, sizing, nullptr);
  EXPECT_TRUE(strategy.has_value());
  auto source = engine::CsvBarSource::Open(testing::DataPath(file), {});
  EXPECT_TRUE(source.has_value());
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::move(*source));
  auto run = engine::BacktestEngine(config, {{"X", sources[0]->intraday()}}, **strategy)
                 .Run(sources, nullptr);
  EXPECT_TRUE(run.has_value());
  return std::move(*run);
}

// The event of `type` confirmed at `confirm`, or nullptr.
const engine::RunEvent* Find(const engine::RunResult& run, std::string_view type,
                             std::string_view confirm) {
  for (const auto& e : run.events) {
    if (e.type == type && engine::FormatTimestamp(e.confirm_time, !run.intraday) == confirm) {
      return &e;
    }
  }
  return nullptr;
}

std::string Detail(const engine::RunEvent& e, std::string_view name) {
  for (const auto& [k, v] : e.details) {
    if (k == name) return v;
  }
  return "<absent>";
}

TEST(WyckoffStrategyTest, OrclTradesTheLastPointOfSupportOf2007) {
  engine::RunResult run = RunWyckoff("daily/orcl-1995-2014.csv", {.quantity = D("100")});
  ASSERT_EQ(run.trades.size(), 1u);
  const engine::Trade& t = run.trades[0];
  EXPECT_EQ(engine::FormatTimestamp(t.entry_time, true), "2007-03-23");
  EXPECT_EQ(t.entry_price, D("18.459999"));  // the open after the LPS bar
  EXPECT_EQ(engine::FormatTimestamp(t.exit_time, true), "2007-09-21");
  EXPECT_EQ(t.exit_price, D("21.57"));  // opened above the 21.355161 target
  EXPECT_EQ(t.pnl, D("311.0001"));
  EXPECT_EQ(t.tag, "LPS");
  EXPECT_EQ(t.r_multiple->ToString(4), "2.7700");  // over the 17.337238 stop

  const engine::RunEvent* spring = Find(run, "SPRING", "2007-03-12");
  ASSERT_NE(spring, nullptr);
  EXPECT_EQ(Detail(*spring, "status"), "SKIPPED: no test");
  const engine::RunEvent* sos = Find(run, "SOS", "2007-03-21");
  ASSERT_NE(sos, nullptr);
  EXPECT_EQ(Detail(*sos, "status"), "SKIPPED: disabled");
  const engine::RunEvent* lps = Find(run, "LPS", "2007-03-22");
  ASSERT_NE(lps, nullptr);
  EXPECT_EQ(Detail(*lps, "status"), "TRADED");
  EXPECT_EQ(Detail(*lps, "stop"), "17.337238");
  EXPECT_EQ(Detail(*lps, "target"), "21.355161");
}

TEST(WyckoffStrategyTest, RiskSizingUsesTheSignalsStop) {
  engine::RunResult run =
      RunWyckoff("daily/orcl-1995-2014.csv",
                 {.mode = engine::Sizing::Mode::kRiskFraction, .risk_fraction = D("0.01")});
  ASSERT_EQ(run.trades.size(), 1u);
  // 100000 x 0.01 / (18.052176 - 17.337238) = 1398.7...: 1398 shares.
  EXPECT_EQ(run.trades[0].quantity, D("1398"));
}

TEST(WyckoffStrategyTest, AUtadInTheTradesRangeClosesTheLong) {
  engine::RunResult run =
      RunWyckoff("intraday/estx50-futures-2006-01-02-1min.csv", {.quantity = D("10")});
  ASSERT_GE(run.trades.size(), 1u);
  EXPECT_EQ(engine::FormatTimestamp(run.trades[0].exit_time, false), "2006-01-24 09:11:00");
  EXPECT_EQ(run.trades[0].exit_price, D("3550"));  // the next open; the target was 3601.526
  const engine::RunEvent* utad = Find(run, "UTAD", "2006-01-24 09:10:00");
  ASSERT_NE(utad, nullptr);
  EXPECT_EQ(Detail(*utad, "status"), "EXIT: UTAD in the trade's range");
}

TEST(WyckoffStrategyTest, IndexDataWithoutVolumeSaysWhy) {
  engine::RunResult run =
      RunWyckoff("intraday/estx50-index-2006-01-5min.csv", {.quantity = D("10")});
  EXPECT_TRUE(run.trades.empty());
  ASSERT_FALSE(run.events.empty());
  const engine::RunEvent& note = run.events.back();
  EXPECT_EQ(note.type, "NOTE");
  EXPECT_EQ(Detail(note, "reason"),
            "every bar has volume 0: volume-gated patterns (SC, ST, SPRING, SOS, LPS, UTAD) "
            "cannot be confirmed, so none were emitted");
  for (const auto& e : run.events) {
    EXPECT_TRUE(e.type == "NOTE" || e.type.rfind("RANGE_", 0) == 0) << e.type;
  }
}

TEST(WyckoffStrategyTest, EveryDetectorParameterIsAStrategyParameter) {
  ParamList resolved;
  auto made = MakeStrategy("wyckoff", {{"spring_volume_max", "0.6"}}, {}, &resolved);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(resolved.size(), 64u);
  EXPECT_NE(std::find(resolved.begin(), resolved.end(),
                      std::make_pair(std::string("spring_volume_max"), std::string("0.6"))),
            resolved.end());
  auto unknown = MakeStrategy("wyckoff", {{"spring_volume", "0.6"}}, {}, nullptr);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message,
            "unknown detector parameter \"spring_volume\" (docs/detectors.md lists them, e.g. "
            "spring_volume_max)");
}

}  // namespace
}  // namespace wyckoff::strategies
