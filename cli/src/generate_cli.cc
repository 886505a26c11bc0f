// `wyckoff generate`: its flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"

namespace wyckoff::cli {

void AddGenerateCommand(CLI::App& app, int& exit_code) {
  static GenerateOptions o;
  CLI::App* cmd = app.add_subcommand(
      "generate", "Write synthetic bars with planted, labelled Wyckoff structures");
  cmd->add_option("--scenario", o.scenario, "accumulation, distribution or mixed")
      ->capture_default_str();
  cmd->add_option("--bars", o.bars, "Number of daily bars (at least 400)")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed: the same seed gives the same files")
      ->check(WholeNumber(kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--out", o.out, "CSV file for the bars (Date,Open,High,Low,Close,Volume)")
      ->required();
  cmd->add_option("--labels", o.labels, "CSV file for the planted truth (type,pattern_time,...)");
  cmd->callback([&exit_code] { exit_code = RunGenerate(o); });
}

}  // namespace wyckoff::cli
