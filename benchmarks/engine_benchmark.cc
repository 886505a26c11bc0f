// Engine benchmarks: whole backtests (NFR7), order simulation, position tracking, metrics,
// and the scaling of a backtest with data size and symbol count.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <tuple>

#include "counted.h"
#include "fixture_checks.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/engine/broker.h"
#include "wyckoff/fixtures/random_walk.h"
#include "wyckoff/strategies/registry.h"
#include "wyckoff/strategies/sma_cross.h"

namespace wyckoff::engine {
namespace {

constexpr Timestamp kMinute = 60 * kNanosPerSecond;

// Bars for a benchmark, generated once per size and kept for the process.
const std::vector<Bar>& Bars(std::size_t n, Timestamp interval = kNanosPerDay,
                             std::uint64_t seed = 42) {
  static std::map<std::tuple<std::size_t, Timestamp, std::uint64_t>, std::vector<Bar>> cache;
  auto& bars = cache[{n, interval, seed}];
  if (bars.empty())
    bars = fixtures::RandomWalkBars({.bars = n, .seed = seed, .interval = interval});
  return bars;
}

// One sma-cross backtest over `per_symbol` (one bar series per symbol). A run that fails is a
// bug in the fixture: it aborts with the engine's message.
RunResult RunSmaCross(const std::vector<const std::vector<Bar>*>& per_symbol) {
  std::vector<std::unique_ptr<BarSource>> sources;
  std::vector<SymbolInfo> symbols;
  for (const auto* bars : per_symbol) {
    sources.push_back(std::make_unique<SpanBarSource>(*bars, false));
    symbols.push_back({"S" + std::to_string(symbols.size()), false});
  }
  strategies::SmaCrossStrategy strategy(10, 30);
  EngineConfig config;
  config.sizing.quantity = Decimal::FromInt(10);
  return benchmarks::ValueOrAbort(
      BacktestEngine(config, std::move(symbols), strategy).Run(sources, nullptr),
      "sma-cross backtest");
}

void SetBarRate(benchmark::State& state, std::size_t bars_per_iteration) {
  state.counters["bars_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * bars_per_iteration), benchmark::Counter::kIsRate);
}

// NFR7: backtest throughput of sma-cross over 20 years of daily bars (5,000 bars).
void BM_Backtest_SmaCross(benchmark::State& state) {
  const auto& bars = Bars(5000);
  for (auto _ : state) benchmark::DoNotOptimize(RunSmaCross({&bars}));
  SetBarRate(state, bars.size());
}
BENCHMARK(BM_Backtest_SmaCross)->Apply(benchmarks::Counted);

// NFR7 for the wyckoff strategy: 20 years of real ORCL daily bars (5,036), detectors and all.
void BM_Backtest_Wyckoff(benchmark::State& state) {
  auto source = CsvBarSource::Open(WYCKOFF_SOURCE_DIR "/data/daily/orcl-1995-2014.csv", {});
  if (!source) {
    state.SkipWithError(source.error().message.c_str());
    return;
  }
  Result<std::vector<Bar>> read = ReadAll(**source);
  if (!read) {
    state.SkipWithError(read.error().message.c_str());
    return;
  }
  const std::vector<Bar> bars = std::move(*read);
  EngineConfig config;
  config.sizing.quantity = Decimal::FromInt(100);
  for (auto _ : state) {
    auto strategy = strategies::MakeStrategy("wyckoff", {}, config.sizing, nullptr);
    if (!strategy) return state.SkipWithError(strategy.error().message.c_str());
    std::vector<std::unique_ptr<BarSource>> sources;
    sources.push_back(std::make_unique<SpanBarSource>(bars, false));
    auto run = BacktestEngine(config, {{"ORCL", false}}, **strategy).Run(sources, nullptr);
    if (!run) return state.SkipWithError(run.error().message.c_str());
    benchmark::DoNotOptimize(run);
  }
  SetBarRate(state, bars.size());
}
BENCHMARK(BM_Backtest_Wyckoff)->Apply(benchmarks::Counted);

// Hands out `laps` laps of `bars` (each lap shifted to follow the last) and times what the
// engine does between two calls of Next: everything one bar costs after it is read (features,
// range, phases, detectors, the strategy's decision, orders, fills, the portfolio).
class TimedBarSource final : public BarSource {
 public:
  using Clock = std::chrono::steady_clock;
  TimedBarSource(const std::vector<Bar>& bars, int laps, std::vector<double>& samples)
      : bars_(bars),
        laps_(laps),
        lap_(bars.back().time - bars.front().time + (bars[1].time - bars[0].time)),
        samples_(samples) {}
  Result<bool> Next(Bar& bar) override {
    const Clock::time_point now = Clock::now();
    if (next_ > 0 || lap_index_ > 0) {
      samples_.push_back(static_cast<double>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(now - handed_out_).count()));
    }
    if (next_ == bars_.size()) {
      next_ = 0;
      if (++lap_index_ == laps_) return false;
    }
    bar = bars_[next_++];
    bar.time += lap_ * lap_index_;
    handed_out_ = Clock::now();
    return true;
  }
  bool intraday() const override { return false; }

 private:
  const std::vector<Bar>& bars_;
  int laps_;
  Timestamp lap_;
  std::vector<double>& samples_;
  std::size_t next_ = 0;
  int lap_index_ = 0;
  Clock::time_point handed_out_;
};

// NFR1 on the whole per-bar path: the wyckoff strategy in the engine over 4 laps of the real
// ORCL daily file (20,144 bars; 100 shares a trade), each bar timed from the moment the engine
// has it to the moment it asks for the next, so every sample holds one bar's features,
// detectors, strategy decision, orders and portfolio (and two steady_clock reads, ~40 ns).
// Time per iteration is one whole run (budgets.json divides by `bars`); the counters are the
// p50/p95/p99/max of the last iteration's bars.
void BM_Signal_WholePath(benchmark::State& state) {
  auto source = CsvBarSource::Open(WYCKOFF_SOURCE_DIR "/data/daily/orcl-1995-2014.csv", {});
  if (!source) return state.SkipWithError(source.error().message.c_str());
  Result<std::vector<Bar>> read = ReadAll(**source);
  if (!read) return state.SkipWithError(read.error().message.c_str());
  const std::vector<Bar> bars = std::move(*read);
  constexpr int kLaps = 4;
  const std::size_t total = bars.size() * kLaps;
  std::vector<double> samples;
  samples.reserve(total);
  EngineConfig config;
  config.sizing.quantity = Decimal::FromInt(100);
  std::size_t trades = 0;
  for (auto _ : state) {
    samples.clear();
    auto strategy = strategies::MakeStrategy("wyckoff", {}, config.sizing, nullptr);
    if (!strategy) return state.SkipWithError(strategy.error().message.c_str());
    std::vector<std::unique_ptr<BarSource>> sources;
    sources.push_back(std::make_unique<TimedBarSource>(bars, kLaps, samples));
    auto run = BacktestEngine(config, {{"ORCL", false}}, **strategy).Run(sources, nullptr);
    if (!run) return state.SkipWithError(run.error().message.c_str());
    trades = run->trades.size();
  }
  if (samples.size() != total) {
    return state.SkipWithError("the engine did not ask for every bar of the fixture");
  }
  if (trades == 0) return state.SkipWithError("the fixture made no trade: no decision was timed");
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))];
  };
  state.counters["bars"] = static_cast<double>(total);
  state.counters["trades"] = static_cast<double>(trades);
  state.counters["p50_ns"] = at(0.50);
  state.counters["p95_ns"] = at(0.95);
  state.counters["p99_ns"] = at(0.99);
  state.counters["max_ns"] = samples.back();
  SetBarRate(state, total);
}
BENCHMARK(BM_Signal_WholePath)->Apply(benchmarks::Counted)->Unit(benchmark::kMillisecond);

