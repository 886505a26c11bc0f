#include "wyckoff/app/search.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "search_page.h"
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

// Renames the page (written and closed before the folder's files) into place.
Result<void> CommitPage(std::optional<report::OutputFile>& page) {
  return page ? page->Commit() : Result<void>{};
}

}  // namespace

Result<OptimizeOutcome> RunOptimize(const SearchRequest& r) {
  Database database(r.database);
  auto loaded = Load(r, database);
  if (!loaded) return tl::unexpected(loaded.error());
  const engine::StrategyFactory factory = strategies::FactoryOf(*r.strategy);
  if (r.hooks.before) r.hooks.before();
  auto result = engine::RunSearch(loaded->data.All(), *r.grid, *r.plan, factory, r.search);
  if (r.hooks.after) r.hooks.after();
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
  return OptimizeOutcome{std::move(*result), std::move(loaded->info), std::move(loaded->skipped)};
}

Result<WalkForwardOutcome> RunWalkForward(const SearchRequest& r) {
  Database database(r.database);
  auto loaded = Load(r, database);
  if (!loaded) return tl::unexpected(loaded.error());
  std::unique_ptr<RunRecorder> recorder;
  if (r.database.store) {
    auto started = RunRecorder::Start(database, WalkForwardSpec(r, *loaded));
    if (!started) return tl::unexpected(started.error());
    recorder = std::move(*started);
  }
  const engine::StrategyFactory factory = strategies::FactoryOf(*r.strategy);
  if (r.hooks.before) r.hooks.before();
  auto wf = engine::RunWalkForward(loaded->data, r.windows, *r.grid, *r.plan, factory, r.search);
  if (r.hooks.after) r.hooks.after();
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
  return out;
}

}  // namespace wyckoff::app
