// What every command prints for errors and warnings, and how bar files are read.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "wyckoff/app/data.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/serve/batch_metrics.h"

namespace wyckoff::cli {

// How bar files are read: --on-bad-row ("stop" or "skip") and --allow-nonpositive-prices.
engine::CsvOptions CsvOptionsOf(const std::string& on_bad_row, bool allow_nonpositive_prices);

// Prints "error: MESSAGE" to stderr (control bytes escaped: one line); returns 1 for I/O and
// database failures, 2 otherwise.
int ReportError(const Error& error);

// The figures of a batch run that started at `start` and just ended, for --metrics-file.
serve::BatchFigures BatchFiguresOf(std::string command, std::chrono::steady_clock::time_point start,
                                   std::int64_t bars, std::int64_t runs, std::int64_t trades);

// "warning: skipped N bad rows (first: ...)" on stderr when rows were skipped.
void WarnSkipped(const app::Skipped& skipped);

}  // namespace wyckoff::cli
