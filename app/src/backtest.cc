#include "wyckoff/app/backtest.h"

#include <initializer_list>
#include <optional>

#include "wyckoff/app/recorder.h"

namespace wyckoff::app {
namespace {

// Forwards the equity curve to every sink given (null ones are left out).
class FanOutEquitySink final : public engine::EquitySink {
 public:
  explicit FanOutEquitySink(std::initializer_list<engine::EquitySink*> sinks) {
    for (engine::EquitySink* s : sinks) {
      if (s != nullptr) sinks_.push_back(s);
    }
  }
  void OnStart(bool intraday) override {
    for (engine::EquitySink* s : sinks_) s->OnStart(intraday);
  }
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override {
    for (engine::EquitySink* s : sinks_) s->OnEquity(time, cash, equity);
  }
  // The sink to give the engine: this one when several are set, else the one that is, else
  // null (no equity work per bar).
  engine::EquitySink* Single() {
    if (sinks_.size() > 1) return this;
    return sinks_.empty() ? nullptr : sinks_.front();
  }

 private:
  std::vector<engine::EquitySink*> sinks_;
};

// The records of a run that nothing keeps (no files, database or page): the engine counts
// them, and they go, so that memory stays flat however often the strategy trades.
class DiscardRecords final : public engine::RecordSink {
 public:
  void OnFill(const engine::Fill&) override {}
  void OnTrade(const engine::Trade&) override {}
  void OnOrder(const engine::Order&) override {}
};

// What the HTML report keeps while the run goes: the bars (its taps replace the sources) and
// the equity curve.
struct PageCollector {
  PageCollector(const BacktestRequest& r, OpenedData& opened)
      : page("backtest", opened.symbols, r.html_report_bars), equity(page.equity) {
    report::TapSources(page, opened.sources);
  }
  report::HtmlReport page;
  report::EquityTap equity;
};

// Writes the page of `run` (closed, not yet committed).
Result<report::OutputFile> WritePage(const std::string& path, report::HtmlReport& page,
                                     const engine::RunResult& run, const report::RunInfo& info) {
  page.events = run.events;
  page.trades = report::ChartTradesOf(run);
  page.summary_json = report::SummaryJson(run, info);
  page.charted_run_digest = run.digest;
  return report::WriteHtmlReport(path, page);
}

db::RunSpec SpecOf(const BacktestRequest& r, const report::RunInfo& info,
                   const OpenedData& opened) {
  db::RunSpec spec{.strategy = info.strategy, .actor = r.database.actor};
  for (const auto& s : opened.symbols) spec.symbols.push_back(s.name);
  spec.timeframe = JoinTimeframes(opened.timeframes);
  for (const auto& d : r.data.data)
    spec.data_source += (spec.data_source.empty() ? "" : " ") + d.text;
  spec.parameters_json = JsonObject(info.params);
  spec.settings_json = JsonObject(info.settings);
  return spec;
}

std::vector<std::string> NotesOf(const engine::RunResult& run) {
  std::vector<std::string> notes;
  for (const engine::RunEvent& e : run.events) {
    if (e.type != "NOTE") continue;
    if (const engine::DetailValue* reason = e.Find("reason")) {
      notes.push_back(run.symbols[e.symbol].name + ": " + reason->Text());
    }
  }
  return notes;
}

}  // namespace

Result<BacktestOutcome> RunBacktest(const BacktestRequest& r) {
  if (auto ok = strategies::CheckSizing(*r.strategy, r.config.sizing); !ok) {
    return tl::unexpected(ok.error());
  }
  BacktestOutcome out;
  out.info = {.command = "backtest",
              .strategy = std::string(r.strategy->name),
              .params = r.params.List(),
              .data = {},
              .settings = r.settings};
  for (const DataRef& d : r.data.data) out.info.data.push_back(d.text);
  Database database(r.database);
  auto opened = OpenData(r.data, database);
  if (!opened) return tl::unexpected(opened.error());
  report::EquityCsvWriter equity;
  // With files and no database the records stream to them: memory stays flat in the bars
  // however often the strategy trades. The database stores them at the end, and the HTML
  // page charts them (it holds the bars anyway), so either keeps them.
  // Without any of them they are dropped as they come.
  report::RecordCsvWriter records;
  DiscardRecords discard;
  const bool keep = r.database.store || !r.html_report.empty();
  const bool stream = !keep && !r.out.empty();
  engine::RecordSink* record_sink = nullptr;
  if (!keep) record_sink = stream ? static_cast<engine::RecordSink*>(&records) : &discard;
  if (!r.out.empty()) {
    if (auto ok = equity.Open(r.out); !ok) return tl::unexpected(ok.error());
  }
  if (stream) {
    if (auto ok = records.Open(r.out); !ok) return tl::unexpected(ok.error());
  }
  std::unique_ptr<RunRecorder> recorder;
  if (r.database.store) {
    auto started = RunRecorder::Start(database, SpecOf(r, out.info, *opened));
    if (!started) return tl::unexpected(started.error());
    recorder = std::move(*started);
  }
  std::optional<PageCollector> page;
  if (!r.html_report.empty()) page.emplace(r, *opened);
  FanOutEquitySink sinks({r.out.empty() ? nullptr : &equity,
                          recorder ? recorder->equity() : nullptr, page ? &page->equity : nullptr});
  std::unique_ptr<engine::Strategy> strategy = r.strategy->make(r.params, nullptr);
  engine::BacktestEngine engine(r.config, opened->symbols, *strategy);
  if (r.hooks.before) r.hooks.before();
  Result<engine::RunResult> run = engine.Run(opened->sources, sinks.Single(), record_sink);
  if (r.hooks.after) r.hooks.after();
  if (recorder) {
    const Result<void> status = run ? Result<void>{} : tl::unexpected(run.error());
    auto id = recorder->Finish(status, [&](RunStore& store) { return store.Complete(*run); });
    if (!id) return tl::unexpected(id.error());  // equity.csv.tmp goes with `equity`
    out.stored = *id;
  }
  if (!run) return tl::unexpected(run.error());
  std::optional<report::OutputFile> page_file;
  if (page) {
    auto written = WritePage(r.html_report, page->page, *run, out.info);
    if (!written) return tl::unexpected(written.error());
    page_file.emplace(std::move(*written));
  }
  if (!r.out.empty()) {
    if (auto ok = report::WriteReport(r.out, *run, out.info, equity, stream ? &records : nullptr);
        !ok) {
      return tl::unexpected(ok.error());
    }
  }
  if (page_file) {
    if (auto ok = page_file->Commit(); !ok) return tl::unexpected(ok.error());
  }
  out.skipped = SkippedRows(opened->sources);
  out.notes = NotesOf(*run);
  out.run = std::move(*run);
  return out;
}

}  // namespace wyckoff::app
