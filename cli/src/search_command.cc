// `wyckoff optimize` and `wyckoff walk-forward`: wiring the strategy registry into the engine's
// parameter search, loading the bars once, printing and writing the results.
#include "search_command.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "profiling.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/report/search_report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

using engine::ErrorCode;
using engine::Fail;
using engine::ParamList;
using engine::Result;

// Everything a search needs, validated, before any backtest runs.
struct Prepared {
  std::optional<engine::ParamGrid> grid;
  engine::SearchPlan plan;
  engine::StrategyFactory factory;
  engine::SearchOptions search;
  engine::MarketData data;
  report::SearchInfo info;
  std::int64_t skipped_rows = 0;
  std::string first_skip;
};

// The registry as a factory: every combination through MakeStrategy, names checked against
// the strategy's own parameter list (its error message for unknown names).
Result<engine::StrategyFactory> MakeFactory(const std::string& strategy,
                                            const engine::Sizing& sizing) {
  ParamList known;
  auto probe = strategies::MakeStrategy(strategy, {}, sizing, &known);
  if (!probe) return tl::unexpected(probe.error());
  engine::StrategyFactory f;
  f.make = [strategy, sizing](const ParamList& params, const void*) {
    return strategies::MakeStrategy(strategy, params, sizing, nullptr);
  };
  f.check_name = [strategy, sizing, known](const std::string& name) -> Result<void> {
    for (const auto& p : known) {
      if (p.first == name) return {};
    }
    auto made = strategies::MakeStrategy(strategy, {{name, ""}}, sizing, nullptr);
    if (!made) return tl::unexpected(made.error());
    return {};
  };
  return f;
}

Result<engine::ParamGrid> MakeGrid(const SearchCommandOptions& o) {
  ParamList fixed;
  for (const auto& p : o.run.params) {
    auto kv = strategies::ParseParam(p);
    if (!kv) return tl::unexpected(kv.error());
    fixed.push_back(*kv);
  }
  std::vector<engine::ParamDimension> dims;
  for (const auto& spec : o.grid) {
    auto dim = engine::ParseGridSpec(spec);
    if (!dim) return tl::unexpected(dim.error());
    dims.push_back(std::move(*dim));
  }
  return engine::ParamGrid::Create(std::move(fixed), std::move(dims));
}

// Reads every --data file into memory once; the runs replay these bars.
Result<void> LoadBars(const SearchCommandOptions& o, Prepared& p) {
  auto opened = OpenSources(o.run.data, o.run.symbols, o.run.on_bad_row);
  if (!opened) return tl::unexpected(opened.error());
  for (std::size_t s = 0; s < opened->sources.size(); ++s) {
    engine::BarSource& source = *opened->sources[s];
    auto bars = engine::ReadAll(source);
    if (!bars) return tl::unexpected(bars.error());
    engine::SymbolInfo symbol = opened->symbols[s];
    symbol.intraday = source.intraday();
    p.info.bars += static_cast<std::int64_t>(bars->size());
    p.skipped_rows += source.skipped_rows();
    if (p.first_skip.empty()) p.first_skip = source.first_skip_reason();
    p.data.symbols.push_back(symbol);
    p.data.bars.push_back(std::move(*bars));
  }
  return {};
}

// A progress bar on stderr, when stderr is a terminal.
std::function<void(std::size_t, std::size_t)> ProgressBar(const char* command) {
  if (isatty(STDERR_FILENO) == 0) return {};
  return [command, shown = std::size_t{1000}](std::size_t done, std::size_t total) mutable {
    const std::size_t permille = total == 0 ? 1000 : done * 1000 / total;
    if (permille == shown && done != total) return;
    shown = permille;
    const std::size_t filled = permille * 30 / 1000;
    std::cerr << "\r" << command << " [" << std::string(filled, '#')
              << std::string(30 - filled, ' ') << "] " << done << "/" << total << " runs"
              << (done == total ? "\r\033[K" : "") << std::flush;
  };
}

report::SearchInfo MakeSearchInfo(const SearchCommandOptions& o, const engine::EngineConfig& c,
                                  const char* command) {
  report::RunInfo run = MakeInfo(o.run, c, {});
  report::SearchInfo info;
  info.command = command;
  info.strategy = o.run.strategy;
  info.data = o.run.data;
  info.settings = run.settings;
  info.objective = o.objective;
  info.min_trades = o.min_trades;
  info.samples = o.samples;
  info.seed = o.seed;
  info.train = o.train, info.test = o.test, info.step = o.step, info.anchored = o.anchored;
  return info;
}

