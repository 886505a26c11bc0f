// `wyckoff backtest`: flags to an app::BacktestRequest, its outcome to text.
#include <chrono>
#include <iostream>

#include "commands.h"
#include "profiling.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/app/backtest.h"
#include "wyckoff/report/report.h"
#include "wyckoff/serve/batch_metrics.h"

namespace wyckoff::cli {

int RunBacktest(const BacktestOptions& o) {
  auto config = MakeConfig(o);
  if (!config) return ReportError(config.error());
  if (auto ok = CheckProfilePath(o.profile); !ok) return ReportError(ok.error());
  auto strategy = StrategyOf(o.strategy, o.params);
  if (!strategy) return ReportError(strategy.error());
  auto data = DataRequestOf(o.data, o.symbols, o.on_bad_row, o.allow_nonpositive_prices, o.cache);
  if (!data) return ReportError(data.error());
  ScopedProfiler profiler;
  app::BacktestRequest request{.data = std::move(*data),
                               .strategy = strategy->type,
                               .params = std::move(strategy->params),
                               .config = *config,
                               .settings = SettingsOf(o, *config),
                               .out = "",
                               .html_report = "",
                               .html_report_bars = static_cast<std::size_t>(o.report_bars),
                               .database = DatabaseOf(o),
                               .hooks = profiler.Hooks(o.profile, /*stop_after=*/false)};
  // --repeat N: the first N - 1 runs only repeat the work (no files, nothing stored).
  request.database.store = false;
  for (long long i = 1; i < o.repeat; ++i) {
    if (auto run = app::RunBacktest(request); !run) return ReportError(run.error());
  }
  request.out = o.out;
  request.html_report = o.report;
  request.database.store = o.db_given;
  const auto start = std::chrono::steady_clock::now();
  auto outcome = app::RunBacktest(request);
  profiler.Stop();
  if (!outcome) return ReportError(outcome.error());
  if (!o.metrics_file.empty()) {
    const engine::RunResult& r = outcome->run;
    auto ok = serve::WriteBatchMetrics(
        o.metrics_file, BatchFiguresOf("backtest", start, r.bars, 1, r.metrics.trade_count));
    if (!ok) return ReportError(ok.error());
  }
  const engine::RunResult& run = outcome->run;
  std::cout << (o.json ? report::SummaryJson(run, outcome->info)
                       : report::SummaryTable(run, outcome->info));
  if (outcome->stored)
    (o.json ? std::cerr : std::cout) << "stored as run " << *outcome->stored << "\n";
  WarnSkipped(outcome->skipped);
  for (const std::string& note : outcome->notes) std::cerr << "note: " << note << "\n";
  if (auto warning = profiler.ShortRunWarning(o.repeat)) std::cerr << *warning << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
