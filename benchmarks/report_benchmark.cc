// Report writing: equity.csv streamed row by row as a run makes it, and trades.csv of a run
// with many trades, written through the same writers `wyckoff backtest --out` uses, to a
// temporary folder (the page cache; the disk is not what is measured).
#include <benchmark/benchmark.h>

#include <filesystem>

#include "fixture_checks.h"
#include "wyckoff/fixtures/random_walk.h"
#include "wyckoff/report/report.h"

namespace wyckoff::report {
namespace {

namespace fs = std::filesystem;

fs::path Folder(const char* name) {
  const fs::path dir = fs::temp_directory_path() / "wyckoff-bench-report" / name;
  fs::create_directories(dir);
  return dir;
}

// One million one-minute equity rows (time, cash, equity with cents), streamed.
void BM_Report_EquityCsv(benchmark::State& state) {
  const auto bars =
      fixtures::RandomWalkBars({.bars = 1'000'000, .seed = 3, .interval = 60 * kNanosPerSecond});
  const fs::path dir = Folder("equity");
  std::int64_t bytes = 0;
  for (auto _ : state) {
    EquityCsvWriter equity;
    benchmarks::ValueOrAbort(equity.Open(dir.string()), "equity.csv");
    equity.OnStart(/*intraday=*/true);
    const Decimal cash = *Decimal::Parse("98765.43");
    for (const Bar& b : bars) equity.OnEquity(b.time, cash, cash + b.close);
    OutputFile* file = benchmarks::ValueOrAbort(equity.Close(), "closing equity.csv");
    benchmarks::ValueOrAbort(file->Commit(), "committing equity.csv");
    bytes += static_cast<std::int64_t>(fs::file_size(dir / "equity.csv"));
  }
  state.SetBytesProcessed(bytes);
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Report_EquityCsv)->Unit(benchmark::kMillisecond);

// trades.csv of 200,000 round trips (intraday times, fractional prices and P&L).
void BM_Report_TradesCsv(benchmark::State& state) {
  engine::RunResult run;
  run.intraday = true;
  run.symbols = {{"FESX", true}};
  const auto bars =
      fixtures::RandomWalkBars({.bars = 400'001, .seed = 5, .interval = 60 * kNanosPerSecond});
  for (std::size_t i = 0; i + 1 < bars.size(); i += 2) {
    engine::Trade t;
    t.entry_time = bars[i].time, t.exit_time = bars[i + 1].time;
    t.entry_index = static_cast<std::int64_t>(i), t.exit_index = t.entry_index + 1;
    t.entry_price = bars[i].open, t.exit_price = bars[i + 1].open;
    t.quantity = Decimal::FromInt(10);
    t.pnl = (t.exit_price - t.entry_price).MulInt(10);
    t.fees = *Decimal::Parse("2.45");
    t.r_multiple = *Decimal::Parse("1.25");
    run.trades.push_back(t);
  }
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string text = TradesCsv(run);
    bytes += static_cast<std::int64_t>(text.size());
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(bytes);
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(run.trades.size()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Report_TradesCsv)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace wyckoff::report
