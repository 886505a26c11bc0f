// `wyckoff optimize` and `wyckoff walk-forward`: their flags.
#include <CLI/CLI.hpp>
#include <cstdint>

#include "cli_checks.h"
#include "commands.h"
#include "run_flags.h"
#include "search_command.h"
#include "wyckoff/engine/param_grid.h"

namespace wyckoff::cli {
namespace {

// The flags of both commands: data, strategy, grid, objective, engine settings, output.
void AddCommonFlags(CLI::App* cmd, SearchCommandOptions& o) {
  AddRunFlags(cmd, o.run, /*search=*/true);
  cmd->add_option("--grid", o.grid,
                  "Searched parameter: name=start:stop:step, name=a,b,c or name=value "
                  "(repeatable)");
  cmd->add_option("--objective", o.objective,
                  "sharpe, sortino, net_profit, profit_factor or avg_r (higher is better)")
      ->capture_default_str();
  cmd->add_option("--min-trades", o.min_trades,
                  "Only combinations with at least this many trades can win")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--samples", o.samples, "Run a random sample of N combinations (0: all)")
      ->check(WholeNumber(static_cast<std::int64_t>(engine::kMaxGridCombinations)));
  cmd->add_option("--seed", o.seed, "Seed of the --samples draw")
      ->check(WholeNumber(kMaxSeed))
      ->capture_default_str();
  cmd->add_option("--jobs", o.jobs, "Worker threads (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
}

}  // namespace

void AddSearchCommands(CLI::App& app, int& exit_code) {
  static SearchCommandOptions optimize, walk;
  CLI::App* opt = app.add_subcommand(
      "optimize", "Backtest every combination of a parameter grid and rank them by an objective");
  AddCommonFlags(opt, optimize);
  opt->add_option("--top", optimize.top, "Rows of the ranking printed")
      ->check(WholeNumber(static_cast<std::int64_t>(engine::kMaxGridCombinations)))
      ->capture_default_str();
  opt->add_option("--db", optimize.run.db,
                  "PostgreSQL for --data postgresql:SYMBOL:TIMEFRAME (URL; default: $WYCKOFF_DB, "
                  "else the PG* environment variables)");
  opt->callback([&exit_code] { exit_code = RunOptimize(optimize); });

  CLI::App* wf = app.add_subcommand(
      "walk-forward", "Optimise on rolling train windows, trade the winners out of sample");
  AddCommonFlags(wf, walk);
  wf->add_option("--train", walk.train, "Train window: Nd, Nw, Nm, Ny or N bars")->required();
  wf->add_option("--test", walk.test, "Test window: Nd, Nw, Nm, Ny or N bars")->required();
  wf->add_option("--step", walk.step, "Distance between windows (default: --test)");
  wf->add_flag("--anchored", walk.anchored, "Every train window starts at the first bar");
  wf->add_option("--warmup", walk.warmup,
                 "Bars before each train and test window that warm the strategy's indicators up "
                 "without trading (a test window's are the end of its train window)")
      ->check(WholeNumber(kMaxWarmupBars))
      ->capture_default_str();
  CLI::Option* db = wf->add_option(
      "--db", walk.run.db,
      "Store the run and its windows in PostgreSQL, and read --data postgresql:SYMBOL:TIMEFRAME "
      "from it (URL; '': $WYCKOFF_DB, else the PG* environment variables)");
  wf->add_option("--actor", walk.run.actor,
                 "Who to record in the audit log (default: the OS user)");
  wf->callback([&exit_code, db] {
    walk.run.db_given = db->count() > 0;
    exit_code = RunWalkForward(walk);
  });
}

}  // namespace wyckoff::cli
