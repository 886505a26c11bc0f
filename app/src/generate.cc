#include "wyckoff/app/generate.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/output_file.h"

namespace wyckoff::app {
namespace {

// The bars as `wyckoff backtest` and `wyckoff detect` read them: daily dates (or a date and a
// time of day for one-minute bars), prices in whole cents, whole-share volumes. Written in
// blocks of about 1 MiB: memory does not grow with the file.
void WriteBarsCsv(report::OutputFile& file, const std::vector<Bar>& bars, bool intraday,
                  const std::function<void(std::size_t, std::size_t)>& progress) {
  constexpr std::size_t kBlock = 1 << 20;
  std::string block;
  block.reserve(kBlock + 256);
  report::CsvWriter csv(block);
  if (intraday) {
    csv.Row({"Date", "Time", "Open", "High", "Low", "Close", "Volume"});
  } else {
    csv.Row({"Date", "Open", "High", "Low", "Close", "Volume"});
  }
  if (progress) progress(0, bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    if (intraday) {
      csv.DateAndTime(b.time);
    } else {
      csv.Time(b.time, false);
    }
    csv.Fixed(b.open, 2).Fixed(b.high, 2).Fixed(b.low, 2).Fixed(b.close, 2);
    csv.Number(b.volume).End();
    if (block.size() >= kBlock) {
      file.Write(block);
      block.clear();
      if (progress) progress(i + 1, bars.size());
    }
  }
  file.Write(block);
  if (progress) progress(bars.size(), bars.size());
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
  // Both files are written and closed before either is renamed into place: on an error both
  // temporary files are removed and nothing appears.
  auto bars = report::OutputFile::Create(r.out);
  if (!bars) return tl::unexpected(bars.error());
  WriteBarsCsv(*bars, scenario->bars, scenario->intraday, r.progress);
  if (auto ok = bars->Close(); !ok) return tl::unexpected(ok.error());
  std::optional<report::OutputFile> labels;
  if (!r.labels.empty()) {
    auto file = report::OutputFile::Create(r.labels);
    if (!file) return tl::unexpected(file.error());
    labels.emplace(std::move(*file));
    labels->Write(LabelsCsv(scenario->labels, scenario->intraday));
    if (auto ok = labels->Close(); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = bars->Commit(); !ok) return tl::unexpected(ok.error());
  if (labels) {
    if (auto ok = labels->Commit(); !ok) return tl::unexpected(ok.error());
  }
  GenerateOutcome out;
  out.bars = scenario->bars.size();
  out.structures = scenario->structures;
  for (const auto& l : scenario->labels) ++(fixtures::IsDecoy(l.type) ? out.decoys : out.labels);
  return out;
}

}  // namespace wyckoff::app
