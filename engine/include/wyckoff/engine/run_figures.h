// A run's headline figures by name, in one list that both summary.json (report/) and the
// database's metrics column (db/) are made from, so the two cannot drift apart.
//
//   for (const RunFigure& f : RunFigures(run)) json[std::string(f.name)] = FigureJson<Json>(f);
//
// Money is exact (Decimal; an optional one is none when undefined), statistics are doubles
// (none when undefined, which JSON writes as null), counts are integers.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "wyckoff/engine/backtest_engine.h"

namespace wyckoff::engine {

struct RunFigure {
  std::string_view name;
  std::variant<Decimal, std::optional<Decimal>, std::optional<double>, std::int64_t> value;
};

// bars, steps, skipped_rows, closed_trades, the money (initial_cash ... expectancy), the
// statistics (total_return ... average_bars_held, drawdown amount and duration among them),
// then orders, rejected_orders and fills.
std::vector<RunFigure> RunFigures(const RunResult& run);

// The figure as a value of the JSON type `Json` (the engine names no JSON library): money as
// exact decimal text, statistics as numbers or null (undefined or not finite), counts as
// numbers.
template <typename Json>
Json FigureJson(const RunFigure& figure) {
  return std::visit(
      [](const auto& v) -> Json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Decimal>) {
          return v.ToString();
        } else if constexpr (std::is_same_v<T, std::optional<Decimal>>) {
          return v ? Json(v->ToString()) : Json(nullptr);
        } else if constexpr (std::is_same_v<T, std::optional<double>>) {
          return v && std::isfinite(*v) ? Json(*v) : Json(nullptr);
        } else {
          return Json(v);
        }
      },
      figure.value);
}

}  // namespace wyckoff::engine
