// The wyckoff strategy on real bars: exact trades, and what it did with each signal.
#include "wyckoff/strategies/wyckoff_strategy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::strategies {
namespace {

using testing::D;

engine::RunResult RunWyckoff(const std::string& file, engine::Sizing sizing,
                             const ParamList& params = {},
                             std::optional<Decimal> tick = std::nullopt,
                             bool record_events = true) {
  engine::EngineConfig config;
  config.sizing = sizing;
  config.tick_size = tick;
  config.record_events = record_events;
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
    if (e.type == type && FormatTimestamp(e.confirm_time, !run.intraday) == confirm) {
      return &e;
    }
  }
  return nullptr;
}

std::string Detail(const engine::RunEvent& e, std::string_view name) {
  const engine::DetailValue* value = e.Find(name);
  return value != nullptr ? value->Text() : "<absent>";
}

TEST(WyckoffStrategyTest, OrclTradesTheLastPointOfSupportOf2007) {
  engine::RunResult run = RunWyckoff("daily/orcl-1995-2014.csv", {.quantity = D("100")});
  ASSERT_EQ(run.trades.size(), 1u);
  const engine::Trade& t = run.trades[0];
  EXPECT_EQ(FormatTimestamp(t.entry_time, true), "2007-03-23");
  EXPECT_EQ(t.entry_price, D("18.459999"));  // the open after the LPS bar
  EXPECT_EQ(FormatTimestamp(t.exit_time, true), "2007-09-21");
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

// The bracket's prices lie on the instrument's tick: ORCL's prices have 6 decimals, so the
// default tick is 0.000001 (the 2007 target 21.355161); with --tick-size 0.05 they are nickels.
TEST(WyckoffStrategyTest, StrategyPricesLieOnTheTick) {
  auto bracket = [](const engine::RunResult& run) {
    std::vector<Decimal> prices;
    for (const engine::Order& o : run.orders) {
      if (o.request.stop_loss) prices.push_back(*o.request.stop_loss);
      if (o.request.take_profit) prices.push_back(*o.request.take_profit);
    }
    return prices;
  };
  const auto fine = bracket(RunWyckoff("daily/orcl-1995-2014.csv", {.quantity = D("100")}));
  const auto nickels =
      bracket(RunWyckoff("daily/orcl-1995-2014.csv", {.quantity = D("100")}, {}, D("0.05")));
  ASSERT_EQ(fine.size(), 2u);
  EXPECT_EQ(fine[1], D("21.355161"));
  ASSERT_EQ(nickels.size(), 2u);
  EXPECT_EQ(nickels[1], D("21.35"));
  for (const Decimal& p : nickels) EXPECT_EQ(p.FloorToMultiple(D("0.05")), p) << p.ToString();
}

// A search's runs keep no events (EngineConfig::record_events): the strategy then skips
// building them, and places exactly the same orders. The calibration's candidate trades often
// on these files, through every kind of signal and the max-positions-free path.
TEST(WyckoffStrategyTest, ARunThatKeepsNoEventsTradesExactlyTheSame) {
  const ParamList candidate = {{"range_mode", "percentile"},  {"percentile_window", "41"},
                               {"spring_volume_max", "1.25"}, {"spring_needs_test", "false"},
                               {"spring_any_kind", "true"},   {"sos_needs_spring", "false"},
                               {"spring_min_confidence", "0"}};
  const engine::Sizing risk{.mode = engine::Sizing::Mode::kRiskFraction,
                            .risk_fraction = D("0.01")};
  for (const char* file : {"daily/orcl-1995-2014.csv", "daily/yhoo-1996-2015.csv"}) {
    const engine::RunResult kept = RunWyckoff(file, risk, candidate, std::nullopt, true);
    const engine::RunResult none = RunWyckoff(file, risk, candidate, std::nullopt, false);
    EXPECT_GT(kept.trades.size(), 20u) << file;
    EXPECT_GT(kept.events.size(), kept.trades.size()) << file;
    EXPECT_TRUE(none.events.empty()) << file;
    EXPECT_EQ(none.trades.size(), kept.trades.size()) << file;
    EXPECT_EQ(none.digest, kept.digest) << file;  // equity curve and every trade
    EXPECT_EQ(none.final_value, kept.final_value) << file;
  }
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
  EXPECT_EQ(FormatTimestamp(run.trades[0].exit_time, false), "2006-01-24 09:11:00");
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
            "every bar has volume 0: volume-gated patterns (SC, BC, ST, SPRING, SOS, LPS, UTAD, "
            "SOW, LPSY) cannot be confirmed, so none were emitted");
  for (const auto& e : run.events) {
    EXPECT_TRUE(e.type == "NOTE" || e.type.rfind("RANGE_", 0) == 0) << e.type;
  }
}

TEST(WyckoffStrategyTest, EveryDetectorParameterIsAStrategyParameter) {
  ParamList resolved;
  auto made = MakeStrategy("wyckoff", {{"spring_volume_max", "0.6"}}, {}, &resolved);
  ASSERT_TRUE(made.has_value());
  EXPECT_EQ(resolved.size(), 73u);
  EXPECT_NE(std::find(resolved.begin(), resolved.end(),
                      std::make_pair(std::string("spring_volume_max"), std::string("0.6"))),
            resolved.end());
  auto unknown = MakeStrategy("wyckoff", {{"spring_volume", "0.6"}}, {}, nullptr);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message,
            "unknown parameter \"spring_volume\" for strategy wyckoff (did you mean "
            "spring_volume_max? 73 parameters are known)");
}

