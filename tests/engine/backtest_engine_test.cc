#include "wyckoff/engine/backtest_engine.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine_builders.h"

namespace wyckoff::engine {
namespace {

using testing::BarBuilder;
using testing::D;

Bar Day(int day, const char* open, const char* close) {
  return BarBuilder().Day(day).Ohlc(open, "1000", "0.5", close).Build();
}

// Records every call and buys `quantity` of each symbol on its first bar (or its first bar
// after the warm-up).
class RecordingStrategy final : public Strategy {
 public:
  void OnBar(int symbol, const Bar& bar, std::int64_t index, StrategyContext& ctx) override {
    const bool first = std::none_of(calls.begin(), calls.end(),
                                    [&](const Call& c) { return c.symbol == symbol && !c.warmup; });
    calls.push_back({symbol, bar.time, index, ctx.cash()});
    if (first) ctx.Submit(OrderRequest::Market(symbol, Side::kBuy, D("10")));
  }
  void OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) override {
    calls.push_back({symbol, bar.time, index, Decimal(), true});
  }
  struct Call {
    int symbol;
    Timestamp time;
    std::int64_t index;
    Decimal cash;
    bool warmup = false;
  };
  std::vector<Call> calls;
};

struct Recorder final : EquitySink {
  void OnEquity(Timestamp t, Decimal cash, Decimal equity) override {
    points.push_back({t, cash, equity});
  }
  struct Point {
    Timestamp t;
    Decimal cash, equity;
  };
  std::vector<Point> points;
};

// Sources over `per_symbol`, which must outlive them.
std::vector<std::unique_ptr<BarSource>> Sources(const std::vector<std::vector<Bar>>& per_symbol) {
  std::vector<std::unique_ptr<BarSource>> out;
  for (const auto& bars : per_symbol) out.push_back(std::make_unique<SpanBarSource>(bars, false));
  return out;
}

TEST(BacktestEngineTest, SymbolsShareOneClockAndOneCashBalance) {
  const std::vector<std::vector<Bar>> bars = {
      {Day(1, "10", "11"), Day(2, "12", "13"), Day(4, "14", "15")},
      {Day(2, "100", "101"), Day(3, "102", "103"), Day(4, "104", "105")}};
  auto sources = Sources(bars);
  RecordingStrategy strategy;
  Recorder equity;
  EngineConfig config;
  config.initial_cash = D("10000");
  BacktestEngine engine(config, {{"A", false}, {"B", false}}, strategy);
  auto run = engine.Run(sources, &equity);
  ASSERT_TRUE(run.has_value());

  // Calls in clock order, symbols in the order given within a timestamp.
  std::vector<std::pair<int, int>> order;
  for (const auto& c : strategy.calls) {
    order.push_back({c.symbol, static_cast<int>((c.time - BarBuilder::kOrigin) / kNanosPerDay)});
  }
  EXPECT_EQ(order,
            (std::vector<std::pair<int, int>>{{0, 1}, {0, 2}, {1, 2}, {1, 3}, {0, 4}, {1, 4}}));
  // A's order from day 1 fills at day 2's open (12); B's from day 2 at day 3's open (102).
  ASSERT_EQ(run->fills.size(), 2u);
  EXPECT_EQ(run->fills[0].price, D("12"));
  EXPECT_EQ(run->fills[1].price, D("102"));
  EXPECT_EQ(strategy.calls[1].cash, D("9880"));  // A bought before B's bar at day 2
  EXPECT_EQ(strategy.calls[3].cash, D("8860"));  // then B, from the same cash
  EXPECT_EQ(run->final_cash, D("8860"));
  EXPECT_EQ(run->final_value, D("8860") + D("150") + D("1050"));
  EXPECT_EQ(run->bars, 6);
  EXPECT_EQ(run->steps, 4);
  ASSERT_EQ(equity.points.size(), 4u);
  EXPECT_EQ(equity.points[2].equity, D("8860") + D("130") + D("1030"));  // day 3: A at 13
}

TEST(BacktestEngineTest, ADecisionAtACloseFillsAtTheNextOpenOnly) {
  const std::vector<std::vector<Bar>> bars = {{Day(1, "10", "50"), Day(2, "20", "21")}};
  auto sources = Sources(bars);
  RecordingStrategy strategy;
  BacktestEngine engine(EngineConfig{}, {{"A", false}}, strategy);
  auto run = engine.Run(sources, nullptr);
  ASSERT_TRUE(run.has_value());
  ASSERT_EQ(run->fills.size(), 1u);
  EXPECT_EQ(run->fills[0].price, D("20"));  // not day 1's close of 50
  EXPECT_EQ(run->fills[0].bar_index, 1);
}

TEST(BacktestEngineTest, SameInputsGiveTheSameDigest) {
  auto run_once = [] {
    const std::vector<std::vector<Bar>> bars = {
        {Day(1, "10", "11"), Day(2, "12", "13"), Day(3, "9", "8")}};
    auto sources = Sources(bars);
    RecordingStrategy strategy;
    return *BacktestEngine(EngineConfig{}, {{"A", false}}, strategy).Run(sources, nullptr);
  };
  RunResult a = run_once(), b = run_once();
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.digest.size(), 16u);
  const std::vector<std::vector<Bar>> other = {
      {Day(1, "10", "11"), Day(2, "12", "13"), Day(3, "9", "7")}};
  auto sources = Sources(other);
  RecordingStrategy strategy;
  auto c = BacktestEngine(EngineConfig{}, {{"A", false}}, strategy).Run(sources, nullptr);
  EXPECT_NE(c->digest, a.digest);
}

