// `db import` as a function: the bars of one CSV file stored in PostgreSQL, all or nothing.
#pragma once

#include <string>

#include "wyckoff/app/data.h"
#include "wyckoff/app/database.h"
#include "wyckoff/db/bars.h"

namespace wyckoff::app {

struct ImportRequest {
  std::string file;    // a CSV file of bars
  std::string symbol;  // empty: the file name's stem
  std::string timeframe;
  bool replace = false;  // overwrite bars already stored
  engine::CsvOptions csv;
  DatabaseOptions database;
  // How far the file has been read (DataRequest::progress); the COPY into the database follows.
  std::function<void(const std::string& source, engine::ReadProgress)> progress;
};

struct ImportOutcome {
  db::ImportSummary summary;
  std::string symbol;
  std::int64_t bars = 0;
  bool intraday = false;
  Skipped skipped;
};

// Errors: an empty timeframe or a bad symbol name; the file's; the database's (bars already
// stored without `replace`, a refused write).
Result<ImportOutcome> RunImport(const ImportRequest& request);

}  // namespace wyckoff::app
