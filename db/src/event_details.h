// Private to db/src: a RunEvent's details as the database stores them.
//
//   line.Text(DetailsJson(e));                       // the details column (JSONB)
//   line.Decimal(DecimalDetail(e, "stop"));          // a NUMERIC column, NULL when absent
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "wyckoff/core/decimal.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::db::internal {

// Every detail as a JSON object of texts, in the event's order.
inline std::string DetailsJson(const engine::RunEvent& e) {
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  engine::DetailValue::Buffer buffer;
  for (const auto& [key, value] : e.details) details[key] = value.View(buffer);
  return details.dump();
}

// The detail `name` when its text is an exact decimal; nullopt when absent, empty or not one.
inline std::optional<Decimal> DecimalDetail(const engine::RunEvent& e, std::string_view name) {
  engine::DetailValue::Buffer buffer;
  auto value = Decimal::Parse(e.DetailView(name, buffer));
  return value ? std::optional<Decimal>(*value) : std::nullopt;
}

}  // namespace wyckoff::db::internal
