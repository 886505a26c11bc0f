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

}  // namespace
}  // namespace wyckoff::engine
