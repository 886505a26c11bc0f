// `report` as a function: the HTML page (report/html_report.h) of a run that finished, made
// from its report folder (--out of backtest, optimize or walk-forward) and its bars.
//
//   ReportPageRequest request{.run = "results/", .data = ..., .out = "run.html"};
//   Result<ReportPageOutcome> outcome = RunReportPage(request);
//
// What each folder gives the page:
// - backtest: summary.json, events.csv, trades.csv, fills.csv and orders.csv (each trade's stop
//   and target), equity.csv: everything a page written with --report shows. Event levels and
//   confidences come with the 6 significant digits events.csv keeps.
// - walk-forward: summary.json (the windows and their parameters), oos_trades.csv and
//   oos_equity.csv; the test windows' detector events and the trades' brackets are not in the
//   folder, so the page has none.
// - optimize: summary.json and results.csv (the heat map); no run is charted.
// The bars are read again from `data`, one source per symbol of summary.json in its order, and
// must be as many as the run had.
#pragma once

#include <cstdint>
#include <string>

#include "wyckoff/app/data.h"
#include "wyckoff/app/database.h"
#include "wyckoff/report/html_report.h"

namespace wyckoff::app {

struct ReportPageRequest {
  std::string run;   // the report folder of the run
  DataRequest data;  // its bars; symbol names default to summary.json's
  std::string out;   // the page
  std::size_t bars = report::kDefaultReportBars;  // kept before aggregating
  DatabaseOptions database;                       // where postgresql:SYMBOL:TIMEFRAME data is read
};

struct ReportPageOutcome {
  std::string kind;  // backtest, optimize or walk-forward
  std::int64_t bars = 0;
  std::size_t events = 0;
  std::size_t trades = 0;
  bool aggregated = false;
  Skipped skipped;
};

// Errors: a folder without summary.json or with a file the command did not write (a missing or
// unreadable file, a column or value that does not parse: named with its line), a symbol or
// bar count that differs from the run's, the sources', the page that cannot be written (kIo).
Result<ReportPageOutcome> RunReportPage(const ReportPageRequest& request);

}  // namespace wyckoff::app
