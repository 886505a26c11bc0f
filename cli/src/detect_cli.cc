// `wyckoff detect`: its flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"

namespace wyckoff::cli {

void AddDetectCommand(CLI::App& app, int& exit_code) {
  static DetectOptions o;
  CLI::App* cmd = app.add_subcommand("detect", "List every Wyckoff pattern event (no trading)");
  cmd->add_option("--data", o.data, "CSV file of OHLCV bars (repeatable)")->required();
  cmd->add_option("--symbol", o.symbols, "Symbol name for each --data file (default: file name)");
  cmd->add_option("--param", o.params, "Detector parameter name=value (repeatable)");
  cmd->add_option("--out", o.out, "Folder for events.csv and ranges.csv");
  AddBarInputFlags(cmd, o.on_bad_row, o.allow_nonpositive_prices);
  AddCacheFlag(cmd, o.cache);
  cmd->callback([&exit_code] { exit_code = RunDetect(o); });
}

}  // namespace wyckoff::cli
