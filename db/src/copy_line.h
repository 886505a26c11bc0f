// Private to db/src: one row of COPY ... FROM STDIN, built field by field into reused strings.
//
//   CopyRow<4> row;
//   row.Clear().Int(run_id).Text(symbol).Time(t).Decimal(price).Null();
//   stream << row.fields();        // pqxx::stream_to escapes the text and writes \N for NULL
//
// Decimals travel as their exact text, so NUMERIC columns store exactly what the engine
// computed. (libpqxx 6.4's stream_to takes tuple-like rows only, hence the fixed N.)
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "pg_time.h"
#include "wyckoff/core/decimal.h"
#include "wyckoff/core/error.h"

namespace wyckoff::db::internal {

// The shortest text that reads back as `v` ("0.1", "1e-05"); NaN and infinities as PostgreSQL
// spells them in NUMERIC ("NaN", "Infinity", "-Infinity").
inline std::string DoubleText(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

// One field of a COPY row: text, or NULL.
struct CopyField {
  std::string text;
  bool null = false;
};

// A row of N fields, filled left to right and written with `stream << row.fields()`.
template <std::size_t N>
class CopyRow {
 public:
  CopyRow& Clear() {
    next_ = 0;
    return *this;
  }
  CopyRow& Null() {
    Next().null = true;
    return *this;
  }
  CopyRow& Text(std::string_view value) {
    Next().text.assign(value);
    return *this;
  }
  // Empty text as NULL.
  CopyRow& TextOrNull(std::string_view value) { return value.empty() ? Null() : Text(value); }
  CopyRow& Int(std::int64_t value) { return Text(std::to_string(value)); }
  // A timestamptz, as PgTimestamp writes it (without allocating).
  CopyRow& Time(Timestamp t) {
    char text[kPgTimestampChars];
    return Text(std::string_view(text, times_.Write(text, t)));
  }
  CopyRow& Decimal(const wyckoff::Decimal& value) { return Text(value.ToString()); }
  CopyRow& Decimal(const std::optional<wyckoff::Decimal>& value) {
    return value ? Decimal(*value) : Null();
  }
  CopyRow& Double(double value) { return Text(DoubleText(value)); }

  // The row, once all N fields are set.
  const std::array<CopyField, N>& fields() const {
    WYCKOFF_CHECK(next_ == N, "a COPY row was written with fields missing");
    return fields_;
  }

 private:
  CopyField& Next() {
    WYCKOFF_CHECK(next_ < N, "a COPY row was given more fields than it has columns");
    CopyField& field = fields_[next_++];
    field.null = false;
    return field;
  }

  std::array<CopyField, N> fields_;
  std::size_t next_ = 0;
  PgTimestampWriter times_;
};

}  // namespace wyckoff::db::internal

// libpqxx's conversion of a CopyField, which stream_to escapes for the text format.
template <>
struct pqxx::string_traits<wyckoff::db::internal::CopyField> {
  using CopyField = wyckoff::db::internal::CopyField;
  static constexpr const char* name() noexcept { return "CopyField"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const CopyField& field) { return field.null; }
  static CopyField null() { return CopyField{"", true}; }
  static void from_string(const char text[], CopyField& field) { field = CopyField{text, false}; }
  static std::string to_string(const CopyField& field) { return field.text; }
};
