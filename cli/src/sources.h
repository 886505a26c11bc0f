// Opening the bar sources named on the command line (`--data`, `--symbol`, `--on-bad-row`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wyckoff/engine/bar_source.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::cli {

struct OpenedSources {
  std::vector<engine::SymbolInfo> symbols;
  std::vector<std::unique_ptr<engine::BarSource>> sources;
};

class BacktestDatabase;

// Opens one source per `data` entry, named by `symbols` (same count) or by default names (the
// file name's stem; SYMBOL of postgresql:SYMBOL:TIMEFRAME). With a `database`, `data` entries
// may name stored bars (postgresql:SYMBOL:TIMEFRAME); without one, every entry is a CSV file.
// Errors: a --symbol count that does not match, a name given twice, a file that cannot be
// opened or lacks a required column, a bad `on_bad_row` value, the database's errors.
engine::Result<OpenedSources> OpenSources(const std::vector<std::string>& data,
                                          const std::vector<std::string>& symbols,
                                          const std::string& on_bad_row,
                                          BacktestDatabase* database = nullptr);

// Prints "error: MESSAGE" to stderr; returns 1 for I/O and database failures, 2 otherwise.
int ReportError(const engine::Error& error);

}  // namespace wyckoff::cli