// One year of 1-minute bars (252 sessions x 390 minutes), one backtest.
void BM_Backtest_OneYearMinute(benchmark::State& state) {
  const auto& bars = Bars(252 * 390, kMinute);
  for (auto _ : state) benchmark::DoNotOptimize(RunSmaCross({&bars}));
  SetBarRate(state, bars.size());
  state.SetLabel("98280 bars");
}
BENCHMARK(BM_Backtest_OneYearMinute)->Apply(benchmarks::Counted)->Unit(benchmark::kMillisecond);

// Scaling with data size: 100 to 10 million bars of one symbol.
void BM_Scaling_Bars(benchmark::State& state) {
  const auto& bars = Bars(static_cast<std::size_t>(state.range(0)), kMinute);
  for (auto _ : state) benchmark::DoNotOptimize(RunSmaCross({&bars}));
  SetBarRate(state, bars.size());
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Scaling_Bars)
    ->RangeMultiplier(10)
    ->Range(100, 10'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

// Scaling with symbol count: 10 to 250 symbols of 1,000 daily bars on one clock.
void BM_Scaling_Symbols(benchmark::State& state) {
  std::vector<const std::vector<Bar>*> per_symbol;
  for (int s = 0; s < state.range(0); ++s) {
    per_symbol.push_back(&Bars(1000, kNanosPerDay, 100 + static_cast<std::uint64_t>(s)));
  }
  for (auto _ : state) benchmark::DoNotOptimize(RunSmaCross(per_symbol));
  SetBarRate(state, per_symbol.size() * 1000);
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Scaling_Symbols)
    ->Arg(10)
    ->Arg(50)
    ->Arg(100)
    ->Arg(250)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

// Order simulation: one iteration is one market order placed, priced (basis-point slippage,
// per-share commission with a minimum), cash-checked, filled and booked.
void BM_Order_Simulation(benchmark::State& state) {
  const auto& bars = Bars(4096);
  BrokerConfig config{.slippage = {SlippageModel::Kind::kBasisPoints, Decimal::FromInt(5)},
                      .commission = {CommissionModel::Kind::kPerShare, Decimal::FromUnits(5, 3),
                                     Decimal::FromInt(1)}};
  std::vector<Trade> trades;
  trades.reserve(1 << 20);
  auto book = std::make_unique<Portfolio>(Decimal::FromInt(1'000'000'000), 1);
  auto broker = std::make_unique<SimulatedBroker>(config, *book);
  std::size_t i = 0;
  for (auto _ : state) {
    const Bar& bar = bars[i % bars.size()];
    const Side side = (i & 1) == 0 ? Side::kBuy : Side::kSell;
    broker->Submit(OrderRequest::Market(0, side, Decimal::FromInt(100)), bar.time - 1);
    broker->ProcessBar(0, bar, static_cast<std::int64_t>(i), trades);
    if (++i % 100'000 == 0) {  // bound the kept orders and fills
      state.PauseTiming();
      trades.clear();
      book = std::make_unique<Portfolio>(Decimal::FromInt(1'000'000'000), 1);
      broker = std::make_unique<SimulatedBroker>(config, *book);
      state.ResumeTiming();
    }
  }
  state.counters["orders_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Order_Simulation)->Apply(benchmarks::Counted);

// Position tracking: one iteration marks 10 open positions to a new bar and reads equity.
void BM_Positions_Track10(benchmark::State& state) {
  constexpr int kSymbols = 10;
  Portfolio book(Decimal::FromInt(1'000'000), kSymbols);
  std::vector<Trade> closed;
  for (int s = 0; s < kSymbols; ++s) {
    Fill f{.symbol = s,
           .side = Side::kBuy,
           .quantity = Decimal::FromInt(100),
           .price = Decimal::FromInt(50)};
    book.ApplyFill(f, std::nullopt, closed);
  }
  const auto& bars = Bars(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    const Decimal close = bars[i++ % bars.size()].close;
    for (int s = 0; s < kSymbols; ++s) book.Mark(s, close);
    benchmark::DoNotOptimize(book.equity());
  }
  SetBarRate(state, 1);
}
BENCHMARK(BM_Positions_Track10)->Apply(benchmarks::Counted);

// Metrics from 100 trades (and a year of daily equity points, accumulated beforehand).
void BM_Metrics_100Trades(benchmark::State& state) {
  const auto& bars = Bars(252);
  MetricsAccumulator acc(Decimal::FromInt(100000));
  for (const Bar& b : bars) acc.OnEquity(b.time, Decimal::FromInt(100000) + b.close, true);
  std::vector<Trade> trades(100);
  for (std::size_t i = 0; i < trades.size(); ++i) {
    trades[i].pnl = bars[i].close - bars[i + 1].open;
    trades[i].r_multiple = Decimal::FromUnits(static_cast<std::int64_t>(i % 7) - 3, 0);
    trades[i].exit_index = static_cast<std::int64_t>(i % 13);
  }
  for (auto _ : state) benchmark::DoNotOptimize(acc.Finish(trades));
}
BENCHMARK(BM_Metrics_100Trades)->Apply(benchmarks::Counted);

}  // namespace
}  // namespace wyckoff::engine
