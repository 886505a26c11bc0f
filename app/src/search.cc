#include "wyckoff/app/search.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "distributed.h"
#include "search_page.h"
#include "wyckoff/app/cluster.h"
#include "wyckoff/app/recorder.h"

namespace wyckoff::app {
namespace {

struct Loaded {
  engine::MarketData data;
  std::vector<std::string> timeframes;
  report::SearchInfo info;
  Skipped skipped;
};

Result<Loaded> Load(const SearchRequest& r, Database& database) {
  if (auto ok = strategies::CheckSizing(*r.strategy, r.search.config.sizing); !ok) {
    return tl::unexpected(ok.error());
  }
  auto opened = OpenData(r.data, database);
  if (!opened) return tl::unexpected(opened.error());
  Loaded out;
  auto data = LoadMarketData(*opened, out.skipped);
  if (!data) return tl::unexpected(data.error());
  out.data = std::move(*data);
  out.timeframes = opened->timeframes;
  out.info = r.info;
  for (const auto& bars : out.data.bars) out.info.bars += static_cast<std::int64_t>(bars.size());
  return out;
}

// kind walk-forward; parameters: {"fixed": {...}, "grid": {name: [values]}}; settings: the
// engine settings, then the search's (objective, windows, sampling).
db::RunSpec WalkForwardSpec(const SearchRequest& r, const Loaded& loaded) {
  db::RunSpec spec{
      .kind = "walk-forward", .strategy = std::string(r.strategy->name), .actor = r.database.actor};
  for (const auto& s : loaded.data.symbols) spec.symbols.push_back(s.name);
  bool intraday = false;
  for (const auto& s : loaded.data.symbols) intraday = intraday || s.intraday;
  spec.timeframe = intraday ? "intraday" : "1d";
  for (const auto& d : r.data.data)
    spec.data_source += (spec.data_source.empty() ? "" : " ") + d.text;
  nlohmann::ordered_json params;
  params["fixed"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : r.grid->fixed()) params["fixed"][name] = value;
  params["grid"] = nlohmann::ordered_json::object();
  for (const auto& d : r.grid->dimensions()) params["grid"][d.name] = d.values;
  spec.parameters_json = params.dump();
  const report::SearchInfo& i = r.info;
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const auto& [name, value] : i.settings) settings[name] = value;
  settings["objective"] = i.objective;
  settings["min_trades"] = i.min_trades;
  settings["train"] = i.train;
  settings["test"] = i.test;
  settings["step"] = i.step.empty() ? i.test : i.step;
  settings["anchored"] = i.anchored;
  settings["warmup"] = i.warmup;
  settings["samples"] = i.samples;
  settings["seed"] = i.seed;
  spec.settings_json = settings.dump();
  return spec;
}

// Joins the MPI job when started by a launcher, then loads the data (on every rank). A rank
// whose data does not load tells the others (Cluster::Abandon).
struct Joined {
  std::unique_ptr<Cluster> cluster;  // nullptr: one process
  Loaded loaded;
  bool worker() const { return cluster && cluster->rank() != 0; }
  Distribution distribution() const { return {cluster ? cluster->size() : 0, worker()}; }
};

Result<Joined> JoinAndLoad(const SearchRequest& r, Database& database) {
  auto cluster = JoinCluster();
  if (!cluster) return tl::unexpected(cluster.error());
  auto loaded = Load(r, database);
  if (!loaded) {
    if (*cluster) {
      (*cluster)->Abandon(loaded.error());
      (*cluster)->Finish();
    }
    return tl::unexpected(loaded.error());
  }
  return Joined{std::move(*cluster), std::move(*loaded)};
}

// Rank 0's search options: the training runs spread over the cluster.
engine::SearchOptions SearchOptionsOf(const SearchRequest& r, Cluster* cluster) {
  engine::SearchOptions options = r.search;
  if (cluster != nullptr) options.run_all = Distribute(*cluster, r.search);
  return options;
}

// Rank 0, after the search: when it ended before handing out work (windows that do not fit
// the data), the other ranks are told to stop (Abandon does nothing after Coordinate).
template <typename T>
void Release(Cluster& cluster, const Result<T>& result) {
  if (!result) cluster.Abandon(result.error());
  cluster.Finish();
}

// A rank other than 0 that could not build the runs still answers rank 0.
template <typename Outcome>
Result<Outcome> Serve(Cluster& cluster, Result<engine::TrainingRuns> runs, unsigned jobs) {
  if (!runs) {
    cluster.Abandon(runs.error());
    cluster.Finish();
    return tl::unexpected(runs.error());
  }
  if (auto ok = ServeRuns(cluster, *runs, jobs); !ok) return tl::unexpected(ok.error());
  Outcome out;
  out.distribution = {cluster.size(), true};
  return out;
}

// Renames the page (written and closed before the folder's files) into place.
Result<void> CommitPage(std::optional<report::OutputFile>& page) {
  return page ? page->Commit() : Result<void>{};
}

}  // namespace

