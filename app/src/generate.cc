#include "wyckoff/app/generate.h"

#include <string>
#include <utility>
#include <vector>

#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::app {
namespace {

// The bars as `wyckoff backtest` and `wyckoff detect` read them: daily dates (or a date and a
// time of day for one-minute bars), prices in whole cents, whole-share volumes.
std::string BarsCsv(const std::vector<Bar>& bars, bool intraday) {
  std::string out;
  out.reserve(bars.size() * 56);
  report::CsvWriter csv(out);
  if (intraday) {
    csv.Row({"Date", "Time", "Open", "High", "Low", "Close", "Volume"});
  } else {
    csv.Row({"Date", "Open", "High", "Low", "Close", "Volume"});
  }
  for (const Bar& b : bars) {
    if (intraday) {
      const std::string stamp = FormatTimestamp(b.time, false);  // date, space, time
      csv.Raw(std::string_view(stamp).substr(0, 10)).Raw(std::string_view(stamp).substr(11));
    } else {
      csv.Time(b.time, false);
    }
    for (const Decimal& price : {b.open, b.high, b.low, b.close}) {
      csv.Raw(price.ToString(2));
    }
    csv.Number(b.volume).End();
  }
  return out;
}

// One row per planted label; times as in events.csv, indices count bars from 0.
std::string LabelsCsv(const std::vector<fixtures::ScenarioLabel>& labels, bool intraday) {
  std::string out;
  report::CsvWriter csv(out);
  csv.Row({"type", "pattern_time", "end_time", "pattern_index", "end_index", "structure", "level",
           "detail"});
  for (const fixtures::ScenarioLabel& l : labels) {
    csv.Text(fixtures::LabelTypeName(l.type)).Time(l.pattern_time, intraday);
    csv.Time(l.end_time, intraday);
    csv.Number(static_cast<std::int64_t>(l.pattern_index));
    csv.Number(static_cast<std::int64_t>(l.end_index));
    csv.Number(static_cast<std::int64_t>(l.structure)).Raw(l.level.ToString(2)).Text(l.detail);
    csv.End();
  }
  return out;
}

}  // namespace

Result<GenerateOutcome> RunGenerate(const GenerateRequest& r) {
  if (!r.labels.empty() && r.labels == r.out) {
    return Fail(ErrorCode::kInvalidArgument, "the labels and the bars name the same file");
  }
  auto scenario = fixtures::GenerateScenario(r.options);
  if (!scenario) return tl::unexpected(scenario.error());
  std::vector<std::pair<std::string, std::string>> files = {
      {r.out, BarsCsv(scenario->bars, scenario->intraday)}};
  if (!r.labels.empty()) {
    files.emplace_back(r.labels, LabelsCsv(scenario->labels, scenario->intraday));
  }
  if (auto ok = report::WriteAllOrNothing(files); !ok) return tl::unexpected(ok.error());
  GenerateOutcome out;
  out.bars = scenario->bars.size();
  out.structures = scenario->structures;
  for (const auto& l : scenario->labels) ++(fixtures::IsDecoy(l.type) ? out.decoys : out.labels);
  return out;
}

}  // namespace wyckoff::app
