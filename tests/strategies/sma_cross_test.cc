#include "wyckoff/strategies/sma_cross.h"

#include <gtest/gtest.h>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::strategies {
namespace {

using testing::BarBuilder;
using testing::D;

// Runs sma-cross fast=2 slow=3 over closes (open = close, next open = next close).
engine::RunResult RunCloses(const std::vector<const char*>& closes,
                            const engine::EngineConfig& config = engine::EngineConfig{}) {
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < closes.size(); ++i) {
    bars.push_back(BarBuilder()
                       .Day(static_cast<int>(i))
                       .Ohlc(closes[i], closes[i], closes[i], closes[i])
                       .Build());
  }
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::make_unique<engine::SpanBarSource>(bars, false));
  SmaCrossStrategy strategy(2, 3);
  return *engine::BacktestEngine(config, {{"X", false}}, strategy).Run(sources, nullptr);
}

// The one trade of the closes below at any scale: bought at bar 4's open, sold at bar 6's.
void ExpectTheCrossTrade(const engine::RunResult& run, const char* entry, const char* exit,
                         const char* pnl) {
  ASSERT_EQ(run.trades.size(), 1u);
  EXPECT_EQ(run.trades[0].entry_index, 4);
  EXPECT_EQ(run.trades[0].entry_price, D(entry));
  EXPECT_EQ(run.trades[0].exit_index, 6);
  EXPECT_EQ(run.trades[0].exit_price, D(exit));
  EXPECT_EQ(run.trades[0].pnl, D(pnl));  // the default sizing is a quantity of 1
}

// Cash for one share at the largest closes below.
engine::EngineConfig Rich() {
  engine::EngineConfig rich;
  rich.initial_cash = D("100000000000000");
  return rich;
}

TEST(SmaCrossTest, BuysOnACrossUpAndSellsOnACrossDown) {
  // fast(2) vs slow(3): bar 2: 10 vs 10 (tie); bar 3: 11.5 vs 11 (up) -> buy at bar 4's open;
  // bar 5: 10 vs 11 (down) -> sell at bar 6's open.
  ExpectTheCrossTrade(RunCloses({"10", "10", "10", "13", "12", "8", "7"}), "12", "7", "-5");
}

TEST(SmaCrossTest, PricesBeyondSixtyFourBitSumsCrossTheSame) {
  // The same closes times 10^8: the window sums (raw, 12 decimals) no longer fit in 64 bits, so
  // the averages are compared in 128; the cross, its bars and the exact P&L scale with them.
  ExpectTheCrossTrade(RunCloses({"1000000000", "1000000000", "1000000000", "1300000000",
                                 "1200000000", "800000000", "700000000"},
                                Rich()),
                      "1200000000", "700000000", "-500000000");
}

TEST(SmaCrossTest, SumsWithinSixtyFourBitsButProductsBeyondCrossTheSame) {
  // The closes times 250,000: three closes add up to at most 8.75e18 raw (within 64 bits), but
  // a sum times the slow window's 3 is beyond, so the comparison goes to 128 bits.
  ExpectTheCrossTrade(
      RunCloses({"2500000", "2500000", "2500000", "3250000", "3000000", "2000000", "1750000"},
                Rich()),
      "3000000", "1750000", "-1250000");
}

TEST(SmaCrossTest, ClosesBeyondTheInputBoundTakeTheCheckedSumsAndCrossTheSame) {
  // Bars made in code may pass the readers' bound (1e12): from bar 3 on, the sums are added
  // with their overflow checked. The windows then mix 10s and 1e13s, and cross as the
  // arithmetic says: bar 3 up (fast 6.5e12 > slow 4.3e12), bar 5 down (1e13 < 1.1e13).
  ExpectTheCrossTrade(RunCloses({"10", "10", "10", "13000000000000", "12000000000000",
                                 "8000000000000", "7000000000000"},
                                Rich()),
                      "12000000000000", "7000000000000", "-5000000000000");
}

TEST(SmaCrossTest, AnExactTieIsNotACross) {
  // Bar 2: fast 10 = slow 10. Bar 3: fast (10 + 10)/2 = 10, slow (10 + 10 + 10)/3 = 10: still a
  // tie, so nothing happens although the previous bar was a tie too.
  engine::RunResult run = RunCloses({"10", "10", "10", "10", "10"});
  EXPECT_TRUE(run.trades.empty());
  EXPECT_TRUE(run.fills.empty());
}

