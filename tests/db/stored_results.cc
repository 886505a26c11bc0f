#include "stored_results.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::db::testing {
namespace {

std::string Day(const std::optional<std::string>& micros) {
  return FormatTimestamp(std::stoll(micros.value_or("0")) * 1000, /*date_only=*/true);
}

std::string F(const std::optional<std::string>& field) { return field.value_or(""); }

// A CSV field as the report files write free text: quoted (quotes doubled) only when needed.
std::string Csv(const std::optional<std::string>& field) {
  const std::string text = F(field);
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<SqlRow> Rows(Connection& conn, const std::string& sql) {
  auto rows = ExecuteSql(conn, sql);
  EXPECT_TRUE(rows) << rows.error().message;
  return rows ? *rows : std::vector<SqlRow>{};
}

std::string Micros(const char* column) {
  return std::string("(EXTRACT(EPOCH FROM ") + column + ") * 1000000)::int8";
}

}  // namespace

std::string StoredTradesCsv(Connection& conn, std::int64_t run_id) {
  std::string out =
      "entry_time,exit_time,entry_price,exit_price,quantity,pnl,fees,bars_held,r_multiple,"
      "symbol,direction,tag\n";
  for (const SqlRow& r :
       Rows(conn, "SELECT " + Micros("entry_time") + ", " + Micros("exit_time") +
                      ", entry_price, exit_price, quantity, pnl, fees, bars_held, r_multiple, "
                      "symbol, side, tag FROM trades WHERE run_id = " +
                      std::to_string(run_id) + " ORDER BY trade_id")) {
    const std::string r_multiple = r[8] ? Decimal::Parse(*r[8])->ToString(4) : "";
    out += Day(r[0]) + "," + Day(r[1]) + "," + F(r[2]) + "," + F(r[3]) + "," + F(r[4]) + "," +
           F(r[5]) + "," + F(r[6]) + "," + F(r[7]) + "," + r_multiple + "," + F(r[9]) + "," +
           F(r[10]) + "," + F(r[11]) + "\n";
  }
  return out;
}

std::string StoredFillsCsv(Connection& conn, std::int64_t run_id) {
  std::string out = "time,symbol,order_id,side,quantity,price,commission,tag\n";
  for (const SqlRow& r : Rows(conn, "SELECT " + Micros("time") +
                                        ", symbol, order_id, side, quantity, price, commission, "
                                        "tag FROM fills WHERE run_id = " +
                                        std::to_string(run_id) + " ORDER BY fill_id")) {
    out += Day(r[0]) + "," + F(r[1]) + "," + F(r[2]) + "," + F(r[3]) + "," + F(r[4]) + "," +
           F(r[5]) + "," + F(r[6]) + "," + F(r[7]) + "\n";
  }
  return out;
}

std::string StoredOrdersCsv(Connection& conn, std::int64_t run_id) {
  std::string out =
      "id,submitted_at,symbol,side,type,quantity,limit_price,stop_price,filled,status,parent,"
      "tag,reason\n";
  for (const SqlRow& r :
       Rows(conn, "SELECT order_id, " + Micros("created_time") +
                      ", symbol, side, type, quantity, limit_price, stop_price, "
                      "filled_quantity, CASE WHEN status IN ('OPEN', 'PARTIALLY_FILLED') THEN "
                      "'WORKING' ELSE status END, parent_order_id, tag, reject_reason "
                      "FROM orders WHERE run_id = " +
                      std::to_string(run_id) + " ORDER BY order_id")) {
    out += F(r[0]) + "," + Day(r[1]) + "," + F(r[2]) + "," + F(r[3]) + "," + F(r[4]) + "," +
           F(r[5]) + "," + F(r[6]) + "," + F(r[7]) + "," + F(r[8]) + "," + F(r[9]) + "," +
           F(r[10]) + "," + F(r[11]) + "," + Csv(r[12]) + "\n";
  }
  return out;
}

std::string StoredEquityCsv(Connection& conn, std::int64_t run_id) {
  std::string out = "time,cash,equity\n";
  for (const SqlRow& r :
       Rows(conn, "SELECT " + Micros("time") + ", cash, equity FROM equity_points WHERE run_id = " +
                      std::to_string(run_id) + " ORDER BY time")) {
    out += Day(r[0]) + "," + F(r[1]) + "," + F(r[2]) + "\n";
  }
  return out;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace wyckoff::db::testing
