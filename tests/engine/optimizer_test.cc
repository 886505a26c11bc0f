#include "wyckoff/engine/optimizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "hold_strategy.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

using testing::HoldFactory;
using testing::OneSymbol;
using testing::TentBars;

Result<ParamGrid> MakeGrid(std::vector<std::string> specs, ParamList fixed = {}) {
  std::vector<ParamDimension> dims;
  for (const auto& s : specs) dims.push_back(*ParseGridSpec(s));
  return ParamGrid::Create(testing::HoldSchema(), std::move(fixed), std::move(dims));
}

ParamGrid Grid(std::vector<std::string> specs, ParamList fixed = {}) {
  auto grid = MakeGrid(std::move(specs), std::move(fixed));
  EXPECT_TRUE(grid.has_value()) << grid.error().message;
  return *grid;
}

SearchOptions Options(Objective objective, unsigned jobs = 1, std::int64_t min_trades = 0) {
  SearchOptions o;
  o.objective = {objective, min_trades};
  o.jobs = jobs;
  return o;
}

Result<SearchResult> Search(const MarketData& data, const ParamGrid& grid,
                            const StrategyFactory& factory, const SearchOptions& options) {
  auto plan = PlanSearch(grid, {});
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  return RunSearch(data.All(), grid, *plan, factory, options);
}

TEST(OptimizerTest, FindsTheBestCombinationKnownByConstruction) {
  // The tent peaks at bar 60: buying first (entry 0 fills at bar 1) and selling at the close
  // of bar 60 (filled at bar 61's open, 159) beats every other combination.
  const MarketData data = OneSymbol(TentBars(120, 60));
  const ParamGrid grid = Grid({"entry=0:40:10", "exit=50:100:10"});
  auto result = Search(data, grid, HoldFactory(), Options(Objective::kNetProfit, 2));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  ASSERT_NE(result->best(), nullptr);
  EXPECT_EQ(grid.Describe(result->best()->index), "entry=0 exit=60");
  EXPECT_EQ(result->best()->metrics.net_profit, Decimal::FromInt(159 - 101));
  EXPECT_EQ(result->ranked.size(), 30u);
}

TEST(OptimizerTest, TheThreadCountChangesNothing) {
  const MarketData data = OneSymbol(fixtures::RandomWalkBars({.bars = 400, .seed = 3}));
  const ParamGrid grid = Grid({"entry=0:100:5", "exit=150:390:20"});
  auto one = Search(data, grid, HoldFactory(), Options(Objective::kSharpe, 1));
  auto four = Search(data, grid, HoldFactory(), Options(Objective::kSharpe, 4));
  ASSERT_TRUE(one.has_value() && four.has_value());
  EXPECT_EQ(one->digest, four->digest);
  ASSERT_EQ(one->ranked.size(), four->ranked.size());
  for (std::size_t i = 0; i < one->ranked.size(); ++i) {
    EXPECT_EQ(one->ranked[i].index, four->ranked[i].index);
    EXPECT_EQ(one->ranked[i].digest, four->ranked[i].digest);
  }
}

TEST(OptimizerTest, RejectedCombinationsAreSkippedAndCounted) {
  const ParamGrid grid = Grid({"entry=0,50", "exit=40,60"});
  auto plan = PlanSearch(grid, {});
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->combinations, (std::vector<std::uint64_t>{0, 1, 3}));
  EXPECT_EQ(plan->drawn, 4u);
  EXPECT_EQ(plan->rejected, 1u);
  EXPECT_EQ(plan->first_rejection, "entry=50 exit=40: entry (50) must come before exit (40)");
}

TEST(OptimizerTest, AnUnknownParameterNameIsAnErrorOfTheGrid) {
  auto searched = MakeGrid({"entry=0,1", "speed=3"});
  ASSERT_FALSE(searched.has_value());
  EXPECT_EQ(searched.error().message,
            "unknown parameter \"speed\" for strategy hold (known: entry, exit, note)");
  auto fixed = MakeGrid({"entry=0,1"}, {{"colour", "red"}});
  ASSERT_FALSE(fixed.has_value());
  EXPECT_EQ(fixed.error().message,
            "unknown parameter \"colour\" for strategy hold (known: entry, exit, note)");
  auto value = MakeGrid({"entry=0,x"});
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().message, "parameter entry: \"x\" is not an integer from 0 to 100000");
}

TEST(OptimizerTest, EveryCombinationRejectedIsAnError) {
  auto plan = PlanSearch(Grid({"entry=5,6", "exit=1"}), {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "the strategy rejected every combination (2 of 2; first: entry=5 exit=1: entry (5) "
            "must come before exit (1))");
}

TEST(OptimizerTest, AFullGridAboveTheLimitAsksForSamples) {
  const ParamGrid grid = Grid({"entry=1:10000:1", "exit=1:10000:1"});
  auto plan = PlanSearch(grid, {});
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().message,
            "the grid has 100000000 combinations, more than 10000000; search a random sample of "
            "them");
}

