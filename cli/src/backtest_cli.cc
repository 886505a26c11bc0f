// `wyckoff backtest`: its flags.
#include <CLI/CLI.hpp>

#include "cli_checks.h"
#include "commands.h"

namespace wyckoff::cli {

void AddBacktestCommand(CLI::App& app, int& exit_code) {
  static BacktestOptions o;
  CLI::App* cmd = app.add_subcommand("backtest", "Replay bars through a strategy and report");
  cmd->add_option("--data", o.data,
                  "CSV file of OHLCV bars, or postgresql:SYMBOL:TIMEFRAME for bars stored in "
                  "--db (repeat for several symbols)")
      ->required();
  cmd->add_option("--symbol", o.symbols, "Symbol name for each --data file (default: file name)");
  cmd->add_option("--strategy", o.strategy, "Strategy name")->capture_default_str();
  cmd->add_option("--param", o.params, "Strategy parameter name=value (repeatable)");
  cmd->add_option("--quantity", o.quantity, "Fixed quantity per entry (default 100)");
  cmd->add_option("--risk", o.risk, "Size entries to risk this fraction of equity (0-1]");
  cmd->add_option("--lot-size", o.lot_size, "Round risk-sized quantities down to this lot")
      ->capture_default_str();
  cmd->add_option("--tick-size", o.tick_size,
                  "Price step of strategy prices (default: the finest step of the data's prices)");
  cmd->add_option("--cash", o.cash, "Starting cash")->capture_default_str();
  cmd->add_option("--out", o.out, "Folder for trades.csv, fills.csv, equity.csv, summary.json");
  AddBarInputFlags(cmd, o.on_bad_row, o.allow_nonpositive_prices);
  cmd->add_option("--intrabar", o.intrabar,
                  "When one bar touches a stop and a target: stop-first, target-first or path")
      ->capture_default_str();
  cmd->add_option("--slippage", o.slippage, "none, fixed:AMOUNT or bps:BASIS_POINTS")
      ->capture_default_str();
  cmd->add_option("--commission", o.commission,
                  "none, per-share:RATE[:MIN], percent:PERCENT or fixed:AMOUNT")
      ->capture_default_str();
  cmd->add_option("--max-volume", o.max_volume,
                  "Fill at most this fraction of a bar's volume; the rest carries over");
  cmd->add_flag("--allow-short", o.allow_short, "Allow sell orders to open short positions");
  cmd->add_flag("--json", o.json, "Print summary.json to stdout instead of the table");
  cmd->add_option("--profile", o.profile, "Write a gperftools CPU profile of the run to FILE");
  CLI::Option* db = cmd->add_option(
      "--db", o.db,
      "Store the run in PostgreSQL at this URL (\"\" for the PG* variables); also where "
      "postgresql: --data reads from");
  cmd->add_option("--actor", o.actor, "Who to record in the audit log (default: the OS user)");
  cmd->callback([&exit_code, db] {
    o.db_given = db->count() > 0;
    exit_code = RunBacktest(o);
  });
}

}  // namespace wyckoff::cli
