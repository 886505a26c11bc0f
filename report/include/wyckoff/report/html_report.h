// The HTML report: one self-contained page that shows a run (`--report FILE.html`).
//
//   HtmlReport page("backtest", symbols, kDefaultReportBars);
//   TapSources(page, sources);                      // every bar the engine reads is kept too
//   EquityTap equity(page.equity);                  // an engine::EquitySink
//   Result<RunResult> run = engine.Run(sources, &equity);
//   page.events = run->events;                     // a view: run must outlive the writing
//   page.trades = ChartTradesOf(*run);
//   page.summary_json = SummaryJson(*run, info);
//   Result<OutputFile> file = WriteHtmlReport("run.html", page);   // written, not committed
//   file->Commit();
//
// The page opens offline from file:// and requests nothing from the network: the chart library
// (TradingView's lightweight-charts, vendored under third_party/), the page's script and style
// and the run's data are all inside the file. The data is one JSON object in
// <script type="application/json" id="wyckoff-data">, which the page and any other tool read
// (docs/report.md describes every field):
//   format, kind, title, intraday, chart_library, symbols, aggregated, bar_limit, bars,
//   equity, events, trades, ranges, charted_run_digest, summary, and for walk-forward runs
//   windows, for optimize runs search.
// Times are whole seconds since the epoch (UTC); prices, money and volumes are JSON numbers
// written with their exact decimal digits ("18.459999"), never rounded through a double.
// `bars`, `equity` and `events` are arrays of arrays, their columns named in bar_columns,
// equity_columns and event_columns (those of events.csv); `bars` has one element per bar and
// `equity` one per clock step, until a run has more than
// `bar_limit` bars (default 1,000,000): then they are aggregated (chart_series.h) and flagged
// `"aggregated": true`. Text from the run (symbols, tags, reasons) is escaped so that it
// cannot end the script element: '<', '>' and '&' are written as \u003c, \u003e and \u0026.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/chart_series.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::report {

// Bars (over all symbols) and equity points a page holds before it aggregates.
inline constexpr std::size_t kDefaultReportBars = 1'000'000;

// A round trip as the page draws it.
struct ChartTrade {
  int symbol = 0;
  bool is_long = true;
  Timestamp entry_time = 0, exit_time = 0;
  Decimal entry_price, exit_price, quantity, pnl, fees;
  std::int64_t bars_held = 0;
  std::optional<Decimal> r_multiple;
  std::string tag;
  std::optional<Decimal> stop, target;  // the bracket of the entry order, when it had one
  int window = 0;                       // walk-forward: the window (from 1); else 0
  bool closed_at_window_end = false;
};

// `trade` without its bracket.
ChartTrade ChartTradeOf(const engine::Trade& trade);
// Sets the stop and target of each trade of `trades` whose `window` is `window` from its entry
// order in `run`: the order of the fill that opened the trade (same symbol, time and side, no
// parent order). A trade without such a fill, or whose order had no bracket, is unchanged.
void AttachBrackets(std::vector<ChartTrade>& trades, const engine::RunResult& run, int window = 0);
// The run's trades, each with its bracket.
std::vector<ChartTrade> ChartTradesOf(const engine::RunResult& run);

// A trading range drawn as a box: from the first bar of its structure (`start`) to the event
// that ended it (a break, an SOS or an SOW; none while it lasted to the end of the run), as
// ranges.csv of `wyckoff detect` ends it. Each of its events starts a segment with the levels,
// kind and phase the event quotes, when one of them changed.
struct RangeSegment {
  Timestamp from = 0;
  double support = 0, resistance = 0;
  std::string kind;   // ACCUMULATION or DISTRIBUTION
  std::string phase;  // A..E, or NONE
};
struct ChartRange {
  int symbol = 0;
  std::int64_t range_id = 0;
  Timestamp start = 0;   // the range's first bar (the RANGE_ACTIVE event's pattern time)
  Timestamp active = 0;  // when it became ACTIVE
  std::optional<Timestamp> end;
  std::string end_reason;  // BROKEN_DOWN, BROKEN_UP, SOS, SOW or empty
  std::vector<RangeSegment> segments;
};

