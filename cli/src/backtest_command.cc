#include <filesystem>
#include <iostream>

#include "commands.h"
#include "db_command.h"
#include "profiling.h"
#include "run_options.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

using engine::Decimal;
using engine::ErrorCode;
using engine::Fail;
using engine::Result;

int ExitCodeFor(const engine::Error& e) {
  return e.code == ErrorCode::kIo || e.code == ErrorCode::kDatabase ? kExitFailure : kExitBadInput;
}

int Report(const engine::Error& e) {
  std::cerr << "error: " << e.message << "\n";
  return ExitCodeFor(e);
}

Result<std::vector<engine::SymbolInfo>> MakeSymbols(const BacktestOptions& o) {
  if (!o.symbols.empty() && o.symbols.size() != o.data.size()) {
    return Fail(ErrorCode::kInvalidArgument, "--symbol was given " +
                                                 std::to_string(o.symbols.size()) + " times for " +
                                                 std::to_string(o.data.size()) + " --data files");
  }
  std::vector<engine::SymbolInfo> symbols;
  for (std::size_t i = 0; i < o.data.size(); ++i) {
    std::string name =
        o.symbols.empty() ? BacktestDatabase::DefaultSymbol(o.data[i]) : o.symbols[i];
    for (const auto& s : symbols) {
      if (s.name == name) {
        return Fail(ErrorCode::kInvalidArgument,
                    "symbol \"" + name + "\" is given twice; name the files with --symbol");
      }
    }
    symbols.push_back({name, false});
  }
  return symbols;
}

}  // namespace

int RunBacktest(const BacktestOptions& o) {
  auto config = MakeConfig(o);
  if (!config) return Report(config.error());
  auto symbols = MakeSymbols(o);
  if (!symbols) return Report(symbols.error());
  strategies::ParamList given, resolved;
  for (const auto& p : o.params) {
    auto kv = strategies::ParseParam(p);
    if (!kv) return Report(kv.error());
    given.push_back(*kv);
  }
  auto strategy = strategies::MakeStrategy(o.strategy, given, config->sizing, &resolved);
  if (!strategy) return Report(strategy.error());

  engine::CsvOptions csv;
  csv.on_bad_row =
      o.on_bad_row == "skip" ? engine::BadRowPolicy::kSkip : engine::BadRowPolicy::kStop;
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  BacktestDatabase database(o.db, o.db_given, o.actor);  // postgresql: sources, --db
  for (const auto& path : o.data) {
    auto source = database.OpenSource(path, csv);
    if (!source) return Report(source.error());
    sources.push_back(std::move(*source));
  }
  report::EquityCsvWriter equity;
  if (!o.out.empty()) {
    if (auto ok = equity.Open(o.out); !ok) return Report(ok.error());
  }
  auto stored_equity = database.Begin(MakeInfo(o, *config, resolved), *symbols);
  if (!stored_equity) return Report(stored_equity.error());
  TeeEquitySink sinks(o.out.empty() ? nullptr : &equity, *stored_equity);
  engine::BacktestEngine engine(*config, *symbols, **strategy);
  ScopedProfiler profiler(o.profile);
  Result<engine::RunResult> run = engine.Run(sources, sinks.Single());
  profiler.Stop();
  auto stored = database.Finish(run);  // the run's results, or FAILED with its error
  if (!run) {
    equity.Abandon();
    return Report(run.error());
  }
  if (!stored) {
    equity.Abandon();
    return Report(stored.error());
  }
  const report::RunInfo info = MakeInfo(o, *config, resolved);
  if (!o.out.empty()) {
    if (auto ok = report::WriteReport(o.out, *run, info, equity); !ok) return Report(ok.error());
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
  return kExitOk;
}

}  // namespace wyckoff::cli
