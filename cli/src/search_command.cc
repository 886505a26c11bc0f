// `wyckoff optimize` and `wyckoff walk-forward`: flags to an app::SearchRequest (the grid
// parsed once against the strategy's schema, the windows, the engine settings), the outcome
// to text.
#include "search_command.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "profiling.h"
#include "progress.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/app/cluster.h"
#include "wyckoff/app/search.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/walk_forward.h"
#include "wyckoff/report/search_report.h"
#include "wyckoff/serve/batch_metrics.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

// The grid (parsed once, against the strategy's schema) and its plan.
struct Grid {
  std::optional<engine::ParamGrid> grid;
  engine::SearchPlan plan;
};

Result<Grid> MakeGrid(const SearchCommandOptions& o, const strategies::StrategyType& type) {
  auto fixed = SplitSettings(o.run.params);
  if (!fixed) return tl::unexpected(fixed.error());
  std::vector<engine::ParamDimension> dims;
  for (const auto& spec : o.grid) {
    auto dim = engine::ParseGridSpec(spec);
    if (!dim) return tl::unexpected(dim.error());
    dims.push_back(std::move(*dim));
  }
  auto grid = engine::ParamGrid::Create(type.schema(), std::move(*fixed), std::move(dims));
  if (!grid) return tl::unexpected(grid.error());
  if (o.samples == 0 && grid->size() > engine::kMaxGridCombinations) {
    return Fail(ErrorCode::kInvalidArgument, "the grid has " + std::to_string(grid->size()) +
                                                 " combinations, more than " +
                                                 std::to_string(engine::kMaxGridCombinations) +
                                                 "; search a sample with --samples N");
  }
  auto plan = engine::PlanSearch(*grid, {o.samples, o.seed});
  if (!plan) return tl::unexpected(plan.error());
  return Grid{std::move(*grid), std::move(*plan)};
}

// The runs done, on the terminal (progress.h).
std::function<void(std::size_t, std::size_t)> ProgressBar(const char* command) {
  auto bar = TerminalProgress::Start(command);
  if (!bar) return {};
  return [bar](std::size_t done, std::size_t total) {
    bar->Update("", done, total, ProgressUnit::kRuns);
  };
}

report::SearchInfo MakeSearchInfo(const SearchCommandOptions& o, const engine::EngineConfig& c,
                                  const char* command) {
  report::SearchInfo info;
  info.command = command;
  info.strategy = o.run.strategy;
  info.data = o.run.data;
  info.settings = SettingsOf(o.run, c);
  info.objective = o.objective;
  info.min_trades = o.min_trades;
  info.samples = o.samples;
  info.seed = o.seed;
  info.train = o.train, info.test = o.test, info.step = o.step, info.anchored = o.anchored;
  info.warmup = static_cast<std::size_t>(o.warmup);
  return info;
}

Result<engine::WindowSpec> MakeWindowSpec(const SearchCommandOptions& o) {
  auto flagged = [](const char* flag, const Error& e) {
    return tl::unexpected(Error{e.code, std::string(flag) + " " + e.message});
  };
  engine::WindowSpec spec;
  auto train = engine::ParsePeriod(o.train);
  if (!train) return flagged("--train", train.error());
  auto test = engine::ParsePeriod(o.test);
  if (!test) return flagged("--test", test.error());
  spec.train = *train, spec.test = *test, spec.anchored = o.anchored,
  spec.warmup = static_cast<std::size_t>(o.warmup);
  if (!o.step.empty()) {
    auto step = engine::ParsePeriod(o.step);
    if (!step) return flagged("--step", step.error());
    spec.step = *step;
  }
  return spec;
}

// Everything both commands parse from their flags, before anything runs.
struct Prepared {
  Grid grid;
  app::SearchRequest request;
  ScopedProfiler profiler;
};

Result<void> Prepare(const SearchCommandOptions& o, const char* command, Prepared& p) {
  auto config = MakeConfig(o.run);
  if (!config) return tl::unexpected(config.error());
  if (auto ok = CheckProfilePath(o.run.profile); !ok) return tl::unexpected(ok.error());
  auto objective = engine::ParseObjective(o.objective);
  if (!objective) {
    return tl::unexpected(
        Error{objective.error().code, "--objective " + objective.error().message});
  }
  auto type = strategies::FindStrategy(o.run.strategy);
  if (!type) return tl::unexpected(type.error());
  auto grid = MakeGrid(o, **type);
  if (!grid) return tl::unexpected(grid.error());
  p.grid = std::move(*grid);
  auto data = DataRequestOf(o.run.data, o.run.symbols, o.run.on_bad_row,
                            o.run.allow_nonpositive_prices, o.run.cache);
  if (!data) return tl::unexpected(data.error());
  app::SearchRequest& r = p.request;
  r.data = std::move(*data);
  r.strategy = *type;
  r.grid = &*p.grid.grid;
  r.plan = &p.grid.plan;
  r.search = {*config, {*objective, o.min_trades}, o.jobs, ProgressBar(command)};
  r.info = MakeSearchInfo(o, *config, command);
  r.out = o.run.out;
  r.html_report = o.run.report;
  r.html_report_bars = static_cast<std::size_t>(o.run.report_bars);
  r.database = DatabaseOf(o.run);
  r.hooks = p.profiler.Hooks(o.run.profile);
  return {};
}

