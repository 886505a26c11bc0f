#include "run_flags.h"

#include <CLI/CLI.hpp>
#include <cstdint>

#include "cli_checks.h"

namespace wyckoff::cli {

void AddRunFlags(CLI::App* cmd, BacktestOptions& o, bool search) {
  cmd->add_option("--data", o.data,
                  "CSV file of OHLCV bars, or postgresql:SYMBOL:TIMEFRAME for bars stored in "
                  "--db (repeat for several symbols)")
      ->required();
  cmd->add_option("--symbol", o.symbols, "Symbol name for each --data (default: the file name)");
  cmd->add_option("--strategy", o.strategy, "Strategy name (wyckoff params lists its parameters)")
      ->capture_default_str();
  cmd->add_option("--param", o.params,
                  search ? "Fixed strategy parameter name=value (repeatable)"
                         : "Strategy parameter name=value (repeatable)");
  cmd->add_option("--quantity", o.quantity, "Fixed quantity per entry (default 100)");
  cmd->add_option("--risk", o.risk, "Size entries to risk this fraction of equity (0-1]");
  cmd->add_option("--lot-size", o.lot_size, "Round risk-sized quantities down to this lot")
      ->capture_default_str();
  cmd->add_option("--tick-size", o.tick_size,
                  "Price step of strategy prices (default: the finest step of the data's prices)");
  cmd->add_option("--cash", o.cash, "Starting cash")->capture_default_str();
  AddBarInputFlags(cmd, o.on_bad_row, o.allow_nonpositive_prices);
  AddCacheFlag(cmd, o.cache);
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
  cmd->add_option("--max-positions", o.max_positions,
                  "At most N symbols in a position (or with a pending entry) at once; "
                  "simultaneous entries are taken best first (wyckoff: by confidence); 0: no "
                  "limit")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--out", o.out,
                  search ? "Folder for the report files"
                         : "Folder for trades.csv, fills.csv, orders.csv, events.csv, "
                           "equity.csv and summary.json");
  cmd->add_option("--report", o.report,
                  search ? "Write one self-contained HTML page of the run: the best combination's "
                           "chart and a heat map (optimize), or the windows and the stitched "
                           "out-of-sample run (walk-forward)"
                         : "Write one self-contained HTML page of the run: candles, ranges, "
                           "events, trades, equity and tables");
  cmd->add_option("--report-bars", o.report_bars,
                  "Bars the --report page keeps at full detail; more are aggregated to a coarser "
                  "period")
      ->check(CLI::Range(std::int64_t{100}, std::int64_t{100'000'000}))
      ->capture_default_str();
  cmd->add_flag("--json", o.json, "Print summary.json to stdout instead of the table");
  cmd->add_option("--profile", o.profile, "Write a gperftools CPU profile of the run to FILE");
  cmd->add_option("--metrics-file", o.metrics_file,
                  "Write the run's metrics (duration, bars/s, runs, trades) to F.prom in the "
                  "Prometheus textfile format, atomically");
}

}  // namespace wyckoff::cli
