// `wyckoff study`: its flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"
#include "wyckoff/app/study.h"

namespace wyckoff::cli {

void AddStudyCommand(CLI::App& app, int& exit_code) {
  static StudyOptions o;
  CLI::App* cmd = app.add_subcommand(
      "study", "Forward returns after each Wyckoff event type against the base rate");
  cmd->add_option("--data", o.data,
                  "CSV file of OHLCV bars, a folder of them or a pattern (repeatable)")
      ->required();
  cmd->add_option("--symbol", o.symbols, "Symbol name for each --data file (default: file name)");
  cmd->add_option("--param", o.params, "Detector parameter name=value (repeatable)");
  cmd->add_option("--horizons", o.horizons,
                  "Bars ahead, comma-separated: return = close[t+h] / open[t+1] - 1")
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the bootstrap: the same seed gives the same intervals")
      ->check(WholeNumber(kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--resamples", o.resamples,
                  "Block-bootstrap resamples of the excess's 95% interval (0: none)")
      ->check(WholeNumber(app::kMaxStudyResamples))
      ->capture_default_str();
  cmd->add_option("--out", o.out, "Folder for study.csv");
  cmd->add_flag("--json", o.json, "Print the study as JSON instead of the table");
  AddBarInputFlags(cmd, o.on_bad_row, o.allow_nonpositive_prices);
  AddCacheFlag(cmd, o.cache);
  cmd->callback([&exit_code] { exit_code = RunStudy(o); });
}

}  // namespace wyckoff::cli
