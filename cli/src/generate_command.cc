// `wyckoff generate`: flags to an app::GenerateRequest, its outcome to one line.
#include <iostream>
#include <string>

#include "commands.h"
#include "progress.h"
#include "sources.h"
#include "wyckoff/app/generate.h"

namespace wyckoff::cli {

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
  std::function<void(std::size_t, std::size_t)> progress;
  if (auto bar = TerminalProgress::Start("generate")) {
    progress = [bar, &o](std::size_t done, std::size_t total) {
      bar->Update(o.out, done, total, ProgressUnit::kBars);
    };
  }
  auto made = app::RunGenerate(
      {.options = {.kind = *kind, .bars = static_cast<std::size_t>(o.bars), .seed = o.seed},
       .out = o.out,
       .labels = o.labels,
       .progress = std::move(progress)});
  if (!made) return ReportError(made.error());
  std::cout << "wrote " << made->bars << " bars to " << o.out << ": " << made->structures << " "
            << fixtures::ScenarioKindName(*kind) << " structures, " << made->labels
            << (made->labels == 1 ? " label, " : " labels, ") << made->decoys
            << (made->decoys == 1 ? " decoy" : " decoys") << " (seed " << o.seed << ")\n";
  if (!o.labels.empty()) std::cout << "labels in " << o.labels << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
