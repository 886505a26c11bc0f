#include "wyckoff/app/detect.h"

#include "wyckoff/detectors/params.h"
#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/report.h"

namespace wyckoff::app {

std::string RangesCsv(const strategies::ScanResult& scan,
                      const std::vector<engine::SymbolInfo>& symbols) {
  std::string out;
  report::CsvWriter csv(out);
  csv.Row({"symbol", "range_id", "kind", "active_time", "end_time", "end", "support", "resistance",
           "jump_target", "conservative_target"});
  for (const auto& r : scan.ranges) {
    csv.Text(symbols[r.symbol].name).Number(r.range_id).Text(r.kind);
    csv.Time(r.active_time, scan.intraday);
    if (r.end_time) {
      csv.Time(r.end_time, scan.intraday);
    } else {
      csv.Empty();
    }
    csv.Text(r.end);
    for (const auto& [name, value] : r.levels) csv.Text(value);
    csv.End();
  }
  return out;
}

Result<DetectOutcome> RunDetect(const DetectRequest& r) {
  Database none({});
  auto opened = OpenData(r.data, none);
  if (!opened) return tl::unexpected(opened.error());
  auto scan = strategies::ScanPatterns(opened->sources, opened->symbols,
                                       detectors::ToDetectorParams(r.params));
  if (!scan) return tl::unexpected(scan.error());
  if (!r.out.empty()) {
    auto ok = report::WriteFiles(
        r.out, {{"events.csv", report::EventsCsv(opened->symbols, scan->events, scan->intraday)},
                {"ranges.csv", RangesCsv(*scan, opened->symbols)}});
    if (!ok) return tl::unexpected(ok.error());
  }
  return DetectOutcome{std::move(*scan), std::move(opened->symbols)};
}

}  // namespace wyckoff::app
