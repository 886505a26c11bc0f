// CsvWriter: the one way every CSV file of the project is written (RFC 4180).
//
//   std::string text;
//   CsvWriter csv(text);
//   csv.Row({"time", "symbol", "price"});                  // a header
//   csv.Time(t, intraday).Text(symbol).Number(price).End();  // "2020-01-02,\"A,B\",10.5\n"
//
// A text field is quoted when it holds a comma, a double quote, a line break or leading or
// trailing spaces, with its quotes doubled; numbers never need quoting. Rows end with LF.
// Decimals print exactly, without trailing zeros. Nothing is allocated per field (to_chars and
// the text of Decimal and Timestamp written straight into the buffer).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "wyckoff/core/decimal.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::report {

class CsvWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit CsvWriter(std::string& out) : out_(out) {}

  CsvWriter& Text(std::string_view text);
  CsvWriter& Number(Decimal value);
  CsvWriter& Number(std::optional<Decimal> value);  // empty when none
  // A decimal with exactly `places` fractional digits, rounded half-even ("1.2500"); empty when
  // none.
  CsvWriter& Fixed(std::optional<Decimal> value, int places);
  CsvWriter& Number(std::int64_t value);
  CsvWriter& Number(std::uint64_t value);
  CsvWriter& Number(int value) { return Number(static_cast<std::int64_t>(value)); }
  // The shortest text that reads back as the double; empty when none or not finite.
  CsvWriter& Number(std::optional<double> value);
  CsvWriter& Number(double value) { return Number(std::optional<double>(value)); }
  // A double with up to 6 significant digits ("%.6g"); empty when none or not finite.
  CsvWriter& Significant(std::optional<double> value);
  // YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS when `intraday`.
  CsvWriter& Time(Timestamp time, bool intraday);
  // Two fields, YYYY-MM-DD and HH:MM:SS (the Date,Time layout of intraday bar files).
  CsvWriter& DateAndTime(Timestamp time);
  CsvWriter& Empty();
  // Fields already valid CSV (such as a row of another writer, without its line end).
  CsvWriter& Raw(std::string_view fields);
  // Ends the row.
  void End();
  // A whole row of text fields.
  void Row(std::initializer_list<std::string_view> fields);

 private:
  void Separate();

  std::string& out_;
  bool first_ = true;
  TimestampWriter times_;
};

// `text` as one CSV field: quoted (quotes doubled) when RFC 4180 or our reader's trimming of
// spaces needs it, else unchanged.
std::string CsvField(std::string_view text);

}  // namespace wyckoff::report
