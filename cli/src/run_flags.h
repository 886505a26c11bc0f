// The flags backtest, optimize and walk-forward share, declared once: data, strategy, sizing,
// cash, broker models, input rules, output. Each command adds its own beside them.
#pragma once

#include "commands.h"

namespace CLI {
class App;
}

namespace wyckoff::cli {

// `search`: the strategy's parameters are fixed ones beside --grid, and --data reads into
// memory once for all runs.
void AddRunFlags(CLI::App* cmd, BacktestOptions& o, bool search);

}  // namespace wyckoff::cli