// Every rank of an MPI job parses the same flags and meets the same errors; an error of the
// search itself reaches rank 0 from the rank that met it. Rank 0 says them (one line) and exits
// with their code; the other ranks exit 0 silently, so that the launcher does not stop rank 0
// before it has said why. A rank that could not join the job (no MPI support on its node) says
// so itself.
int ReportSearchError(const Error& error) {
  const int rank = app::DetectLaunch().rank;
  if (rank == 0) return ReportError(error);
  if (app::JoinedCluster()) return kExitOk;
  return ReportError({error.code, "rank " + std::to_string(rank) + ": " + error.message});
}
// An error of the flags, before the search: every rank joins the job and abandons it, so that
// none waits for another that stopped here (a --profile file one node cannot write).
int ReportFlagError(const Error& error) {
  if (app::DetectLaunch().mpi) {
    if (auto joined = app::AbandonCluster(error); !joined) return ReportSearchError(joined.error());
  }
  return ReportSearchError(error);
}

// "distributed over 3 ranks (MPI), 2 threads each", after a search that an MPI launcher started.
void PrintDistribution(const app::Distribution& d, const SearchCommandOptions& o) {
  if (d.ranks == 0) return;
  const unsigned threads = o.jobs == 0 ? engine::DefaultJobs() : o.jobs;
  (o.run.json ? std::cerr : std::cout)
      << "distributed over " << d.ranks << (d.ranks == 1 ? " rank" : " ranks") << " (MPI), "
      << threads << (threads == 1 ? " thread" : " threads") << " each\n";
}

}  // namespace

int RunOptimize(const SearchCommandOptions& o) {
  Prepared p;
  if (auto ok = Prepare(o, "optimize", p); !ok) return ReportFlagError(ok.error());
  const auto start = std::chrono::steady_clock::now();
  auto outcome = app::RunOptimize(p.request);
  p.profiler.Stop();
  if (!outcome) return ReportSearchError(outcome.error());
  if (outcome->distribution.worker) return kExitOk;
  if (!o.run.metrics_file.empty()) {
    std::int64_t steps = 0;
    for (const auto& combo : outcome->result.ranked) steps += combo.metrics.steps;
    const engine::ComboResult* best = outcome->result.best();
    auto ok = serve::WriteBatchMetrics(
        o.run.metrics_file, BatchFiguresOf("optimize", start, steps,
                                           static_cast<std::int64_t>(outcome->result.ranked.size()),
                                           best != nullptr ? best->metrics.trade_count : 0));
    if (!ok) return ReportSearchError(ok.error());
  }
  const engine::ParamGrid& grid = *p.grid.grid;
  std::cout << (o.run.json
                    ? report::OptimizeSummaryJson(outcome->result, grid, p.grid.plan, outcome->info)
                    : report::OptimizeTable(outcome->result, grid, p.grid.plan, outcome->info,
                                            o.top));
  PrintDistribution(outcome->distribution, o);
  WarnSkipped(outcome->skipped);
  if (auto warning = p.profiler.ShortRunWarning(std::nullopt)) std::cerr << *warning << "\n";
  return kExitOk;
}

int RunWalkForward(const SearchCommandOptions& o) {
  auto spec = MakeWindowSpec(o);
  if (!spec) return ReportFlagError(spec.error());
  Prepared p;
  if (auto ok = Prepare(o, "walk-forward", p); !ok) return ReportFlagError(ok.error());
  p.request.windows = *spec;
  const auto start = std::chrono::steady_clock::now();
  auto outcome = app::RunWalkForward(p.request);
  p.profiler.Stop();
  if (!outcome) return ReportSearchError(outcome.error());
  if (outcome->distribution.worker) return kExitOk;
  if (!o.run.metrics_file.empty()) {
    const engine::WalkForwardResult& wf = outcome->result;
    const auto combos = static_cast<std::int64_t>(p.grid.plan.combinations.size());
    std::int64_t steps = 0;
    for (const auto& w : wf.windows) steps += w.train_steps * combos + w.test_steps;
    auto ok = serve::WriteBatchMetrics(
        o.run.metrics_file,
        BatchFiguresOf("walk-forward", start, steps,
                       static_cast<std::int64_t>(wf.windows.size()) * (combos + 1),
                       wf.metrics.trade_count));
    if (!ok) return ReportSearchError(ok.error());
  }
  const engine::ParamGrid& grid = *p.grid.grid;
  std::cout << (o.run.json
                    ? report::WalkForwardSummaryJson(outcome->result, grid, p.grid.plan,
                                                     outcome->info)
                    : report::WalkForwardTable(outcome->result, grid, p.grid.plan, outcome->info));
  if (outcome->stored) {
    (o.run.json ? std::cerr : std::cout) << "stored as run " << *outcome->stored << "\n";
  }
  PrintDistribution(outcome->distribution, o);
  WarnSkipped(outcome->skipped);
  if (auto warning = p.profiler.ShortRunWarning(std::nullopt)) std::cerr << *warning << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
