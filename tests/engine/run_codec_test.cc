// The numbered training runs of a search (TrainingRuns), their results as bytes (run_codec.h)
// and SearchOptions::run_all: what a distributed search relies on to write what one process
// writes.
#include "wyckoff/engine/run_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hold_strategy.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::engine {
namespace {

using testing::HoldFactory;
using testing::OneSymbol;

ParamGrid Grid(std::vector<std::string> specs) {
  std::vector<ParamDimension> dims;
  for (const auto& s : specs) dims.push_back(*ParseGridSpec(s));
  return *ParamGrid::Create(testing::HoldSchema(), {}, std::move(dims));
}

ComboResult Sample() {
  ComboResult r;
  r.index = 12345678901234ULL;
  Metrics& m = r.metrics;
  m.initial_equity = Decimal::FromInt(100000);
  m.final_equity = Decimal::FromRaw(Decimal::Max().raw() - 7);
  m.net_profit = Decimal::FromRaw(-1);
  m.total_return = 0.1 + 0.2;  // not a short decimal: every bit must travel
  m.cagr = std::nullopt;
  m.sharpe = -std::numeric_limits<double>::denorm_min();
  m.sortino = std::numeric_limits<double>::infinity();
  m.max_drawdown = 0.25;
  m.max_drawdown_amount = Decimal::Min();
  m.max_drawdown_duration = -3;
  m.trade_count = 17, m.winning_trades = 9, m.losing_trades = 8;
  m.win_rate = 9.0 / 17;
  m.average_r = std::nullopt;
  m.expectancy = Decimal::FromRaw(123456789012345);
  m.gross_profit = Decimal::FromInt(5), m.gross_loss = Decimal::FromInt(3);
  m.profit_factor = 5.0 / 3, m.exposure = 0.5, m.average_bars_held = 1e-300, m.steps = 1 << 30;
  r.final_value = Decimal::FromRaw(99);
  r.digest = "0123456789abcdef";
  r.score = 1.5;  // not sent: Rank computes it
  return r;
}

std::string Bytes(double d) { return std::string(reinterpret_cast<const char*>(&d), sizeof d); }

TEST(RunCodecTest, ResultsAndErrorsComeBackBitForBit) {
  RunSlots slots;
  slots.push_back(Sample());
  slots.push_back(Fail(ErrorCode::kOverflow, "a run error, with \n in it"));
  slots.push_back(ComboResult{});

  auto back = DecodeResults(EncodeResults(slots));

  ASSERT_TRUE(back.has_value()) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  const ComboResult& a = *(*back)[0];
  const ComboResult s = Sample();
  EXPECT_EQ(a.index, s.index);
  EXPECT_EQ(a.final_value, s.final_value);
  EXPECT_EQ(a.digest, s.digest);
  EXPECT_EQ(a.score, std::nullopt);
  const Metrics &m = a.metrics, &e = s.metrics;
  EXPECT_EQ(m.initial_equity, e.initial_equity);
  EXPECT_EQ(m.final_equity, e.final_equity);
  EXPECT_EQ(m.net_profit, e.net_profit);
  EXPECT_EQ(Bytes(m.total_return), Bytes(e.total_return));
  EXPECT_EQ(m.cagr, std::nullopt);
  EXPECT_EQ(Bytes(*m.sharpe), Bytes(*e.sharpe));
  EXPECT_EQ(m.sortino, e.sortino);
  EXPECT_EQ(m.max_drawdown, e.max_drawdown);
  EXPECT_EQ(m.max_drawdown_amount, e.max_drawdown_amount);
  EXPECT_EQ(m.max_drawdown_duration, e.max_drawdown_duration);
  EXPECT_EQ(m.trade_count, e.trade_count);
  EXPECT_EQ(m.winning_trades, e.winning_trades);
  EXPECT_EQ(m.losing_trades, e.losing_trades);
  EXPECT_EQ(Bytes(*m.win_rate), Bytes(*e.win_rate));
  EXPECT_EQ(m.average_r, std::nullopt);
  EXPECT_EQ(m.expectancy, e.expectancy);
  EXPECT_EQ(m.gross_profit, e.gross_profit);
  EXPECT_EQ(m.gross_loss, e.gross_loss);
  EXPECT_EQ(Bytes(*m.profit_factor), Bytes(*e.profit_factor));
  EXPECT_EQ(m.exposure, e.exposure);
  EXPECT_EQ(Bytes(*m.average_bars_held), Bytes(*e.average_bars_held));
  EXPECT_EQ(m.steps, e.steps);
  ASSERT_FALSE((*back)[1].has_value());
  EXPECT_EQ((*back)[1].error().code, ErrorCode::kOverflow);
  EXPECT_EQ((*back)[1].error().message, "a run error, with \n in it");
  EXPECT_TRUE((*back)[2].has_value());
}

TEST(RunCodecTest, BytesItDidNotMakeAreRefused) {
  RunSlots one;
  one.push_back(Sample());
  const std::string bytes = EncodeResults(one);
  const std::string error = "run results from another process do not decode";
  for (const std::string& bad :
       {std::string(), std::string("WYR2") + bytes.substr(4), bytes.substr(0, bytes.size() - 1),
        bytes + "x", std::string("WYR1\xff\xff\xff\xff\xff\xff\xff\x7f", 12)}) {
    auto decoded = DecodeResults(bad);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, ErrorCode::kParse);
    EXPECT_EQ(decoded.error().message, error);
  }
  EXPECT_TRUE(DecodeResults(EncodeResults({})).has_value());
}