TEST(BacktestEngineTest, WarmUpBarsReachTheStrategyOnly) {
  const std::vector<std::vector<Bar>> bars = {
      {Day(1, "10", "11"), Day(2, "12", "13"), Day(3, "9", "8"), Day(4, "8", "9")}};
  auto sources = Sources(bars);
  RecordingStrategy strategy;
  Recorder recorder;
  EngineConfig config;
  config.trade_from = bars[0][2].time;  // days 1 and 2 warm up
  auto run = BacktestEngine(config, {{"A", false}}, strategy).Run(sources, &recorder);
  ASSERT_TRUE(run.has_value()) << run.error().message;
  ASSERT_EQ(strategy.calls.size(), 4u);
  EXPECT_TRUE(strategy.calls[0].warmup && strategy.calls[1].warmup);
  EXPECT_FALSE(strategy.calls[2].warmup);
  EXPECT_EQ(strategy.calls[2].index, 2);  // indices count the warm-up bars
  EXPECT_EQ(run->warmup_bars, 2);
  EXPECT_EQ(run->bars, 2);
  EXPECT_EQ(run->steps, 2);
  // The equity curve starts at day 3; the buy at day 3's close fills at day 4's open (8).
  ASSERT_EQ(recorder.points.size(), 2u);
  EXPECT_EQ(recorder.points[0].t, bars[0][2].time);
  EXPECT_EQ(recorder.points[0].equity, D("100000"));
  ASSERT_EQ(run->fills.size(), 1u);
  EXPECT_EQ(run->fills[0].price, D("8"));
  EXPECT_EQ(recorder.points[1].equity, D("100010"));  // 10 bought at 8, marked at 9
  EXPECT_EQ(run->metrics.initial_equity, D("100000"));
}

// Buys `quantity` when flat and sells it when long, every bar; records the tick it is told.
class FlipStrategy final : public Strategy {
 public:
  explicit FlipStrategy(const char* quantity) : quantity_(D(quantity)) {}
  void OnBar(int symbol, const Bar&, std::int64_t, StrategyContext& ctx) override {
    ticks.push_back(ctx.tick(symbol));
    const bool flat = ctx.position(symbol).IsZero();
    ctx.Submit(OrderRequest::Market(symbol, flat ? Side::kBuy : Side::kSell, quantity_));
  }
  std::vector<Decimal> ticks;

 private:
  Decimal quantity_;
};

