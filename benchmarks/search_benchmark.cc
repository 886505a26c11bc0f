// Parameter search benchmarks: a 1000-combination grid over one year of 1-minute bars, a
// walk-forward run of four windows (6-month train, 3-month test) over session minute bars, and
// a wyckoff grid with and without the inputs shared across combinations. All wire the strategy
// registry into the engine's search as `wyckoff optimize` does, and run on DefaultJobs()
// threads (the label says how many).
#include <benchmark/benchmark.h>

#include <chrono>
#include <string>

#include "fixture_checks.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/run_codec.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/fixtures/random_walk.h"
#include "wyckoff/fixtures/weekdays.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::engine {
namespace {

constexpr Timestamp kMinute = 60 * kNanosPerSecond;

const strategies::StrategyType& Strategy(const std::string& name) {
  return **strategies::FindStrategy(name);
}

// The registry as `wyckoff optimize` wires it, with or without the shared inputs.
StrategyFactory RegistryFactory(const std::string& strategy, bool share) {
  return strategies::FactoryOf(Strategy(strategy), share);
}

// The grid of `specs` over the strategy's schema; aborts, naming the spec, when one does not
// parse.
ParamGrid Grid(const std::string& strategy, std::initializer_list<const char*> specs) {
  std::vector<ParamDimension> dims;
  for (const char* s : specs) {
    dims.push_back(benchmarks::ValueOrAbort(ParseGridSpec(s), std::string("grid ") + s));
  }
  return benchmarks::ValueOrAbort(
      ParamGrid::Create(Strategy(strategy).schema(), {}, std::move(dims)), "the grid");
}

MarketData OneSymbol(std::vector<Bar> bars, bool intraday) {
  MarketData data;
  data.symbols = {{"S", intraday}};
  data.bars.emplace_back(bars);
  return data;
}

// Weekday sessions of 390 one-minute bars (09:30-16:00 UTC) from `first` up to `end`.
std::vector<Bar> SessionMinuteBars(Timestamp first, Timestamp end) {
  const std::vector<Timestamp> times =
      fixtures::WeekdaySessionTimes(first, end, (9 * 60 + 30) * kMinute, 390);
  std::vector<Bar> bars =
      fixtures::RandomWalkBars({.bars = times.size(), .seed = 21, .interval = kMinute});
  for (std::size_t i = 0; i < bars.size(); ++i) bars[i].time = times[i];
  return bars;
}

// Rates per wall-clock second (the work runs on pool threads, so the main thread's CPU time,
// which kIsRate counters divide by, says nothing; UseRealTime would rename the benchmarks).
double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void SetLabel(benchmark::State& state, std::size_t bars, unsigned jobs) {
  state.SetLabel(std::to_string(bars) + " bars, jobs=" + std::to_string(jobs));
}

// One year of 1-minute bars (98,280), the data of the optimize benchmarks.
MarketData OneYearOfMinutes() {
  return OneSymbol(fixtures::RandomWalkBars({.bars = 252 * 390, .seed = 42, .interval = kMinute}),
                   true);
}

// Times RunSearch over every combination of `grid` (`combos` of them) with `strategy` from
// the registry, shared inputs or not; counts combinations and bars per second.
void TimeSearch(benchmark::State& state, const std::string& strategy, const ParamGrid& grid,
                std::size_t combos, bool share) {
  const MarketData data = OneYearOfMinutes();
  SearchOptions options;
  options.config.sizing.quantity = Decimal::FromInt(10);
  options.jobs = DefaultJobs();
  const StrategyFactory factory = RegistryFactory(strategy, share);
  auto plan = PlanSearch(grid, {});
  if (!plan) return state.SkipWithError(plan.error().message.c_str());
  if (plan->combinations.size() != combos) {
    const std::string error = "the grid has " + std::to_string(plan->combinations.size()) +
                              " combinations, not " + std::to_string(combos);
    return state.SkipWithError(error.c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto result = RunSearch(data.All(), grid, *plan, factory, options);
    if (!result) return state.SkipWithError(result.error().message.c_str());
    benchmark::DoNotOptimize(result->digest);
  }
  const double runs = static_cast<double>(state.iterations()) * static_cast<double>(combos);
  const double seconds = Seconds(start);
  state.counters["combos_per_second"] = runs / seconds;
  state.counters["bars_per_second"] = runs * static_cast<double>(data.bars[0].size()) / seconds;
  SetLabel(state, data.bars[0].size(), options.jobs);
}

// 1000 combinations (fast 1-20 x slow 25-74) of sma-cross over 98,280 1-minute bars.
void BM_Optimize_1000Combos(benchmark::State& state) {
  TimeSearch(state, "sma-cross", Grid("sma-cross", {"fast=1:20:1", "slow=25:74:1"}), 1000, true);
}
BENCHMARK(BM_Optimize_1000Combos)->Unit(benchmark::kSecond);

// Walk-forward over 18 months of session minute bars (2020-01-01 to 2021-06-30): 6-month
// train, 3-month test, 4 rolling windows, 25 sma-cross combinations per window.
void BM_WalkForward_4Windows(benchmark::State& state) {
  const Timestamp first = benchmarks::ValueOrAbort(ParseDate("2020-01-01"), "date");
  const Timestamp end = benchmarks::ValueOrAbort(ParseDate("2021-07-01"), "date");
  const MarketData data = OneSymbol(SessionMinuteBars(first, end), true);
  const ParamGrid grid = Grid("sma-cross", {"fast=5:25:5", "slow=30:70:10"});
  const WindowSpec spec{benchmarks::ValueOrAbort(ParsePeriod("6m"), "train period"),
                        benchmarks::ValueOrAbort(ParsePeriod("3m"), "test period")};
  SearchOptions options;
  options.config.sizing.quantity = Decimal::FromInt(10);
  options.jobs = DefaultJobs();
  const StrategyFactory factory = RegistryFactory("sma-cross", true);
  auto plan = PlanSearch(grid, {});
  if (!plan) return state.SkipWithError(plan.error().message.c_str());
  auto windows = PlanWindows(data.Clock(), spec);
  if (!windows) return state.SkipWithError(windows.error().message.c_str());
  if (windows->size() != 4) {
    const std::string error = std::to_string(windows->size()) + " windows, not 4";
    return state.SkipWithError(error.c_str());
  }
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto wf = RunWalkForward(data, spec, grid, *plan, factory, options);
    if (!wf) return state.SkipWithError(wf.error().message.c_str());
    benchmark::DoNotOptimize(wf->digest);
  }
  state.counters["windows_per_second"] =
      static_cast<double>(state.iterations() * 4) / Seconds(start);
  SetLabel(state, data.bars[0].size(), options.jobs);
}
BENCHMARK(BM_WalkForward_4Windows)->Unit(benchmark::kMillisecond);

// 16 wyckoff combinations (min_reward_risk x spring_volume_max, no feature parameter searched)
// over the same bars; argument 1: the bars as doubles and the detector features computed once
// and shared (what `wyckoff optimize` does), 0: every combination computes its own.
void BM_Optimize_Wyckoff16(benchmark::State& state) {
  TimeSearch(state, "wyckoff",
             Grid("wyckoff", {"min_reward_risk=1.5:3:0.5", "spring_volume_max=0.5:0.8:0.1"}), 16,
             state.range(0) != 0);
}
BENCHMARK(BM_Optimize_Wyckoff16)->ArgName("shared")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// What a distributed search (docs/distributed.md) adds per batch besides the MPI messages: a
// rank encodes the results of its batch of 64 runs, rank 0 decodes them and moves them into
// their slots (the gather). Real results: 64 sma-cross runs over ORCL-sized data (5,000 daily
// bars). Time per run; bytes_per_run is the size of a results message per run.
void BM_Distribution_GatherBatch64(benchmark::State& state) {
  const MarketData data = OneSymbol(
      fixtures::RandomWalkBars({.bars = 5000, .seed = 7, .interval = kNanosPerDay}), false);
  const ParamGrid grid = Grid("sma-cross", {"fast=2:17:1", "slow=20:80:20"});
  const SearchPlan plan = benchmarks::ValueOrAbort(PlanSearch(grid, {}), "the plan");
  const StrategyFactory factory = RegistryFactory("sma-cross", true);
  const TrainingRuns runs = SearchTraining(data.All(), grid, plan, factory, {});
  const RunSlots batch = runs.RunRange(0, runs.size(), DefaultJobs());
  if (batch.size() != 64) return state.SkipWithError("the batch does not hold 64 runs");
  RunSlots slots(batch.size(), Fail(ErrorCode::kInvalidArgument, "not run"));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string message = EncodeResults(batch);
    auto decoded = DecodeResults(message);
    if (!decoded) return state.SkipWithError(decoded.error().message.c_str());
    std::move(decoded->begin(), decoded->end(), slots.begin());
    bytes = message.size();
    benchmark::DoNotOptimize(slots.data());
  }
  state.counters["bytes_per_run"] = static_cast<double>(bytes) / 64;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 64);
}
BENCHMARK(BM_Distribution_GatherBatch64)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace wyckoff::engine