Result<Prepared> Prepare(const SearchCommandOptions& o, const char* command) {
  Prepared p;
  auto config = MakeConfig(o.run);
  if (!config) return tl::unexpected(config.error());
  auto objective = engine::ParseObjective(o.objective);
  if (!objective) return tl::unexpected(objective.error());
  auto grid = MakeGrid(o);
  if (!grid) return tl::unexpected(grid.error());
  p.grid = std::move(*grid);
  auto factory = MakeFactory(o.run.strategy, config->sizing);
  if (!factory) return tl::unexpected(factory.error());
  p.factory = std::move(*factory);
  auto plan = engine::PlanSearch(*p.grid, {o.samples, o.seed}, p.factory);
  if (!plan) return tl::unexpected(plan.error());
  p.plan = std::move(*plan);
  p.search = {*config, {*objective, o.min_trades}, o.jobs, ProgressBar(command)};
  p.info = MakeSearchInfo(o, *config, command);
  if (auto ok = LoadBars(o, p); !ok) return tl::unexpected(ok.error());
  return p;
}

void WarnSkipped(const Prepared& p) {
  if (p.skipped_rows == 0) return;
  std::cerr << "warning: skipped " << p.skipped_rows << " bad rows (first: " << p.first_skip
            << ")\n";
}

Result<engine::WindowSpec> MakeWindowSpec(const SearchCommandOptions& o) {
  engine::WindowSpec spec;
  auto train = engine::ParsePeriod("--train", o.train);
  if (!train) return tl::unexpected(train.error());
  auto test = engine::ParsePeriod("--test", o.test);
  if (!test) return tl::unexpected(test.error());
  spec.train = *train, spec.test = *test, spec.anchored = o.anchored;
  if (!o.step.empty()) {
    auto step = engine::ParsePeriod("--step", o.step);
    if (!step) return tl::unexpected(step.error());
    spec.step = *step;
  }
  return spec;
}

}  // namespace

int RunOptimize(const SearchCommandOptions& o) {
  auto p = Prepare(o, "optimize");
  if (!p) return ReportError(p.error());
  ScopedProfiler profiler(o.run.profile);
  auto result = engine::RunSearch(p->data.All(), *p->grid, p->plan, p->factory, p->search);
  profiler.Stop();
  if (!result) return ReportError(result.error());
  if (!o.run.out.empty()) {
    auto ok = report::WriteOptimizeReport(o.run.out, *result, *p->grid, p->plan, p->info);
    if (!ok) return ReportError(ok.error());
  }
  std::cout << (o.run.json ? report::OptimizeSummaryJson(*result, *p->grid, p->plan, p->info)
                           : report::OptimizeTable(*result, *p->grid, p->plan, p->info, o.top));
  WarnSkipped(*p);
  return kExitOk;
}

int RunWalkForward(const SearchCommandOptions& o) {
  // TODO(walk-forward --db): persist the run and its windows (walk_forward_windows) once the
  // db module's run store can write them and the CLI links wyckoff::db.
  if (!o.db.empty()) {
    return ReportError({ErrorCode::kInvalidArgument,
                        "--db is not available for walk-forward yet; use --out for the files"});
  }
  auto spec = MakeWindowSpec(o);
  if (!spec) return ReportError(spec.error());
  auto p = Prepare(o, "walk-forward");
  if (!p) return ReportError(p.error());
  ScopedProfiler profiler(o.run.profile);
  auto wf = engine::RunWalkForward(p->data, *spec, *p->grid, p->plan, p->factory, p->search);
  profiler.Stop();
  if (!wf) return ReportError(wf.error());
  if (!o.run.out.empty()) {
    auto ok = report::WriteWalkForwardReport(o.run.out, *wf, *p->grid, p->plan, p->info);
    if (!ok) return ReportError(ok.error());
  }
  std::cout << (o.run.json ? report::WalkForwardSummaryJson(*wf, *p->grid, p->plan, p->info)
                           : report::WalkForwardTable(*wf, *p->grid, p->plan, p->info));
  WarnSkipped(*p);
  return kExitOk;
}

}  // namespace wyckoff::cli
