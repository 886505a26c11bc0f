// Private to db/src: reading NUMERIC and timestamptz fields of a result row into engine types.
//
//   Decimal price = DecimalOf(row[7], "price");               // throws BadStoredValue
//   std::optional<Decimal> r = OptionalDecimalOf(row[8], "r_multiple");
//
// A stored value that the engine cannot represent (more than 12 fractional digits, beyond
// Decimal's range) throws BadStoredValue, which Guarded turns into a kDatabase Error naming the
// column and the value.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pg_time.h"
#include "wyckoff/core/decimal.h"

namespace wyckoff::db::internal {

class BadStoredValue : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline Decimal DecimalOf(const pqxx::field& field, std::string_view column) {
  auto value = Decimal::Parse(field.c_str());
  if (!value) {
    throw BadStoredValue("stored " + std::string(column) + " " + field.c_str() +
                         " is not a Decimal: " + value.error().message);
  }
  return *value;
}

inline std::optional<Decimal> OptionalDecimalOf(const pqxx::field& field, std::string_view column) {
  if (field.is_null()) return std::nullopt;
  return DecimalOf(field, column);
}

// A timestamptz selected as int8 microseconds (see pg_time.h).
inline Timestamp TimeOf(const pqxx::field& field) { return FromMicros(field.as<std::int64_t>()); }

inline std::optional<Timestamp> OptionalTimeOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return TimeOf(field);
}

template <typename T>
std::optional<T> OptionalOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<T>();
}

}  // namespace wyckoff::db::internal
