// Where a run's bars come from: typed data references, opened once for every command.
//
//   Result<DataRef> ref = ParseDataRef("postgresql:ORCL:1d");   // or a CSV file's path
//   DataRequest request{.data = {*ref}, .symbols = {}, .csv = {}};
//   Database database(options);                                 // connects only when needed
//   Result<OpenedData> opened = OpenData(request, database);
//   for (auto& source : opened->sources) ...                    // one BarSource per symbol
//
// A CSV file streams; stored bars (postgresql:SYMBOL:TIMEFRAME) are read when they open.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wyckoff/app/database.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::app {

struct CsvFile {
  std::string path;
};
struct StoredBarsRef {
  std::string symbol;
  std::string timeframe;
};
// One source of bars for one symbol.
struct DataRef {
  std::variant<CsvFile, StoredBarsRef> where;
  std::string text;  // as the user wrote it, for records and messages
};

// `postgresql:SYMBOL:TIMEFRAME` names stored bars; anything else is a CSV file's path.
// Error: a `postgresql:` value of another form.
Result<DataRef> ParseDataRef(std::string_view text);
// The --data values with folders and globs expanded, in order: a folder gives its `.csv` files
// (any case, not recursive), a pattern with `*`, `?` or `[` the files it matches, each sorted
// by name; anything else (a file, `postgresql:...`) stays as written. Errors: a folder without a
// CSV file, a pattern that matches nothing.
Result<std::vector<std::string>> ExpandDataArgs(const std::vector<std::string>& data);

// The symbol a reference names by default: SYMBOL of stored bars, else the file name's stem.
std::string DefaultSymbol(const DataRef& ref);

struct DataRequest {
  std::vector<DataRef> data;
  std::vector<std::string> symbols;  // one name per reference, or empty for the defaults
  engine::CsvOptions csv;
  // A single CSV file is parsed on a thread of its own, a batch ahead of the run
  // (engine::PrefetchingBarSource): reading and the engine use two cores. Same bars, same
  // errors.
  bool prefetch = true;
  // When set, CSV files go through the stage cache in this folder (engine::BarCache): parsed
  // once, then mapped. Same bars, same skips, same errors.
  std::string cache;
  // When set, each source reports how far it has read, for a progress bar: every
  // kProgressEvery bars it hands out, and at its end (or error), with the reference as the
  // user wrote it. Unset, sources are not wrapped: no cost per bar.
  std::function<void(const std::string& source, engine::ReadProgress)> progress;
};

inline constexpr std::uint64_t kProgressEvery = 65536;

struct OpenedData {
  std::vector<engine::SymbolInfo> symbols;
  std::vector<std::unique_ptr<engine::BarSource>> sources;  // sources[i] is symbols[i]
  std::vector<std::string> timeframes;  // per source: "1d", "intraday" or the stored TIMEFRAME
};

// One source per reference. Errors: a symbol count that does not match the references, a name
// given twice, empty or with control characters; a file that cannot be opened or lacks a
// required column; the database's errors (stored bars connect through `database`).
Result<OpenedData> OpenData(const DataRequest& request, Database& database);

// Every source's bars in memory, for searches. `skipped` receives the rows skipped under
// BadRowPolicy::kSkip and the first reason.
struct Skipped {
  std::int64_t rows = 0;
  std::string first;
};
Result<engine::MarketData> LoadMarketData(OpenedData& opened, Skipped& skipped);

// The rows `sources` skipped under BadRowPolicy::kSkip, and the first reason.
Skipped SkippedRows(const std::vector<std::unique_ptr<engine::BarSource>>& sources);

// A symbol name is not empty and holds no control character. Commas and quotes are fine: every
// CSV writer quotes them.
Result<void> CheckSymbolName(const std::string& name);

}  // namespace wyckoff::app
