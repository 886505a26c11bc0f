// `wyckoff optimize` and `wyckoff walk-forward`: wiring the strategy registry into the engine's
// parameter search, loading the bars once, printing and writing the results.
#include "search_command.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "db_command.h"
#include "profiling.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/db/walk_forward_store.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/report/search_report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

using engine::ParamList;

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

// The registry's strategy type as a factory.
Result<engine::StrategyFactory> MakeFactory(const std::string& strategy,
                                            const engine::Sizing& sizing) {
  Result<const strategies::StrategyType*> type = strategies::FindStrategy(strategy);
  if (!type) return tl::unexpected(type.error());
  if (auto ok = strategies::CheckSizing(**type, sizing); !ok) return tl::unexpected(ok.error());
  return strategies::FactoryOf(**type);
}

Result<engine::ParamGrid> MakeGrid(const SearchCommandOptions& o) {
  Result<const strategies::StrategyType*> type = strategies::FindStrategy(o.run.strategy);
  if (!type) return tl::unexpected(type.error());
  auto fixed = SplitSettings(o.run.params);
  if (!fixed) return tl::unexpected(fixed.error());
  std::vector<engine::ParamDimension> dims;
  for (const auto& spec : o.grid) {
    auto dim = engine::ParseGridSpec(spec);
    if (!dim) return tl::unexpected(dim.error());
    dims.push_back(std::move(*dim));
  }
  return engine::ParamGrid::Create((*type)->schema(), std::move(*fixed), std::move(dims));
}

// Reads every --data source (CSV files, or stored bars: postgresql:SYMBOL:TIMEFRAME from --db)
// into memory once; the runs replay these bars.
Result<void> LoadBars(const SearchCommandOptions& o, Prepared& p) {
  BacktestDatabase stored_bars(o.run.db, /*persist=*/false, o.run.actor);
  auto opened =
      OpenSources(o.run.data, o.run.symbols,
                  CsvOptionsOf(o.run.on_bad_row, o.run.allow_nonpositive_prices), &stored_bars);
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
  info.warmup = static_cast<std::size_t>(o.warmup);
  return info;
}

Result<Prepared> Prepare(const SearchCommandOptions& o, const char* command) {
  Prepared p;
  auto config = MakeConfig(o.run);
  if (!config) return tl::unexpected(config.error());
  if (auto ok = CheckProfilePath(o.run.profile); !ok) return tl::unexpected(ok.error());
  auto objective = engine::ParseObjective(o.objective);
  if (!objective) return tl::unexpected(objective.error());
  auto grid = MakeGrid(o);
  if (!grid) return tl::unexpected(grid.error());
  p.grid = std::move(*grid);
  auto factory = MakeFactory(o.run.strategy, config->sizing);
  if (!factory) return tl::unexpected(factory.error());
  p.factory = std::move(*factory);
  auto plan = engine::PlanSearch(*p.grid, {o.samples, o.seed});
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
  spec.train = *train, spec.test = *test, spec.anchored = o.anchored,
  spec.warmup = static_cast<std::size_t>(o.warmup);
  if (!o.step.empty()) {
    auto step = engine::ParsePeriod("--step", o.step);
    if (!step) return tl::unexpected(step.error());
    spec.step = *step;
  }
  return spec;
}

// `walk-forward --db`: the run recorded as RUNNING before the windows run, then completed
// with its windows, or marked FAILED.
class WalkForwardDatabase {
 public:
  explicit WalkForwardDatabase(const SearchCommandOptions& o) : o_(o) {}

  // Connects, marks abandoned runs FAILED and records this run as RUNNING.
  Result<void> Begin(const Prepared& p) {
    auto conn = db::Connect(o_.run.db);
    if (!conn) return tl::unexpected(conn.error());
    conn_.emplace(std::move(*conn));
    auto abandoned = db::FailAbandonedRuns(*conn_, o_.run.actor);
    if (!abandoned) return tl::unexpected(abandoned.error());
    db::RunWriterOptions options;  // built field by field: g++ 12 warns on the designated form
    options.reconnect_url = o_.run.db;
    options.actor = o_.run.actor;
    auto writer = db::RunWriter::Start(*conn_, Spec(p), options);
    if (!writer) return tl::unexpected(writer.error());
    writer_ = std::move(*writer);
    return {};
  }