TEST(SmaCrossTest, TieThenRiseIsACrossUp) {
  // Bar 3: fast 10 = slow 10 (tie, counts as <=); bar 4: fast 10.5 > slow 10.333: cross up.
  engine::RunResult run = RunCloses({"10", "10", "10", "10", "11", "12"});
  ASSERT_EQ(run.fills.size(), 1u);
  EXPECT_EQ(run.fills[0].bar_index, 5);
}

TEST(SmaCrossTest, RegistryValidatesParameters) {
  engine::Sizing sizing;
  auto bad_order = MakeStrategy("sma-cross", {{"fast", "30"}, {"slow", "10"}}, sizing, nullptr);
  ASSERT_FALSE(bad_order.has_value());
  EXPECT_EQ(bad_order.error().message, "parameter fast (30) must be less than slow (10)");
  auto unknown = MakeStrategy("sma-cross", {{"fats", "3"}}, sizing, nullptr);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message,
            "unknown parameter \"fats\" for strategy sma-cross (known: fast, slow)");
  auto not_int = MakeStrategy("sma-cross", {{"slow", "3.5"}}, sizing, nullptr);
  EXPECT_EQ(not_int.error().message, "parameter slow: \"3.5\" is not an integer from 2 to 100000");
  auto no_strategy = MakeStrategy("buy-hold", {}, sizing, nullptr);
  EXPECT_EQ(no_strategy.error().message,
            "unknown strategy \"buy-hold\" (known: sma-cross, wyckoff)");
  engine::Sizing risk{.mode = engine::Sizing::Mode::kRiskFraction, .risk_fraction = D("0.01")};
  EXPECT_EQ(MakeStrategy("sma-cross", {}, risk, nullptr).error().message,
            "strategy sma-cross places no protective stop, so it cannot size by risk; use a fixed "
            "quantity");
  ParamList resolved;
  ASSERT_TRUE(MakeStrategy("sma-cross", {{"slow", "50"}}, sizing, &resolved).has_value());
  EXPECT_EQ(resolved, (ParamList{{"fast", "10"}, {"slow", "50"}}));
}

// With a warm-up the averages are full when trading starts: the trades are those of the run
// over all bars that open after the first traded bar's close (a position the full run held
// then is not there; its exit is not a trade of the warm run).
// The window sums are raw 128-bit values with their overflow checked: closes far beyond what a
// file may hold (bars from elsewhere) stop the run at a check, never wrap around.
TEST(SmaCrossDeathTest, SumsBeyond128BitsStopAtACheck) {
  EXPECT_DEATH(
      {
        SmaCrossStrategy strategy(1, 2);
        strategy.OnStart({{"X", false}});
        Bar bar;
        bar.close = Decimal::Max();
        strategy.OnWarmupBar(0, bar, 0);
        strategy.OnWarmupBar(0, bar, 1);  // the slow sum: two closes of Max
      },
      "sma-cross window sum beyond 128 bits");
  EXPECT_DEATH(SmaCrossStrategy(3, 3), "sma-cross needs 1 <= fast < slow");
}

TEST(SmaCrossTest, AWarmUpStartsWithFullAverages) {
  std::vector<Bar> bars;
  auto csv = engine::CsvBarSource::Open(testing::DataPath("daily/orcl-1995-2014.csv"), {});
  ASSERT_TRUE(csv.has_value());
  for (Bar bar; *(*csv)->Next(bar);) bars.push_back(bar);
  ASSERT_EQ(bars.size(), 5036u);
  auto run = [&](Timestamp trade_from) {
    std::vector<std::unique_ptr<engine::BarSource>> sources;
    sources.push_back(std::make_unique<engine::SpanBarSource>(bars, false));
    SmaCrossStrategy strategy(10, 30);
    engine::EngineConfig config;
    config.trade_from = trade_from;
    return *engine::BacktestEngine(config, {{"ORCL", false}}, strategy).Run(sources, nullptr);
  };
  const Timestamp start = bars[2500].time;
  const engine::RunResult full = run(kBeginningOfTime), warm = run(start);
  EXPECT_EQ(warm.warmup_bars, 2500);
  std::vector<engine::Trade> expected;
  for (const engine::Trade& t : full.trades) {
    if (t.entry_time > start) expected.push_back(t);
  }
  ASSERT_GT(expected.size(), 20u);
  ASSERT_EQ(warm.trades.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(warm.trades[i].entry_time, expected[i].entry_time) << i;
    EXPECT_EQ(warm.trades[i].exit_price, expected[i].exit_price) << i;
    EXPECT_EQ(warm.trades[i].pnl, expected[i].pnl) << i;
  }
}

}  // namespace
}  // namespace wyckoff::strategies
