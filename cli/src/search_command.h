// `wyckoff optimize` and `wyckoff walk-forward`: their parsed options and entry points
// (search_command.cc; the CLI11 registration is search_cli.cc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "commands.h"

namespace wyckoff::cli {

struct SearchCommandOptions {
  // The flags shared with backtest: --data, --symbol, --strategy, --param (fixed parameters),
  // sizing, cash, models, --on-bad-row, --out, --json, --profile; for walk-forward also --db
  // (run.db, run.db_given: store the run and its windows) and --actor.
  BacktestOptions run;
  std::vector<std::string> grid;  // name=start:stop:step | name=a,b,c | name=value
  std::string objective = "sharpe";
  std::int64_t min_trades = 0;
  std::uint64_t samples = 0;  // 0: every combination
  std::uint64_t seed = 1;
  unsigned jobs = 0;  // 0: the number of cores
  std::size_t top = 10;
  // walk-forward only
  std::string train, test, step;
  bool anchored = false;
  std::int64_t warmup = 0;  // bars before each window part that only warm the strategy up
};

// The largest --warmup: more bars than any window holds.
inline constexpr std::int64_t kMaxWarmupBars = 100'000'000;

int RunOptimize(const SearchCommandOptions& options);
int RunWalkForward(const SearchCommandOptions& options);

}  // namespace wyckoff::cli
