// `wyckoff report`: its flags.
#include <CLI/CLI.hpp>
#include <cstdint>

#include "cli_checks.h"
#include "commands.h"

namespace wyckoff::cli {

void AddReportCommand(CLI::App& app, int& exit_code) {
  static ReportOptions o;
  CLI::App* cmd = app.add_subcommand(
      "report", "Write the HTML page of a finished run from its --out folder and its bars");
  cmd->add_option("--run", o.run,
                  "The run's report folder (--out of backtest, optimize or "
                  "walk-forward)")
      ->required();
  cmd->add_option("--data", o.data,
                  "The run's bars: its CSV files or postgresql:SYMBOL:TIMEFRAME, in its order")
      ->required();
  cmd->add_option("--symbol", o.symbols,
                  "Symbol name for each --data (default: the run's, or the file name)");
  cmd->add_option("--out", o.out, "The page to write (FILE.html)")->required();
  cmd->add_option("--report-bars", o.bars,
                  "Bars the page keeps at full detail; more are aggregated to a coarser period")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{100'000'000}))
      ->capture_default_str();
  cmd->add_option("--db", o.db,
                  "PostgreSQL for --data postgresql:SYMBOL:TIMEFRAME (URL; default: the PG* "
                  "environment variables)");
  AddBarInputFlags(cmd, o.on_bad_row, o.allow_nonpositive_prices);
  AddCacheFlag(cmd, o.cache);
  cmd->callback([&exit_code] { exit_code = RunReportPage(o); });
}

}  // namespace wyckoff::cli
