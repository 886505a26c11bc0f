// A stored run's results printed as the report files print them (trades.csv, fills.csv,
// orders.csv, equity.csv of daily data), so that tests compare the database with `--out`
// byte for byte: the exact decimal text and the times.
//
//   EXPECT_EQ(StoredTradesCsv(conn, run_id), Slurp(out / "trades.csv"));
//
// Differences the report files have from the store, undone here: trades.csv rounds the
// R-multiple to 4 places; orders.csv says WORKING where the store says OPEN or
// PARTIALLY_FILLED. A query failure fails the test.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "wyckoff/db/connection.h"

namespace wyckoff::db::testing {

std::string StoredTradesCsv(Connection& conn, std::int64_t run_id);
std::string StoredFillsCsv(Connection& conn, std::int64_t run_id);
std::string StoredOrdersCsv(Connection& conn, std::int64_t run_id);
std::string StoredEquityCsv(Connection& conn, std::int64_t run_id);

// The whole content of a file ("" when it cannot be read).
std::string Slurp(const std::filesystem::path& path);

}  // namespace wyckoff::db::testing
