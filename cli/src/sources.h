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

// How bar files are read: --on-bad-row ("stop" or "skip") and --allow-nonpositive-prices.
engine::CsvOptions CsvOptionsOf(const std::string& on_bad_row, bool allow_nonpositive_prices);

// Opens one source per `data` entry, named by `symbols` (same count) or by default names (the
// file name's stem; SYMBOL of postgresql:SYMBOL:TIMEFRAME). With a `database`, `data` entries
// may name stored bars (postgresql:SYMBOL:TIMEFRAME); without one, every entry is a CSV file.
// Errors: a --symbol count that does not match, a name given twice, empty or with control
// characters, a file that cannot be opened or lacks a required column, the database's errors.
Result<OpenedSources> OpenSources(const std::vector<std::string>& data,
                                  const std::vector<std::string>& symbols,
                                  const engine::CsvOptions& csv,
                                  BacktestDatabase* database = nullptr);

// A symbol name is not empty and holds no control character. Commas and quotes are fine: every
// CSV writer quotes them.
Result<void> CheckSymbolName(const std::string& name);

// Prints "error: MESSAGE" to stderr (control bytes escaped: one line); returns 1 for I/O and
// database failures, 2 otherwise.
int ReportError(const Error& error);

}  // namespace wyckoff::cli