TEST(BacktestEngineTest, MoneyBeyondTheDecimalRangeStopsTheRunWithAnError) {
  // Bought at 1e-12 and sold at 1e12, each round trip adds about 1e24: the account's cash
  // leaves the bound of account totals (about 8.5e25) after 86 of them. The run stops with an
  // error; it does not abort.
  std::vector<Bar> bars;
  for (int day = 1; day <= 400; ++day) {
    const char* price = day % 2 == 0 ? "0.000000000001" : "1000000000000";
    bars.push_back(BarBuilder().Day(day).Flat(price).Build());
  }
  const std::vector<std::vector<Bar>> per_symbol = {bars};
  auto sources = Sources(per_symbol);
  FlipStrategy strategy("1000000000000");
  EngineConfig config;
  config.initial_cash = D("1000000000000");
  auto run = BacktestEngine(config, {{"A", false}}, strategy).Run(sources, nullptr);
  ASSERT_FALSE(run.has_value());
  EXPECT_EQ(run.error().code, ErrorCode::kOverflow);
  EXPECT_EQ(run.error().message,
            "at 2000-06-22: the account's cash left the exact decimal range (about 8.5e25); "
            "the prices, quantities or settings are beyond what an exact backtest holds");
}

TEST(BacktestEngineTest, RejectedOrdersAreCountedWithTheFirstReason) {
  const std::vector<std::vector<Bar>> bars = {
      {Day(1, "10", "10"), Day(2, "10", "10"), Day(3, "10", "10"), Day(4, "10", "10")}};
  auto sources = Sources(bars);
  FlipStrategy strategy("20000");  // 200000 at 10: more than the 100000 of cash
  auto run = BacktestEngine(EngineConfig{}, {{"A", false}}, strategy).Run(sources, nullptr);
  ASSERT_TRUE(run.has_value()) << run.error().message;
  EXPECT_EQ(run->rejected_orders, 3);  // the order of the last day never reaches a bar
  EXPECT_EQ(run->first_rejection, "insufficient cash: needs 200000, available 100000");
  EXPECT_TRUE(run->trades.empty());
}

TEST(BacktestEngineTest, TheTickFollowsTheDecimalsSeenSoFar) {
  std::vector<Bar> bars = {
      BarBuilder().Day(1).Flat("10").Build(), BarBuilder().Day(2).Flat("10.5").Build(),
      BarBuilder().Day(3).Flat("10.25").Build(), BarBuilder().Day(4).Flat("10").Build()};
  const std::uint8_t decimals[] = {0, 1, 2, 0};
  for (std::size_t i = 0; i < bars.size(); ++i) bars[i].decimals = decimals[i];
  const std::vector<std::vector<Bar>> per_symbol = {bars};
  auto sources = Sources(per_symbol);
  FlipStrategy strategy("1");
  ASSERT_TRUE(BacktestEngine(EngineConfig{}, {{"A", false}}, strategy).Run(sources, nullptr));
  EXPECT_EQ(strategy.ticks, (std::vector<Decimal>{D("1"), D("0.1"), D("0.01"), D("0.01")}));

  auto again = Sources(per_symbol);
  FlipStrategy fixed("1");
  EngineConfig config;
  config.tick_size = D("0.25");
  ASSERT_TRUE(BacktestEngine(config, {{"A", false}}, fixed).Run(again, nullptr));
  EXPECT_EQ(fixed.ticks, std::vector<Decimal>(4, D("0.25")));
}

TEST(SizingTest, RiskSizingWithAStopATickAwayIsCappedNotOverflowed) {
  Sizing sizing;
  sizing.mode = Sizing::Mode::kRiskFraction;
  sizing.risk_fraction = D("1");
  EXPECT_EQ(sizing.Quantity(D("100000000000000000000000"), D("1.000000000001"), D("1")),
            D("1000000000000"));
  EXPECT_EQ(sizing.Quantity(D("1000"), D("10"), D("9.5")), D("2000"));
}