TEST(OptimizerTest, SamplingDrawsTheRequestedNumberOfCombinations) {
  const ParamGrid grid = Grid({"entry=0:9:1", "exit=50:59:1"});
  auto plan = PlanSearch(grid, {.samples = 7, .seed = 11});
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->combinations.size(), 7u);
  EXPECT_EQ(plan->combinations, SampleCombinations(100, 7, 11));
}

TEST(OptimizerTest, TiesBreakByGridOrder) {
  const MarketData data = OneSymbol(TentBars(120, 60));
  const ParamGrid grid = Grid({"note=c,a,b"}, {{"entry", "0"}, {"exit", "60"}});
  auto result = Search(data, grid, HoldFactory(), Options(Objective::kNetProfit, 3));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->ranked.size(), 3u);
  EXPECT_EQ(result->ranked[0].index, 0u);
  EXPECT_EQ(result->ranked[1].index, 1u);
  EXPECT_EQ(result->ranked[2].index, 2u);
}

TEST(OptimizerTest, MoneyObjectivesRankByExactDecimals) {
  // Two net profits a trillionth apart: the same double, different Decimals.
  std::vector<ComboResult> results(2);
  results[0].index = 0;
  results[0].metrics.net_profit = *Decimal::Parse("1000000.000000000001");
  results[1].index = 1;
  results[1].metrics.net_profit = *Decimal::Parse("1000000.000000000002");
  ASSERT_EQ(results[0].metrics.net_profit.ToDouble(), results[1].metrics.net_profit.ToDouble());
  Rank(results, {Objective::kNetProfit, 0});
  EXPECT_EQ(results[0].index, 1u);
  EXPECT_EQ(results[1].index, 0u);
}

TEST(OptimizerTest, TooFewTradesMakeACombinationIneligible) {
  const MarketData data = OneSymbol(TentBars(120, 60));
  const ParamGrid grid = Grid({"entry=0,10", "exit=60"});
  auto result = Search(data, grid, HoldFactory(), Options(Objective::kNetProfit, 1, 2));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->best(), nullptr);
  EXPECT_FALSE(result->ranked[0].score.has_value());
}

TEST(OptimizerTest, PrepareRunsOncePerSliceAndReachesEveryStrategy) {
  const MarketData data = OneSymbol(TentBars(120, 60));
  StrategyFactory factory = HoldFactory();
  static const SharedInputs kFeatures;
  std::atomic<int> prepared{0}, saw_features{0};
  factory.prepare = [&](const DataSlice& slice, const ParamGrid& grid) {
    ++prepared;
    EXPECT_EQ(slice.bars[0].size(), 120u);
    EXPECT_EQ(grid.dimensions().at(0).name, "entry");      // what is searched ...
    EXPECT_EQ(grid.fixed(), (ParamList{{"exit", "60"}}));  // ... and what is not
    return std::shared_ptr<const SharedInputs>(&kFeatures, [](const SharedInputs*) {});
  };
  factory.make = [&](const ParamValues& p,
                     const SharedInputs* shared) -> Result<std::unique_ptr<Strategy>> {
    if (shared == &kFeatures) ++saw_features;
    return testing::MakeHold(p);
  };
  auto result = Search(data, Grid({"entry=0:40:10"}, {{"exit", "60"}}), factory,
                       Options(Objective::kNetProfit, 2));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(prepared.load(), 1);
  EXPECT_EQ(saw_features.load(), 5);
}

TEST(OptimizerTest, ObjectivesByName) {
  EXPECT_EQ(*ParseObjective("avg_r"), Objective::kAverageR);
  EXPECT_EQ(*ParseObjective("net_profit"), Objective::kNetProfit);
  EXPECT_EQ(ObjectiveName(Objective::kProfitFactor), "profit_factor");
  auto bad = ParseObjective("cagr");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "\"cagr\" is not an objective; expected sharpe, sortino, net_profit, "
            "profit_factor or avg_r");
}

TEST(OptimizerTest, UndefinedObjectivesHaveNoScore) {
  Metrics m;
  m.net_profit = Decimal::FromInt(5);
  EXPECT_EQ(Score(m, {Objective::kNetProfit}), 5.0);
  EXPECT_FALSE(Score(m, {Objective::kSharpe}).has_value());
  EXPECT_FALSE(Score(m, {Objective::kProfitFactor}).has_value());
  m.profit_factor = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(Score(m, {Objective::kProfitFactor}).has_value());
  EXPECT_FALSE(Score(m, {Objective::kNetProfit, 1}).has_value());  // no trades
}

TEST(ParallelForTest, RunsEveryTaskOnceAndReportsProgressInOrder) {
  std::vector<int> hits(1000, 0);
  std::vector<std::size_t> progress;
  ParallelFor(
      hits.size(), 4, [&](std::size_t i) { ++hits[i]; },
      [&](std::size_t done, std::size_t total) {
        EXPECT_EQ(total, 1000u);
        progress.push_back(done);
      });
  EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), 1000);
  ASSERT_EQ(progress.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), 1000u);
}

}  // namespace
}  // namespace wyckoff::engine
