// The flags backtest, optimize and walk-forward share, turned into the typed parts of their
// requests: the data, the strategy with its parameters, the engine settings and their echo.
//
//   Result<engine::EngineConfig> config = MakeConfig(options);   // errors name the flag
//   if (!config) return ReportError(config.error());
//   Result<app::DataRequest> data = DataRequestOf(options);
//   Result<StrategyChoice> strategy = StrategyOf(options);       // parameters parsed here
#pragma once

#include <string>

#include "commands.h"
#include "wyckoff/app/data.h"
#include "wyckoff/app/database.h"
#include "wyckoff/core/params.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {

// Parses a user-given decimal option that must lie in (min, max] (or [min, max] when
// `min_inclusive`). Errors name the flag and the value.
Result<Decimal> DecimalOption(const char* flag, const std::string& text, Decimal min, Decimal max,
                              bool min_inclusive = false);

// The engine configuration of `o`'s cash, sizing and broker flags. Errors name the flag:
// values out of range, --quantity with --risk, a bad model spec.
Result<engine::EngineConfig> MakeConfig(const BacktestOptions& o);

// The settings summary.json, the summary table and the database echo: cash, sizing, models, ...
std::vector<std::pair<std::string, std::string>> SettingsOf(const BacktestOptions& o,
                                                            const engine::EngineConfig& c);

// --data, --symbol, --on-bad-row, --allow-nonpositive-prices, --cache. Errors: a --symbol
// count that does not match --data, a malformed postgresql: source.
Result<app::DataRequest> DataRequestOf(const std::vector<std::string>& data,
                                       const std::vector<std::string>& symbols,
                                       const std::string& on_bad_row, bool allow_nonpositive_prices,
                                       const std::string& cache);

// --db, --actor and whether --db was given (store the run).
app::DatabaseOptions DatabaseOf(const BacktestOptions& o);

struct StrategyChoice {
  const strategies::StrategyType* type;
  ParamValues params;  // --param settings applied, rules checked
};
// --strategy and --param. Errors: an unknown strategy or parameter, a value out of its domain,
// the parameters' rules (fast < slow).
Result<StrategyChoice> StrategyOf(const std::string& strategy,
                                  const std::vector<std::string>& params);

}  // namespace wyckoff::cli
