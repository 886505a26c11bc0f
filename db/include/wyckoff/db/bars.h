// Bars in PostgreSQL: `wyckoff db import` writes them, `--data postgresql:SYMBOL:TIMEFRAME`
// reads them back.
//
//   std::vector<Bar> bars = ...;                     // from a CSV BarSource
//   Result<ImportSummary> s = ImportBars(conn, "ORCL", "1d", bars, {.actor = "alice"});
//   Result<std::vector<Bar>> back =
//       LoadBars(conn, "ORCL", "1d", *ParseDate("2000-01-01"),
//                *ParseDate("2001-01-01"));            // all of 2000
//
// A backtest reads them through a BarSource:
//
//   Result<std::optional<StoredBars>> ref = ParseStoredBars("postgresql:ORCL:1d");
//   Result<std::unique_ptr<engine::BarSource>> source = OpenStoredBars(conn, **ref);
//
// Prices and volumes go in as Decimal's exact text into NUMERIC columns and come back equal:
// no value passes through binary floating point. PostgreSQL keeps times to the microsecond,
// so ImportBars refuses a bar whose time has nanosecond digits rather than round it.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/error.h"
#include "wyckoff/core/timestamp.h"
#include "wyckoff/db/connection.h"
#include "wyckoff/engine/bar_source.h"

namespace wyckoff::db {

// What ImportBars does with a bar whose (symbol, timeframe, time) is already stored.
enum class OnConflict {
  kFail,     // import nothing and say how many bars exist already (the default)
  kReplace,  // overwrite the stored bars with the new ones
};

struct ImportOptions {
  OnConflict on_conflict = OnConflict::kFail;
  std::string actor;  // recorded in the audit log; empty: OsUser()
  BarRules rules;     // the bar rules of engine/bar.h, as for any bar input
};

struct ImportSummary {
  std::int64_t inserted = 0;  // bars that were not stored before
  std::int64_t replaced = 0;  // stored bars overwritten (OnConflict::kReplace only)
  Timestamp first = 0;
  Timestamp last = 0;
  std::int64_t audit_id = 0;  // the `bars.imported` audit entry
};

// Stores `bars` of one symbol and timeframe with COPY, and its `bars.imported` audit entry, in
// one transaction: all of them or, on any error, none.
// Errors:
//   kInvalidArgument  empty symbol, timeframe or bar list; times not strictly increasing; a
//                     time with nanosecond digits; a bar that breaks CheckBar's rules
//                     under options.rules (each names the bar's time and the values)
//   kDatabase         with OnConflict::kFail, bars already stored (`5036 of 5036 bars of ORCL
//                     1d are already stored, the first at 1995-01-03 00:00:00; ...`); the
//                     database refused or failed (the server's message)
Result<ImportSummary> ImportBars(Connection& conn, std::string_view symbol,
                                 std::string_view timeframe, const std::vector<Bar>& bars,
                                 const ImportOptions& options = {});

// The stored bars of `symbol` and `timeframe` with from <= time < to, in time order; all of
// them with the default bounds. An unknown symbol gives an empty list, not an error. Served by
// the primary key index bars_symbol_timeframe_time_key.
// Errors: kDatabase (the server's message, or a stored value Decimal cannot represent).
Result<std::vector<Bar>> LoadBars(Connection& conn, std::string_view symbol,
                                  std::string_view timeframe,
                                  Timestamp from = std::numeric_limits<Timestamp>::min(),
                                  Timestamp to = std::numeric_limits<Timestamp>::max());

// The stored bars a `--data` value names: `postgresql:SYMBOL:TIMEFRAME`.
struct StoredBars {
  std::string symbol;
  std::string timeframe;
};

// The prefix of a `--data` value that names stored bars.
inline constexpr std::string_view kStoredBarsPrefix = "postgresql:";

// Parses a `--data` value. std::nullopt when it does not start with `postgresql:` (a file).
// Errors: kInvalidArgument for `postgresql:` values that are not `postgresql:SYMBOL:TIMEFRAME`
// with both parts non-empty (a `postgresql://` URL belongs in --db).
Result<std::optional<StoredBars>> ParseStoredBars(std::string_view data);

// A BarSource over the stored bars of `bars.symbol` and `bars.timeframe`, in time order; its
// bars are intraday when any of them is not at midnight UTC. The bars are read when it opens
// (one query, served by the primary key), so the source holds them in memory and the
// connection is free again for the run's results.
// Errors: kNotFound when no such bars are stored (`no bars of ORCL 1d are stored ...`);
// kDatabase as LoadBars.
Result<std::unique_ptr<engine::BarSource>> OpenStoredBars(Connection& conn, const StoredBars& bars);

}  // namespace wyckoff::db
