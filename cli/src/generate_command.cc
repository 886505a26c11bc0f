// `wyckoff generate`: synthetic bars and their labels as CSV files.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "sources.h"
#include "wyckoff/fixtures/scenario.h"
#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::cli {
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

int RunGenerate(const GenerateOptions& o) {
  auto kind = fixtures::ParseScenarioKind(o.scenario);
  if (!kind) return ReportError(kind.error());
  if (o.bars < static_cast<long long>(fixtures::kMinScenarioBars)) {
    return ReportError(
        {ErrorCode::kInvalidArgument,
         "--bars " + std::to_string(o.bars) + " is too few: a scenario needs at least " +
             std::to_string(fixtures::kMinScenarioBars) + " bars to hold one structure"});
  }
  if (o.bars > static_cast<long long>(fixtures::kMaxScenarioBars)) {
    return ReportError({ErrorCode::kInvalidArgument,
                        "--bars " + std::to_string(o.bars) + " is above the limit of " +
                            std::to_string(fixtures::kMaxScenarioBars) + " bars"});
  }
  if (!o.labels.empty() && o.labels == o.out) {
    return ReportError({ErrorCode::kInvalidArgument, "--labels and --out name the same file"});
  }
  auto scenario = fixtures::GenerateScenario(
      {.kind = *kind, .bars = static_cast<std::size_t>(o.bars), .seed = o.seed});
  if (!scenario) return ReportError(scenario.error());
  std::vector<std::pair<std::string, std::string>> files = {
      {o.out, BarsCsv(scenario->bars, scenario->intraday)}};
  if (!o.labels.empty()) {
    files.emplace_back(o.labels, LabelsCsv(scenario->labels, scenario->intraday));
  }
  if (auto ok = report::WriteAllOrNothing(files); !ok) return ReportError(ok.error());
  int decoys = 0;
  for (const auto& l : scenario->labels) decoys += fixtures::IsDecoy(l.type) ? 1 : 0;
  std::cout << "wrote " << scenario->bars.size() << " bars to " << o.out << ": "
            << scenario->structures << " " << fixtures::ScenarioKindName(*kind) << " structures, "
            << scenario->labels.size() - static_cast<std::size_t>(decoys) << " labels, " << decoys
            << " decoys (seed " << o.seed << ")\n";
  if (!o.labels.empty()) std::cout << "labels in " << o.labels << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