  // Stores `wf` (COMPLETED) and returns the run's id, or marks the run FAILED with the
  // walk-forward's or the store's error and returns that error.
  Result<std::int64_t> Finish(const Result<engine::WalkForwardResult>& wf,
                              const engine::ParamGrid& grid) {
    Result<void> stored = wf ? db::CompleteWalkForward(*writer_, *wf, grid)
                             : Result<void>(tl::unexpected(wf.error()));
    if (stored) return writer_->run_id();
    auto failed = writer_->Fail(stored.error().message);
    if (!failed) std::cerr << "warning: " << failed.error().message << "\n";
    return tl::unexpected(stored.error());
  }

 private:
  // kind walk-forward; parameters: {"fixed": {...}, "grid": {name: [values]}}; settings: the
  // engine settings, then the search's (objective, windows, sampling).
  db::RunSpec Spec(const Prepared& p) const {
    db::RunSpec spec{.kind = "walk-forward", .strategy = o_.run.strategy, .actor = o_.run.actor};
    bool intraday = false;
    for (const auto& s : p.data.symbols) {
      spec.symbols.push_back(s.name);
      intraday = intraday || s.intraday;
    }
    spec.timeframe = intraday ? "intraday" : "1d";
    for (const auto& d : o_.run.data) spec.data_source += (spec.data_source.empty() ? "" : " ") + d;
    nlohmann::ordered_json params;
    params["fixed"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : p.grid->fixed()) params["fixed"][name] = value;
    params["grid"] = nlohmann::ordered_json::object();
    for (const auto& d : p.grid->dimensions()) params["grid"][d.name] = d.values;
    spec.parameters_json = params.dump();
    nlohmann::ordered_json settings = nlohmann::ordered_json::object();
    for (const auto& [name, value] : p.info.settings) settings[name] = value;
    settings["objective"] = o_.objective;
    settings["min_trades"] = o_.min_trades;
    settings["train"] = o_.train;
    settings["test"] = o_.test;
    settings["step"] = o_.step.empty() ? o_.test : o_.step;
    settings["anchored"] = o_.anchored;
    settings["warmup"] = o_.warmup;
    settings["samples"] = o_.samples;
    settings["seed"] = o_.seed;
    spec.settings_json = settings.dump();
    return spec;
  }

  const SearchCommandOptions& o_;
  std::optional<db::Connection> conn_;
  std::unique_ptr<db::RunWriter> writer_;
};

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
  auto spec = MakeWindowSpec(o);
  if (!spec) return ReportError(spec.error());
  auto p = Prepare(o, "walk-forward");
  if (!p) return ReportError(p.error());
  std::optional<WalkForwardDatabase> database;
  if (o.run.db_given) {
    database.emplace(o);
    if (auto ok = database->Begin(*p); !ok) return ReportError(ok.error());
  }
  ScopedProfiler profiler(o.run.profile);
  auto wf = engine::RunWalkForward(p->data, *spec, *p->grid, p->plan, p->factory, p->search);
  profiler.Stop();
  std::optional<std::int64_t> stored;
  if (database) {
    auto id = database->Finish(wf, *p->grid);  // COMPLETED, or FAILED with the error
    if (!id) return ReportError(id.error());
    stored = *id;
  }
  if (!wf) return ReportError(wf.error());
  if (!o.run.out.empty()) {
    auto ok = report::WriteWalkForwardReport(o.run.out, *wf, *p->grid, p->plan, p->info);
    if (!ok) return ReportError(ok.error());
  }
  std::cout << (o.run.json ? report::WalkForwardSummaryJson(*wf, *p->grid, p->plan, p->info)
                           : report::WalkForwardTable(*wf, *p->grid, p->plan, p->info));
  if (stored) (o.run.json ? std::cerr : std::cout) << "stored as run " << *stored << "\n";
  WarnSkipped(*p);
  return kExitOk;
}

}  // namespace wyckoff::cli