Result<OptimizeOutcome> RunOptimize(const SearchRequest& r) {
  Database database(r.database);
  auto joined = JoinAndLoad(r, database);
  if (!joined) return tl::unexpected(joined.error());
  Loaded* loaded = &joined->loaded;
  const engine::StrategyFactory factory = strategies::FactoryOf(*r.strategy);
  if (joined->worker()) {
    return Serve<OptimizeOutcome>(
        *joined->cluster,
        engine::SearchTraining(loaded->data.All(), *r.grid, *r.plan, factory, r.search),
        r.search.jobs);
  }
  const engine::SearchOptions options = SearchOptionsOf(r, joined->cluster.get());
  if (r.hooks.before) r.hooks.before();
  auto result = engine::RunSearch(loaded->data.All(), *r.grid, *r.plan, factory, options);
  if (r.hooks.after) r.hooks.after();
  if (joined->cluster) Release(*joined->cluster, result);
  if (!result) return tl::unexpected(result.error());
  std::optional<report::OutputFile> page;
  if (!r.html_report.empty()) {
    auto written = WriteOptimizePage(r, loaded->data, *result, loaded->info);
    if (!written) return tl::unexpected(written.error());
    page.emplace(std::move(*written));
  }
  if (!r.out.empty()) {
    auto ok = report::WriteOptimizeReport(r.out, *result, *r.grid, *r.plan, loaded->info);
    if (!ok) return tl::unexpected(ok.error());
  }
  if (auto ok = CommitPage(page); !ok) return tl::unexpected(ok.error());
  return OptimizeOutcome{std::move(*result), std::move(loaded->info), std::move(loaded->skipped),
                         joined->distribution()};
}

Result<WalkForwardOutcome> RunWalkForward(const SearchRequest& r) {
  Database database(r.database);
  auto joined = JoinAndLoad(r, database);
  if (!joined) return tl::unexpected(joined.error());
  Loaded* loaded = &joined->loaded;
  const engine::StrategyFactory factory = strategies::FactoryOf(*r.strategy);
  if (joined->worker()) {
    return Serve<WalkForwardOutcome>(
        *joined->cluster,
        engine::WalkForwardTraining(loaded->data, r.windows, *r.grid, *r.plan, factory, r.search),
        r.search.jobs);
  }
  Cluster* cluster = joined->cluster.get();
  // One process records the run as it starts (RUNNING, then COMPLETED or FAILED). Distributed,
  // only rank 0 records it, and only once the ranks' results are all in: a job stopped because
  // a rank died leaves no run behind. The connection is checked before the work starts.
  std::unique_ptr<RunRecorder> recorder;
  auto start_recording = [&]() -> Result<void> {
    auto started = RunRecorder::Start(database, WalkForwardSpec(r, *loaded));
    if (!started) return tl::unexpected(started.error());
    recorder = std::move(*started);
    return {};
  };
  if (r.database.store) {
    auto ok = cluster != nullptr ? database.Session().map([](auto*) {}) : start_recording();
    if (!ok) {
      if (cluster != nullptr) cluster->Abandon(ok.error()), cluster->Finish();
      return tl::unexpected(ok.error());
    }
  }
  const engine::SearchOptions options = SearchOptionsOf(r, cluster);
  if (r.hooks.before) r.hooks.before();
  auto wf = engine::RunWalkForward(loaded->data, r.windows, *r.grid, *r.plan, factory, options);
  if (r.hooks.after) r.hooks.after();
  if (cluster != nullptr) Release(*cluster, wf);
  if (r.database.store && cluster != nullptr) {
    if (auto ok = start_recording(); !ok) return tl::unexpected(ok.error());
  }
  WalkForwardOutcome out;
  if (recorder) {
    const Result<void> status = wf ? Result<void>{} : tl::unexpected(wf.error());
    auto id = recorder->Finish(
        status, [&](RunStore& store) { return store.CompleteWalkForward(*wf, *r.grid); });
    if (!id) return tl::unexpected(id.error());
    out.stored = *id;
  }
  if (!wf) return tl::unexpected(wf.error());
  std::optional<report::OutputFile> page;
  if (!r.html_report.empty()) {
    auto written = WriteWalkForwardPage(r, loaded->data, *wf, loaded->info);
    if (!written) return tl::unexpected(written.error());
    page.emplace(std::move(*written));
  }
  if (!r.out.empty()) {
    auto ok = report::WriteWalkForwardReport(r.out, *wf, *r.grid, *r.plan, loaded->info);
    if (!ok) return tl::unexpected(ok.error());
  }
  if (auto ok = CommitPage(page); !ok) return tl::unexpected(ok.error());
  out.result = std::move(*wf);
  out.info = std::move(loaded->info);
  out.skipped = std::move(loaded->skipped);
  out.distribution = joined->distribution();
  return out;
}

}  // namespace wyckoff::app
