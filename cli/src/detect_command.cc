// `wyckoff detect`: every pattern event of the Wyckoff detectors, no trading.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "sources.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/pattern_scan.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

// The value of detail `name`, or "".
std::string Detail(const engine::RunEvent& e, std::string_view name) {
  for (const auto& [k, v] : e.details) {
    if (k == name) return v;
  }
  return "";
}

std::string EventTable(const strategies::ScanResult& scan,
                       const std::vector<engine::SymbolInfo>& symbols) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-19s %-19s %-19s %10s %5s %10s %10s %10s %6s  %s\n",
                "symbol", "type", "pattern", "confirm", "level", "conf", "entry", "stop", "target",
                "R", "trade");
  out += line;
  for (const auto& e : scan.events) {
    const std::string tradeable = Detail(e, "tradeable");
    const std::string why = Detail(e, "not_tradeable");
    const std::string signal = Detail(e, "signal");
    std::snprintf(line, sizeof line,
                  "%-12s %-19s %-19s %-19s %10.4f %5.0f %10s %10s %10s %6s  %s\n",
                  symbols[e.symbol].name.c_str(), e.type.c_str(),
                  FormatTimestamp(e.pattern_time, !scan.intraday).c_str(),
                  FormatTimestamp(e.confirm_time, !scan.intraday).c_str(), e.level, e.confidence,
                  Detail(e, "entry").c_str(), Detail(e, "stop").c_str(),
                  Detail(e, "target").c_str(), Detail(e, "reward_risk").c_str(),
                  signal.empty()        ? ""
                  : tradeable == "true" ? signal.c_str()
                                        : why.c_str());
    out += line;
  }
  return out;
}

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

}  // namespace

int RunDetect(const DetectOptions& o) {
  auto opened =
      OpenSources(o.data, o.symbols, CsvOptionsOf(o.on_bad_row, o.allow_nonpositive_prices));
  if (!opened) return ReportError(opened.error());
  ParamValues params = detectors::DetectorSchema().Defaults();
  if (auto ok = ApplySettings(params, o.params); !ok) return ReportError(ok.error());
  if (auto ok = detectors::DetectorSchema().Check(params); !ok) return ReportError(ok.error());
  auto scan = strategies::ScanPatterns(opened->sources, opened->symbols,
                                       detectors::ToDetectorParams(params));
  if (!scan) return ReportError(scan.error());
  if (!o.out.empty()) {
    auto ok = report::WriteFiles(
        o.out, {{"events.csv", report::EventsCsv(opened->symbols, scan->events, scan->intraday)},
                {"ranges.csv", RangesCsv(*scan, opened->symbols)}});
    if (!ok) return ReportError(ok.error());
  }
  std::cout << EventTable(*scan, opened->symbols);
  std::cout << scan->events.size() << " events, " << scan->ranges.size() << " trading ranges, "
            << scan->bars << " bars\n";
  for (const auto& note : scan->notes) std::cerr << "note: " << note << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