// No real file has a sign of weakness, so the distribution is synthetic: 30 rising bars, a
// triangle wave between 100 and 110 (a distribution range), a UTAD at bar 96, a decline, the
// SOW at bar 101 and the LPSY at bar 103 (tests/detectors/pattern_engine_test.cc checks each).
std::vector<Bar> DistributionBars() {
  const Timestamp day = 86'400LL * 1'000'000'000LL;
  auto price = [](double x) {
    return Decimal::FromUnits(static_cast<std::int64_t>(std::llround(x * 1e6)), 6);
  };
  std::vector<Bar> bars;
  auto add = [&](double o, double h, double l, double c, double v) {
    const auto t = static_cast<Timestamp>(bars.size());
    bars.push_back({.time = t * day,
                    .open = price(o),
                    .high = price(h),
                    .low = price(l),
                    .close = price(c),
                    .volume = price(v)});
  };
  for (int t = 0; t < 96; ++t) {
    const int phase = (t - 30) % 12;
    const double center =
        t < 30 ? 77 + 0.8 * t : 101 + 8 * (phase <= 6 ? phase / 6.0 : (12 - phase) / 6.0);
    add(center, center + 1, center - 1, center, 1000);
  }
  add(108, 110.7, 107.5, 109, 2000);  // 96: UTAD
  add(109, 109.5, 106.5, 107, 900);
  add(107, 107.5, 104.5, 105, 900);
  add(105, 105.5, 102.5, 103, 900);
  add(103, 103.5, 100.5, 101, 900);
  add(101, 101.5, 96, 96.5, 2500);  // 101: SOW
  add(96.5, 99, 96.2, 98.5, 800);   // 102: the rally high
  add(98.5, 98.8, 96.5, 97, 800);   // 103: LPSY
  add(97, 97.5, 95, 95.5, 900);     // 104: the short fills at the open
  add(95.5, 96, 93, 93.5, 900);
  add(94, 104, 93.5, 103.5, 900);  // 106: up through the 103 stop
  return bars;
}

engine::RunResult RunOnBars(const std::vector<Bar>& bars, bool allow_short) {
  engine::EngineConfig config;
  config.sizing = {.quantity = D("100")};
  config.broker.allow_short = allow_short;
  auto strategy = MakeStrategy("wyckoff", {}, config.sizing, nullptr);
  EXPECT_TRUE(strategy.has_value());
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::make_unique<engine::SpanBarSource>(bars, false));
  auto run = engine::BacktestEngine(config, {{"X", false}}, **strategy).Run(sources, nullptr);
  EXPECT_TRUE(run.has_value());
  return std::move(*run);
}

TEST(WyckoffStrategyTest, ALastPointOfSupplyIsAShortWithItsBracket) {
  engine::RunResult run = RunOnBars(DistributionBars(), /*allow_short=*/true);
  const engine::RunEvent* sow = Find(run, "SOW", "1970-04-12");
  ASSERT_NE(sow, nullptr);
  EXPECT_EQ(Detail(*sow, "status"), "SKIPPED: disabled");
  const engine::RunEvent* lpsy = Find(run, "LPSY", "1970-04-14");
  ASSERT_NE(lpsy, nullptr);
  EXPECT_EQ(Detail(*lpsy, "status"), "TRADED");
  EXPECT_EQ(Detail(*lpsy, "stop"), "103");
  EXPECT_EQ(Detail(*lpsy, "target"), "69.4");
  // First the UTAD short (entered at the open after bar 96, out at its target S = 100 on the
  // SOW bar), then the LPSY short, stopped out at 103.
  ASSERT_EQ(run.trades.size(), 2u);
  EXPECT_EQ(run.trades[0].tag, "UTAD");
  EXPECT_EQ(run.trades[0].exit_price, D("100"));
  const engine::Trade& t = run.trades[1];
  EXPECT_EQ(t.tag, "LPSY");
  EXPECT_EQ(t.direction, engine::Side::kSell);
  EXPECT_EQ(FormatTimestamp(t.entry_time, true), "1970-04-15");
  EXPECT_EQ(t.entry_price, D("97"));  // the open after the LPSY bar
  EXPECT_EQ(FormatTimestamp(t.exit_time, true), "1970-04-17");
  EXPECT_EQ(t.exit_price, D("103"));
  EXPECT_EQ(t.pnl, D("-600"));
}

TEST(WyckoffStrategyTest, ALastPointOfSupplyNeedsAllowShort) {
  engine::RunResult run = RunOnBars(DistributionBars(), /*allow_short=*/false);
  const engine::RunEvent* lpsy = Find(run, "LPSY", "1970-04-14");
  ASSERT_NE(lpsy, nullptr);
  EXPECT_EQ(Detail(*lpsy, "status"), "SKIPPED: shorts need --allow-short");
  EXPECT_TRUE(run.trades.empty());
}

}  // namespace
}  // namespace wyckoff::strategies
