// What a parameter search computes once per data slice (StrategyType::prepare) and lends to every
// combination's wyckoff strategy: the results must be exactly those of a strategy that
// computes everything itself.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine_builders.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/strategies/registry.h"
#include "wyckoff/strategies/wyckoff_strategy.h"

namespace wyckoff::strategies {
namespace {

using testing::D;

std::vector<Bar> Load(const std::string& file) {
  auto source = engine::CsvBarSource::Open(testing::DataPath(file), {});
  EXPECT_TRUE(source.has_value());
  std::vector<Bar> bars;
  Bar bar;
  while (true) {
    auto more = (*source)->Next(bar);
    EXPECT_TRUE(more.has_value());
    if (!more || !*more) break;
    bars.push_back(bar);
  }
  return bars;
}

// Two symbols on one clock: ESTX50 futures (1-minute, with volume; trades) and the ESTX50
// index (5-minute, volume 0).
const engine::MarketData& TwoSymbols() {
  static const engine::MarketData data = [] {
    engine::MarketData d;
    d.symbols = {{"FESX", true}, {"SX5E", true}};
    d.bars.emplace_back(Load("intraday/estx50-futures-2006-01-02-1min.csv"));
    d.bars.emplace_back(Load("intraday/estx50-index-2006-01-5min.csv"));
    return d;
  }();
  return data;
}

const StrategyType& Wyckoff() { return **FindStrategy("wyckoff"); }

engine::ParamGrid Grid(ParamList fixed, std::vector<std::string> specs) {
  std::vector<engine::ParamDimension> dims;
  for (const auto& s : specs) dims.push_back(*engine::ParseGridSpec(s));
  return *engine::ParamGrid::Create(Wyckoff().schema(), std::move(fixed), std::move(dims));
}

std::shared_ptr<const engine::SharedInputs> Prepare(const engine::ParamGrid& grid) {
  return Wyckoff().prepare(TwoSymbols().All(), grid);
}

engine::RunResult Backtest(const ParamValues& params, const engine::SharedInputs* shared) {
  engine::EngineConfig config;
  config.sizing = {.quantity = D("10")};
  std::unique_ptr<engine::Strategy> strategy = Wyckoff().make(params, shared);
  const engine::DataSlice slice = TwoSymbols().All();
  std::vector<std::unique_ptr<engine::BarSource>> sources = slice.Sources();
  auto run = engine::BacktestEngine(config, slice.symbols, *strategy).Run(sources, nullptr);
  EXPECT_TRUE(run.has_value());
  return std::move(*run);
}

void ExpectSameRun(const engine::RunResult& shared, const engine::RunResult& own) {
  EXPECT_EQ(shared.digest, own.digest);  // trades and the equity curve
  EXPECT_EQ(shared.final_value, own.final_value);
  ASSERT_EQ(shared.events.size(), own.events.size());
  for (std::size_t i = 0; i < own.events.size(); ++i) {
    EXPECT_EQ(shared.events[i].type, own.events[i].type) << i;
    EXPECT_EQ(shared.events[i].symbol, own.events[i].symbol) << i;
    EXPECT_EQ(shared.events[i].confirm_time, own.events[i].confirm_time) << i;
    EXPECT_EQ(shared.events[i].details, own.events[i].details) << i;
  }
}

const WyckoffInputs& Inputs(const std::shared_ptr<const engine::SharedInputs>& shared) {
  return dynamic_cast<const WyckoffInputs&>(*shared);
}

TEST(SharedInputsTest, FeaturesOnceForEveryCombinationChangeNoResult) {
  const engine::ParamGrid grid = Grid({{"volume_window", "25"}}, {"min_reward_risk=1.5,2.5"});
  const std::shared_ptr<const engine::SharedInputs> shared = Prepare(grid);
  ASSERT_NE(shared, nullptr);
  ASSERT_EQ(Inputs(shared).series.size(), 2u);
  EXPECT_EQ(Inputs(shared).series[0].features.size(), TwoSymbols().bars[0].size());
  EXPECT_EQ(Inputs(shared).series[0].params.volume_window, 25);  // the fixed value
  for (std::uint64_t i = 0; i < grid.size(); ++i) {
    const engine::RunResult own = Backtest(grid.Combination(i), nullptr);
    ASSERT_GE(own.trades.size(), 1u);
    ExpectSameRun(Backtest(grid.Combination(i), shared.get()), own);
  }
}

TEST(SharedInputsTest, ASearchedFeatureParameterSharesTheBarValuesOnly) {
  const engine::ParamGrid grid = Grid({}, {"volume_window=10,40"});
  const std::shared_ptr<const engine::SharedInputs> shared = Prepare(grid);
  ASSERT_NE(shared, nullptr);
  EXPECT_FALSE(Inputs(shared).series[0].has_features());
  EXPECT_EQ(Inputs(shared).series[1].bars.size(), TwoSymbols().bars[1].size());
  const engine::RunResult a = Backtest(grid.Combination(0), shared.get());
  const engine::RunResult b = Backtest(grid.Combination(1), shared.get());
  ExpectSameRun(a, Backtest(grid.Combination(0), nullptr));
  ExpectSameRun(b, Backtest(grid.Combination(1), nullptr));
  EXPECT_NE(a.events.size(), b.events.size());  // the volume window matters
}

TEST(SharedInputsTest, FeaturesOfOtherParametersAreNotUsed) {
  // Features computed with the default volume_window (20) and a combination with 30: the
  // strategy recomputes its own and gets its own results.
  const std::shared_ptr<const engine::SharedInputs> shared = Prepare(Grid({}, {}));
  ASSERT_TRUE(Inputs(shared).series[0].has_features());
  ParamValues thirty = Wyckoff().schema().Defaults();
  ASSERT_TRUE(thirty.Set("volume_window", "30"));
  const engine::RunResult own = Backtest(thirty, nullptr);
  ExpectSameRun(Backtest(thirty, shared.get()), own);
  EXPECT_NE(own.events.size(), Backtest(Wyckoff().schema().Defaults(), nullptr).events.size());
}

TEST(SharedInputsTest, OnlyTheWyckoffStrategySharesAnything) {
  EXPECT_EQ((*FindStrategy("sma-cross"))->prepare, nullptr);
  EXPECT_NE(Wyckoff().prepare, nullptr);
}

}  // namespace
}  // namespace wyckoff::strategies
