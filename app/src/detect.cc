#include "wyckoff/app/detect.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

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

namespace {

using Json = nlohmann::ordered_json;

// A detail of events.csv as JSON: a number when it reads as one, null when empty, else text.
// From the text, not the typed value: the JSON says what events.csv says (6 decimals).
Json DetailJson(const std::string& text) {
  if (text.empty()) return nullptr;
  if (text == "true" || text == "false") return text == "true";
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  return text;
}

Json Number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

}  // namespace

std::string DetectJson(const DetectOutcome& outcome) {
  const strategies::ScanResult& scan = outcome.scan;
  const bool date_only = !scan.intraday;
  Json symbols = Json::array();
  for (const auto& s : outcome.symbols) symbols.push_back(s.name);
  Json events = Json::array();
  for (const auto& e : scan.events) {
    Json event{{"symbol", outcome.symbols[static_cast<std::size_t>(e.symbol)].name},
               {"type", e.type},
               {"pattern_time", FormatTimestamp(e.pattern_time, date_only)},
               {"confirm_time", FormatTimestamp(e.confirm_time, date_only)},
               {"level", Number(e.level)},
               {"confidence", Number(e.confidence)}};
    for (const auto& [name, value] : e.details) {
      event[name] = name == "not_tradeable" || name == "reason" || name == "status"
                        ? Json(value.Text())
                        : DetailJson(value.Text());
    }
    events.push_back(std::move(event));
  }
  Json ranges = Json::array();
  for (const auto& r : scan.ranges) {
    Json range{{"symbol", outcome.symbols[static_cast<std::size_t>(r.symbol)].name},
               {"range_id", r.range_id},
               {"kind", r.kind},
               {"active_time", FormatTimestamp(r.active_time, date_only)},
               {"end_time", r.end_time ? Json(FormatTimestamp(r.end_time, date_only)) : Json()},
               {"end", r.end.empty() ? Json() : Json(r.end)}};
    for (const auto& [name, value] : r.levels) range[name] = DetailJson(value);
    ranges.push_back(std::move(range));
  }
  Json out{{"symbols", symbols},
           {"bars", scan.bars},
           {"events", events},
           {"ranges", ranges},
           {"notes", scan.notes}};
  return out.dump(2) + "\n";
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