// The ranges of the RANGE_ACTIVE events among `events` (what the wyckoff strategy and
// `wyckoff detect` record), in the order they became active. Events with unreadable levels are
// left out of the segments.
std::vector<ChartRange> RangesOf(std::span<const engine::RunEvent> events);

// A walk-forward window: the first and last bar of its train and test parts.
struct ChartWindow {
  Timestamp train_first = 0, train_last = 0, test_first = 0, test_last = 0;
};

// One combination of a parameter search.
struct SearchRow {
  std::uint64_t index = 0;                                      // in the grid
  std::vector<std::pair<std::string, std::string>> parameters;  // the searched ones
  std::optional<double> score;
  Decimal net_profit;
  std::int64_t trades = 0;
  std::optional<double> sharpe;
  double max_drawdown = 0;
};

// Everything one page shows.
struct HtmlReport {
  // `kind`: "backtest", "optimize" or "walk-forward". Each symbol keeps up to
  // bar_limit / symbols bars and the equity curve up to bar_limit points before aggregating.
  HtmlReport(std::string kind, std::vector<engine::SymbolInfo> symbols, std::size_t bar_limit);

  std::string kind;
  std::string title;  // defaults to "KIND: SYMBOLS"
  std::vector<engine::SymbolInfo> symbols;
  std::size_t bar_limit;
  std::vector<BarSeries> bars;  // bars[s] of symbols[s]
  EquitySeries equity;
  // The run's events, not owned (a long run records hundreds of thousands): they must outlive
  // the writing of the page.
  std::span<const engine::RunEvent> events;
  std::vector<ChartTrade> trades;
  std::string summary_json;  // the run's summary.json (a JSON object), shown as its tables
  // The digest of the run whose events and trades the chart shows (optimize: the best
  // combination, run again for the page); empty when there is none.
  std::string charted_run_digest;
  // walk-forward
  std::vector<ChartWindow> windows;
  // optimize: the searched parameters' names and every combination, best first
  std::vector<std::string> searched;
  std::vector<SearchRow> results;
  std::string objective;

  bool intraday() const;
};

// An engine::BarSource that hands every bar it reads to a BarSeries as well.
class BarTap final : public engine::BarSource {
 public:
  BarTap(std::unique_ptr<engine::BarSource> source, BarSeries& series)
      : source_(std::move(source)), series_(series) {}
  Result<bool> Next(Bar& bar) override;
  bool intraday() const override { return source_->intraday(); }
  std::int64_t skipped_rows() const override { return source_->skipped_rows(); }
  const std::string& first_skip_reason() const override { return source_->first_skip_reason(); }

 private:
  std::unique_ptr<engine::BarSource> source_;
  BarSeries& series_;
};

// Wraps sources[i] in a BarTap into report.bars[i].
void TapSources(HtmlReport& report, std::vector<std::unique_ptr<engine::BarSource>>& sources);

// An equity sink that keeps the curve in a series.
class EquityTap final : public engine::EquitySink {
 public:
  explicit EquityTap(EquitySeries& series) : series_(series) {}
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override {
    series_.Add({ToSeconds(time), cash, equity, equity, equity});
  }

 private:
  EquitySeries& series_;
};

// The page's data as JSON text, exactly as embedded (for tests and tools).
std::string ReportDataJson(const HtmlReport& report);

// The whole page.
std::string HtmlReportPage(const HtmlReport& report);

// Writes the page to `path` under a temporary name and closes it; the caller commits it (so it
// can appear together with other report files). Errors: the file cannot be written (the OS's
// reason), summary_json is not a JSON object (kInvalidArgument).
Result<OutputFile> WriteHtmlReport(const std::string& path, const HtmlReport& report);

}  // namespace wyckoff::report
