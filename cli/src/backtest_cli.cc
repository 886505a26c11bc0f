// `wyckoff backtest`: its flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"
#include "run_flags.h"

namespace wyckoff::cli {

void AddBacktestCommand(CLI::App& app, int& exit_code) {
  static BacktestOptions o;
  CLI::App* cmd = app.add_subcommand("backtest", "Replay bars through a strategy and report");
  AddRunFlags(cmd, o, /*search=*/false);
  CLI::Option* db = cmd->add_option(
      "--db", o.db,
      "Store the run in PostgreSQL at this URL (\"\": $WYCKOFF_DB, else the PG* variables); "
      "also where postgresql: --data reads from");
  cmd->add_option("--actor", o.actor, "Who to record in the audit log (default: the OS user)");
  cmd->add_option("--repeat", o.repeat,
                  "Run the engine N times over the same bars and report the last: enough work "
                  "for --profile to sample on a small file")
      ->check(CLI::Range(1LL, kMaxRepeat))
      ->capture_default_str();
  cmd->callback([&exit_code, db] {
    o.db_given = db->count() > 0;
    exit_code = RunBacktest(o);
  });
}

}  // namespace wyckoff::cli
