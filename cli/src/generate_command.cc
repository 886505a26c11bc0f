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
#include "wyckoff/detectors/scenario.h"

namespace wyckoff::cli {
namespace {

using engine::ErrorCode;
using engine::Fail;

// The bars as `wyckoff backtest` and `wyckoff detect` read them: daily dates, prices in
// whole cents, whole-share volumes.
std::string BarsCsv(const std::vector<engine::Bar>& bars) {
  std::string out = "Date,Open,High,Low,Close,Volume\n";
  out.reserve(bars.size() * 48);
  for (const engine::Bar& b : bars) {
    out += engine::FormatTimestamp(b.time, /*date_only=*/true);
    for (const engine::Decimal& price : {b.open, b.high, b.low, b.close}) {
      out += ',' + price.ToString(2);
    }
    out += ',' + b.volume.ToString() + '\n';
  }
  return out;
}

// One row per planted label; times as in events.csv, indices count bars from 0.
std::string LabelsCsv(const std::vector<detectors::ScenarioLabel>& labels) {
  std::string out = "type,pattern_time,end_time,pattern_index,end_index,structure,level,detail\n";
  for (const detectors::ScenarioLabel& l : labels) {
    out += std::string(detectors::LabelTypeName(l.type)) + ',' +
           engine::FormatTimestamp(l.pattern_time, true) + ',' +
           engine::FormatTimestamp(l.end_time, true) + ',' + std::to_string(l.pattern_index) + ',' +
           std::to_string(l.end_index) + ',' + std::to_string(l.structure) + ',' +
           l.level.ToString(2) + ',' + l.detail + '\n';
  }
  return out;
}

// Writes each (path, text) under PATH.tmp, then renames them all: every file appears, or none.
engine::Result<void> WriteAll(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> written;
  auto cleanup = [&written] {
    for (const std::string& tmp : written) std::remove(tmp.c_str());
  };
  for (const auto& [path, text] : files) {
    const std::string tmp = path + ".tmp";
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) written.push_back(tmp);
    if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())) ||
        !out.flush()) {
      const std::string reason = std::strerror(errno);
      cleanup();
      return Fail(ErrorCode::kIo, path + ": cannot write: " + reason);
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (std::rename(written[i].c_str(), files[i].first.c_str()) != 0) {
      const std::string reason = std::strerror(errno);
      cleanup();
      return Fail(ErrorCode::kIo, files[i].first + ": cannot write: " + reason);
    }
  }
  return {};
}

}  // namespace

int RunGenerate(const GenerateOptions& o) {
  auto kind = detectors::ParseScenarioKind(o.scenario);
  if (!kind) return ReportError(kind.error());
  if (o.bars < static_cast<long long>(detectors::kMinScenarioBars)) {
    return ReportError(
        {ErrorCode::kInvalidArgument,
         "--bars " + std::to_string(o.bars) + " is too few: a scenario needs at least " +
             std::to_string(detectors::kMinScenarioBars) + " bars to hold one structure"});
  }
  if (!o.labels.empty() && o.labels == o.out) {
    return ReportError({ErrorCode::kInvalidArgument, "--labels and --out name the same file"});
  }
  auto scenario = detectors::GenerateScenario(
      {.kind = *kind, .bars = static_cast<std::size_t>(o.bars), .seed = o.seed});
  if (!scenario) return ReportError(scenario.error());
  std::vector<std::pair<std::string, std::string>> files = {{o.out, BarsCsv(scenario->bars)}};
  if (!o.labels.empty()) files.emplace_back(o.labels, LabelsCsv(scenario->labels));
  if (auto ok = WriteAll(files); !ok) return ReportError(ok.error());
  int decoys = 0;
  for (const auto& l : scenario->labels) decoys += detectors::IsDecoy(l.type) ? 1 : 0;
  std::cout << "wrote " << scenario->bars.size() << " bars to " << o.out << ": "
            << scenario->structures << " " << detectors::ScenarioKindName(*kind) << " structures, "
            << scenario->labels.size() - static_cast<std::size_t>(decoys) << " labels, " << decoys
            << " decoys (seed " << o.seed << ")\n";
  if (!o.labels.empty()) std::cout << "labels in " << o.labels << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
