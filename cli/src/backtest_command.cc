#include <iostream>

#include "commands.h"
#include "db_command.h"
#include "profiling.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {

int RunBacktest(const BacktestOptions& o) {
  auto config = MakeConfig(o);
  if (!config) return ReportError(config.error());
  if (auto ok = CheckProfilePath(o.profile); !ok) return ReportError(ok.error());
  auto given = SplitSettings(o.params);
  if (!given) return ReportError(given.error());
  strategies::ParamList resolved;
  auto strategy = strategies::MakeStrategy(o.strategy, *given, config->sizing, &resolved);
  if (!strategy) return ReportError(strategy.error());

  BacktestDatabase database(o.db, o.db_given, o.actor);  // postgresql: sources, --db
  auto opened = OpenSources(o.data, o.symbols,
                            CsvOptionsOf(o.on_bad_row, o.allow_nonpositive_prices), &database);
  if (!opened) return ReportError(opened.error());
  const std::vector<engine::SymbolInfo>& symbols = opened->symbols;
  std::vector<std::unique_ptr<engine::BarSource>>& sources = opened->sources;
  report::EquityCsvWriter equity;
  if (!o.out.empty()) {
    if (auto ok = equity.Open(o.out); !ok) return ReportError(ok.error());
  }
  auto stored_equity = database.Begin(MakeInfo(o, *config, resolved), symbols);
  if (!stored_equity) return ReportError(stored_equity.error());
  TeeEquitySink sinks(o.out.empty() ? nullptr : &equity, *stored_equity);
  engine::BacktestEngine engine(*config, symbols, **strategy);
  ScopedProfiler profiler(o.profile);
  Result<engine::RunResult> run = engine.Run(sources, sinks.Single());
  profiler.Stop();
  auto stored = database.Finish(run);  // the run's results, or FAILED with its error
  if (!run) {
    equity.Abandon();
    return ReportError(run.error());
  }
  if (!stored) {
    equity.Abandon();
    return ReportError(stored.error());
  }
  const report::RunInfo info = MakeInfo(o, *config, resolved);
  if (!o.out.empty()) {
    if (auto ok = report::WriteReport(o.out, *run, info, equity); !ok)
      return ReportError(ok.error());
  }
  std::cout << (o.json ? report::SummaryJson(*run, info) : report::SummaryTable(*run, info));
  if (*stored) (o.json ? std::cerr : std::cout) << "stored as run " << **stored << "\n";
  if (run->skipped_rows > 0) {
    std::string first;
    for (const auto& s : sources) {
      if (first.empty()) first = s->first_skip_reason();
    }
    std::cerr << "warning: skipped " << run->skipped_rows << " bad rows (first: " << first << ")\n";
  }
  for (const engine::RunEvent& e : run->events) {
    if (e.type != "NOTE") continue;
    for (const auto& [name, value] : e.details) {
      if (name == "reason")
        std::cerr << "note: " << symbols[e.symbol].name << ": " << value << "\n";
    }
  }
  return kExitOk;
}

}  // namespace wyckoff::cli
