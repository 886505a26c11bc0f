// `detect` as a function: every Wyckoff pattern event of the bars, no trading.
//
//   DetectRequest request{.data = ..., .params = DetectorSchema().Defaults(), .out = "patterns/"};
//   Result<DetectOutcome> outcome = RunDetect(request);   // events.csv, ranges.csv in out/
#pragma once

#include <string>
#include <vector>

#include "wyckoff/app/data.h"
#include "wyckoff/core/params.h"
#include "wyckoff/strategies/pattern_scan.h"

namespace wyckoff::app {

struct DetectRequest {
  DataRequest data;
  ParamValues params;  // of detectors::DetectorSchema(), rules checked
  std::string out;     // events.csv and ranges.csv; none when empty
};

struct DetectOutcome {
  strategies::ScanResult scan;
  std::vector<engine::SymbolInfo> symbols;
};

// ranges.csv: symbol,range_id,kind,active_time,end_time,end,support,resistance,jump_target,
// conservative_target.
std::string RangesCsv(const strategies::ScanResult& scan,
                      const std::vector<engine::SymbolInfo>& symbols);

// The outcome as JSON (`detect --json`): {"symbols":[...],"bars":N,"events":[{"symbol",
// "type","pattern_time","confirm_time","level","confidence", then the details of events.csv}],
// "ranges":[{...ranges.csv's columns}],"notes":[...]}. Numbers are numbers, `tradeable` a
// boolean, undefined values null.
std::string DetectJson(const DetectOutcome& outcome);

// Errors: the sources' (CSV files only: stored bars need no detector run), a file that cannot
// be written.
Result<DetectOutcome> RunDetect(const DetectRequest& request);

}  // namespace wyckoff::app