TEST(TrainingRunsTest, TasksRunInAnyPiecesGiveTheResultsOfOneRun) {
  const MarketData data = OneSymbol(fixtures::RandomWalkBars({.bars = 300, .seed = 5}));
  const ParamGrid grid = Grid({"entry=0:100:10", "exit=150:290:20"});
  const SearchPlan plan = *PlanSearch(grid, {});
  const StrategyFactory factory = HoldFactory();
  const TrainingRuns runs = SearchTraining(data.All(), grid, plan, factory, {});
  ASSERT_EQ(runs.size(), plan.combinations.size());
  const RunSlots whole = runs.RunRange(0, runs.size(), 1);
  RunSlots pieces;
  for (std::size_t begin = 0; begin < runs.size(); begin += 7) {
    RunSlots piece = runs.RunRange(begin, std::min(runs.size(), begin + 7), 3);
    for (auto& r : piece) pieces.push_back(std::move(r));
  }
  ASSERT_EQ(pieces.size(), whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(pieces[i]->index, plan.combinations[i]);
    EXPECT_EQ(pieces[i]->digest, whole[i]->digest);
  }
  EXPECT_EQ(runs.Fingerprint(), SearchTraining(data.All(), grid, plan, factory, {}).Fingerprint());
  const MarketData other = OneSymbol(fixtures::RandomWalkBars({.bars = 300, .seed = 6}));
  EXPECT_NE(runs.Fingerprint(), SearchTraining(other.All(), grid, plan, factory, {}).Fingerprint());
}

// A run_all as a cluster runs it: batches out of order, each through the bytes.
Result<RunSlots> ThroughBytesBackwards(const TrainingRuns& runs) {
  RunSlots slots(runs.size(), Fail(ErrorCode::kInvalidArgument, "not run"));
  for (std::size_t end = runs.size(); end > 0;) {
    const std::size_t begin = end >= 5 ? end - 5 : 0;
    auto back = DecodeResults(EncodeResults(runs.RunRange(begin, end, 2)));
    if (!back) return tl::unexpected(back.error());
    std::move(back->begin(), back->end(), slots.begin() + static_cast<std::ptrdiff_t>(begin));
    end = begin;
  }
  return slots;
}

TEST(TrainingRunsTest, SearchesGatheredThroughRunAllEqualLocalOnes) {
  const MarketData data = OneSymbol(fixtures::RandomWalkBars({.bars = 600, .seed = 8}));
  const ParamGrid grid = Grid({"entry=0:40:5", "exit=60:100:10"});
  const SearchPlan plan = *PlanSearch(grid, {});
  SearchOptions local;
  local.jobs = 1;
  SearchOptions gathered = local;
  std::size_t calls = 0;
  gathered.run_all = [&calls](const TrainingRuns& runs) {
    ++calls;
    return ThroughBytesBackwards(runs);
  };

  auto one = RunSearch(data.All(), grid, plan, HoldFactory(), local);
  auto two = RunSearch(data.All(), grid, plan, HoldFactory(), gathered);
  const WindowSpec spec{.train = *ParsePeriod("120"), .test = *ParsePeriod("60")};
  auto wf_one = RunWalkForward(data, spec, grid, plan, HoldFactory(), local);
  auto wf_two = RunWalkForward(data, spec, grid, plan, HoldFactory(), gathered);
  auto training = WalkForwardTraining(data, spec, grid, plan, HoldFactory(), local);

  ASSERT_TRUE(one && two && wf_one && wf_two && training);
  EXPECT_EQ(calls, 2u);
  EXPECT_EQ(one->digest, two->digest);
  ASSERT_EQ(one->ranked.size(), two->ranked.size());
  for (std::size_t i = 0; i < one->ranked.size(); ++i) {
    EXPECT_EQ(one->ranked[i].index, two->ranked[i].index);
    EXPECT_EQ(one->ranked[i].score, two->ranked[i].score);
  }
  EXPECT_EQ(wf_one->digest, wf_two->digest);
  EXPECT_EQ(wf_one->windows.size(), 8u);
  EXPECT_EQ(training->size(), wf_one->windows.size() * plan.combinations.size());
}

TEST(TrainingRunsTest, AnErrorOfRunAllEndsTheSearch) {
  const MarketData data = OneSymbol(fixtures::RandomWalkBars({.bars = 200, .seed = 8}));
  const ParamGrid grid = Grid({"entry=0:40:5", "exit=60:100:10"});
  const SearchPlan plan = *PlanSearch(grid, {});
  SearchOptions options;
  options.run_all = [](const TrainingRuns&) -> Result<RunSlots> {
    return Fail(ErrorCode::kIo, "rank 2: data.csv: cannot open");
  };
  auto result = RunSearch(data.All(), grid, plan, HoldFactory(), options);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kIo);
  EXPECT_EQ(result.error().message, "rank 2: data.csv: cannot open");
}

}  // namespace
}  // namespace wyckoff::engine
