// What every command prints for errors and warnings, and how bar files are read.
#pragma once

#include <string>

#include "wyckoff/app/data.h"
#include "wyckoff/engine/bar_source.h"

namespace wyckoff::cli {

// How bar files are read: --on-bad-row ("stop" or "skip") and --allow-nonpositive-prices.
engine::CsvOptions CsvOptionsOf(const std::string& on_bad_row, bool allow_nonpositive_prices);

// Prints "error: MESSAGE" to stderr (control bytes escaped: one line); returns 1 for I/O and
// database failures, 2 otherwise.
int ReportError(const Error& error);

// "warning: skipped N bad rows (first: ...)" on stderr when rows were skipped.
void WarnSkipped(const app::Skipped& skipped);

}  // namespace wyckoff::cli
