// Engine settings from the flags that backtest, optimize and walk-forward share (cash, sizing,
// slippage, commission, intrabar policy, volume cap, shorts), and their echo in report files.
//
//   Result<engine::EngineConfig> config = MakeConfig(options);   // errors name the flag
//   if (!config) return ReportError(config.error());
//   report::RunInfo info = MakeInfo(options, *config, resolved_params);
#pragma once

#include <string>

#include "commands.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"

namespace wyckoff::cli {

// Parses a user-given decimal option that must lie in (min, max] (or [min, max] when
// `min_inclusive`). Errors name the flag and the value.
Result<Decimal> DecimalOption(const char* flag, const std::string& text, Decimal min, Decimal max,
                              bool min_inclusive = false);

// The engine configuration of `o`'s cash, sizing and broker flags. Errors name the flag:
// values out of range, --quantity with --risk, a bad model spec.
Result<engine::EngineConfig> MakeConfig(const BacktestOptions& o);

// What summary.json and the summary table echo: the strategy, its resolved `params`, the data
// files and the settings.
report::RunInfo MakeInfo(const BacktestOptions& o, const engine::EngineConfig& c,
                         engine::ParamList params);

}  // namespace wyckoff::cli