// Buys 10 of a symbol at the bars listed for it (index -> rank), recording an event with a
// "status" detail for each entry, and sells at the bar after.
class RankedEntries final : public Strategy {
 public:
  struct Entry {
    int symbol;
    std::int64_t index;
    double rank;
  };
  explicit RankedEntries(std::vector<Entry> entries) : entries_(std::move(entries)) {}
  void OnBar(int symbol, const Bar& bar, std::int64_t index, StrategyContext& ctx) override {
    if (ctx.position(symbol).IsPositive()) {
      ctx.Submit(OrderRequest::Market(symbol, Side::kSell, ctx.position(symbol)));
      return;
    }
    for (const Entry& e : entries_) {
      if (e.symbol != symbol || e.index != index) continue;
      OrderRequest buy = OrderRequest::Market(symbol, Side::kBuy, D("10"));
      buy.rank = e.rank;
      RunEvent event{.symbol = symbol,
                     .type = "SIGNAL",
                     .pattern_time = bar.time,
                     .confirm_time = bar.time,
                     .details = {{"status", "TRADED"}}};
      event.order = ctx.Submit(buy);
      ctx.RecordEvent(std::move(event));
    }
  }

 private:
  std::vector<Entry> entries_;
};

TEST(BacktestEngineTest, MaxPositionsAdmitsSimultaneousEntriesByRank) {
  // Four symbols, five daily bars each at prices 10 .. 14.
  std::vector<std::vector<Bar>> bars(4);
  for (auto& b : bars) {
    for (int d = 0; d < 5; ++d) {
      const std::string p = std::to_string(10 + d);
      b.push_back(BarBuilder().Day(d).Ohlc(p.c_str(), p.c_str(), p.c_str(), p.c_str()).Build());
    }
  }
  // Bar 0: three entries (ranks 50, 80, 80: symbol 1 before 2 on the tie). Bar 1: symbol 3
  // while two positions are pending or held.
  RankedEntries strategy({{0, 0, 50}, {1, 0, 80}, {2, 0, 80}, {3, 1, 99}});
  EngineConfig config;
  config.max_positions = 2;
  auto sources = Sources(bars);
  auto run = BacktestEngine(config, {{"A"}, {"B"}, {"C"}, {"D"}}, strategy).Run(sources, nullptr);
  ASSERT_TRUE(run) << run.error().message;
  // B and C enter at bar 1's open and leave at bar 2's; A and D are refused.
  ASSERT_EQ(run->trades.size(), 2u);
  EXPECT_EQ(run->trades[0].symbol, 1);
  EXPECT_EQ(run->trades[1].symbol, 2);
  EXPECT_EQ(run->rejected_orders, 2);
  EXPECT_EQ(run->first_rejection,
            "max positions (2): 0 held or pending; this entry ranked 3 of 3 at this bar (rank 50)");
  std::vector<std::string> statuses;
  for (const RunEvent& e : run->events) statuses.push_back(e.details.at(0).value.Text());
  EXPECT_EQ(statuses,
            (std::vector<std::string>{
                "SKIPPED: max positions (2): 0 held or pending; this entry ranked 3 of 3 at this "
                "bar (rank 50)",
                "TRADED", "TRADED",
                "SKIPPED: max positions (2): 2 held or pending; this entry ranked 1 of 1 at this "
                "bar (rank 99)"}));
  // Per symbol: the trades' counts and exact P&L (bought at 11, sold at 12: +10 each).
  ASSERT_EQ(run->per_symbol.size(), 4u);
  EXPECT_EQ(run->per_symbol[0].trades, 0);
  EXPECT_EQ(run->per_symbol[1].trades, 1);
  EXPECT_EQ(run->per_symbol[1].won, 1);
  EXPECT_EQ(run->per_symbol[1].net_pnl, D("10"));
  EXPECT_EQ(run->per_symbol[2].net_pnl, D("10"));
  EXPECT_EQ(run->per_symbol[3].trades, 0);
  // Without a limit every entry trades.
  auto unlimited_sources = Sources(bars);
  RankedEntries again({{0, 0, 50}, {1, 0, 80}, {2, 0, 80}, {3, 1, 99}});
  auto unlimited =
      BacktestEngine({}, {{"A"}, {"B"}, {"C"}, {"D"}}, again).Run(unlimited_sources, nullptr);
  ASSERT_TRUE(unlimited);
  EXPECT_EQ(unlimited->trades.size(), 4u);
  EXPECT_EQ(unlimited->rejected_orders, 0);
}

}  // namespace
}  // namespace wyckoff::engine
