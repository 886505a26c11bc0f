#include <filesystem>
#include <iostream>

#include "commands.h"
#include "profiling.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::cli {
namespace {

using engine::Decimal;
using engine::ErrorCode;
using engine::Fail;
using engine::Result;

// Parses a user-given decimal option that must lie in (min, max] (or [min, max] when
// `min_inclusive`). Errors name the flag and the value.
Result<Decimal> DecimalOption(const char* flag, const std::string& text, Decimal min, Decimal max,
                              bool min_inclusive = false) {
  Result<Decimal> v = Decimal::Parse(text);
  bool in_range = v && (min_inclusive ? *v >= min : *v > min) && *v <= max;
  if (!in_range) {
    return Fail(ErrorCode::kInvalidArgument, std::string(flag) + " \"" + text +
                                                 "\" must be a number " +
                                                 (min_inclusive ? "from " : "above ") +
                                                 min.ToString() + " up to " + max.ToString());
  }
  return v;
}

int ExitCodeFor(const engine::Error& e) {
  return e.code == ErrorCode::kIo || e.code == ErrorCode::kDatabase ? kExitFailure : kExitBadInput;
}

int Report(const engine::Error& e) {
  std::cerr << "error: " << e.message << "\n";
  return ExitCodeFor(e);
}

Result<engine::EngineConfig> MakeConfig(const BacktestOptions& o) {
  engine::EngineConfig c;
  const Decimal zero, one = Decimal::FromInt(1), limit = engine::kMaxInputMagnitude;
  auto cash = DecimalOption("--cash", o.cash, zero, limit);
  if (!cash) return tl::unexpected(cash.error());
  c.initial_cash = *cash;
  auto lot = DecimalOption("--lot-size", o.lot_size, zero, limit);
  if (!lot) return tl::unexpected(lot.error());
  c.sizing.lot_size = c.broker.lot_size = *lot;
  if (!o.risk.empty() && !o.quantity.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "--quantity and --risk exclude each other");
  }
  if (!o.risk.empty()) {
    auto risk = DecimalOption("--risk", o.risk, zero, one);
    if (!risk) return tl::unexpected(risk.error());
    c.sizing.mode = engine::Sizing::Mode::kRiskFraction;
    c.sizing.risk_fraction = *risk;
  } else {
    auto qty = DecimalOption("--quantity", o.quantity.empty() ? "100" : o.quantity, zero, limit);
    if (!qty) return tl::unexpected(qty.error());
    c.sizing.quantity = *qty;
  }
  auto slippage = engine::ParseSlippage(o.slippage);
  if (!slippage) return tl::unexpected(slippage.error());
  c.broker.slippage = *slippage;
  auto commission = engine::ParseCommission(o.commission);
  if (!commission) return tl::unexpected(commission.error());
  c.broker.commission = *commission;
  auto intrabar = engine::ParseIntrabar(o.intrabar);
  if (!intrabar) return tl::unexpected(intrabar.error());
  c.broker.intrabar = *intrabar;
  if (!o.max_volume.empty()) {
    auto cap = DecimalOption("--max-volume", o.max_volume, zero, one);
    if (!cap) return tl::unexpected(cap.error());
    c.broker.max_volume_participation = *cap;
  }
  c.broker.allow_short = o.allow_short;
  return c;
}

Result<std::vector<engine::SymbolInfo>> MakeSymbols(const BacktestOptions& o) {
  if (!o.symbols.empty() && o.symbols.size() != o.data.size()) {
    return Fail(ErrorCode::kInvalidArgument, "--symbol was given " +
                                                 std::to_string(o.symbols.size()) + " times for " +
                                                 std::to_string(o.data.size()) + " --data files");
  }
  std::vector<engine::SymbolInfo> symbols;
  for (std::size_t i = 0; i < o.data.size(); ++i) {
    std::string name =
        o.symbols.empty() ? std::filesystem::path(o.data[i]).stem().string() : o.symbols[i];
    for (const auto& s : symbols) {
      if (s.name == name) {
        return Fail(ErrorCode::kInvalidArgument,
                    "symbol \"" + name + "\" is given twice; name the files with --symbol");
      }
    }
    symbols.push_back({name, false});
  }
  return symbols;
}

report::RunInfo MakeInfo(const BacktestOptions& o, const engine::EngineConfig& c,
                         strategies::ParamList params) {
  report::RunInfo info;
  info.strategy = o.strategy;
  info.params = std::move(params);
  info.data = o.data;
  info.settings = {{"cash", c.initial_cash.ToString()},
                   {"sizing", c.sizing.mode == engine::Sizing::Mode::kFixedQuantity
                                  ? "quantity:" + c.sizing.quantity.ToString()
                                  : "risk:" + c.sizing.risk_fraction.ToString()},
                   {"lot_size", c.sizing.lot_size.ToString()},
                   {"slippage", o.slippage},
                   {"commission", o.commission},
                   {"intrabar", o.intrabar},
                   {"max_volume", o.max_volume.empty() ? "none" : o.max_volume},
                   {"allow_short", o.allow_short ? "true" : "false"},
                   {"on_bad_row", o.on_bad_row}};
  return info;
}

}  // namespace

int RunBacktest(const BacktestOptions& o) {
  auto config = MakeConfig(o);
  if (!config) return Report(config.error());
  auto symbols = MakeSymbols(o);
  if (!symbols) return Report(symbols.error());
  strategies::ParamList given, resolved;
  for (const auto& p : o.params) {
    auto kv = strategies::ParseParam(p);
    if (!kv) return Report(kv.error());
    given.push_back(*kv);
  }
  auto strategy = strategies::MakeStrategy(o.strategy, given, config->sizing, &resolved);
  if (!strategy) return Report(strategy.error());

  engine::CsvOptions csv;
  csv.on_bad_row =
      o.on_bad_row == "skip" ? engine::BadRowPolicy::kSkip : engine::BadRowPolicy::kStop;
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  for (const auto& path : o.data) {
    auto source = engine::CsvBarSource::Open(path, csv);
    if (!source) return Report(source.error());
    sources.push_back(std::move(*source));
  }
  report::EquityCsvWriter equity;
  if (!o.out.empty()) {
    if (auto ok = equity.Open(o.out); !ok) return Report(ok.error());
  }
  engine::BacktestEngine engine(*config, *symbols, **strategy);
  ScopedProfiler profiler(o.profile);
  Result<engine::RunResult> run = engine.Run(sources, o.out.empty() ? nullptr : &equity);
  profiler.Stop();
  if (!run) {
    equity.Abandon();
    return Report(run.error());
  }
  const report::RunInfo info = MakeInfo(o, *config, resolved);
  if (!o.out.empty()) {
    if (auto ok = report::WriteReport(o.out, *run, info, equity); !ok) return Report(ok.error());
  }
  std::cout << (o.json ? report::SummaryJson(*run, info) : report::SummaryTable(*run, info));
  if (run->skipped_rows > 0) {
    std::string first;
    for (const auto& s : sources) {
      if (first.empty()) first = s->first_skip_reason();
    }
    std::cerr << "warning: skipped " << run->skipped_rows << " bad rows (first: " << first << ")\n";
  }
  return kExitOk;
}

}  // namespace wyckoff::cli
