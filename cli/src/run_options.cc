#include "run_options.h"

#include "progress.h"
#include "sources.h"

namespace wyckoff::cli {

Result<Decimal> DecimalOption(const char* flag, const std::string& text, Decimal min, Decimal max,
                              bool min_inclusive) {
  Result<Decimal> v = Decimal::Parse(text);
  if (!v) return Fail(ErrorCode::kInvalidArgument, std::string(flag) + ": " + v.error().message);
  bool in_range = (min_inclusive ? *v >= min : *v > min) && *v <= max;
  if (!in_range) {
    return Fail(ErrorCode::kInvalidArgument, std::string(flag) + " " + Quoted(text) +
                                                 " must be a number " +
                                                 (min_inclusive ? "from " : "above ") +
                                                 min.ToString() + " up to " + max.ToString());
  }
  return v;
}

Result<engine::EngineConfig> MakeConfig(const BacktestOptions& o) {
  engine::EngineConfig c;
  const Decimal zero, one = Decimal::FromInt(1), limit = kMaxInputMagnitude;
  auto cash = DecimalOption("--cash", o.cash, zero, limit);
  if (!cash) return tl::unexpected(cash.error());
  c.initial_cash = *cash;
  auto lot = DecimalOption("--lot-size", o.lot_size, zero, limit);
  if (!lot) return tl::unexpected(lot.error());
  c.sizing.lot_size = c.broker.lot_size = *lot;
  if (!o.tick_size.empty()) {
    auto tick = DecimalOption("--tick-size", o.tick_size, zero, limit);
    if (!tick) return tl::unexpected(tick.error());
    c.tick_size = *tick;
  }
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
  c.broker.allow_nonpositive_prices = o.allow_nonpositive_prices;
  c.max_positions = o.max_positions;
  return c;
}

std::vector<std::pair<std::string, std::string>> SettingsOf(const BacktestOptions& o,
                                                            const engine::EngineConfig& c) {
  return {{"cash", c.initial_cash.ToString()},
          {"sizing", c.sizing.mode == engine::Sizing::Mode::kFixedQuantity
                         ? "quantity:" + c.sizing.quantity.ToString()
                         : "risk:" + c.sizing.risk_fraction.ToString()},
          {"lot_size", c.sizing.lot_size.ToString()},
          {"tick_size", c.tick_size ? c.tick_size->ToString() : "data"},
          {"slippage", o.slippage},
          {"commission", o.commission},
          {"intrabar", o.intrabar},
          {"max_positions", o.max_positions == 0 ? "none" : std::to_string(o.max_positions)},
          {"max_volume", o.max_volume.empty() ? "none" : o.max_volume},
          {"allow_short", o.allow_short ? "true" : "false"},
          {"on_bad_row", o.on_bad_row}};
}

Result<app::DataRequest> DataRequestOf(const std::vector<std::string>& given,
                                       const std::vector<std::string>& symbols,
                                       const std::string& on_bad_row, bool allow_nonpositive_prices,
                                       const std::string& cache) {
  auto expanded = app::ExpandDataArgs(given);
  if (!expanded) return tl::unexpected(expanded.error());
  const std::vector<std::string>& data = *expanded;
  if (!symbols.empty() && symbols.size() != data.size()) {
    return Fail(ErrorCode::kInvalidArgument, "--symbol was given " +
                                                 std::to_string(symbols.size()) + " times for " +
                                                 std::to_string(data.size()) + " --data files");
  }
  app::DataRequest request;
  request.symbols = symbols;
  request.csv = CsvOptionsOf(on_bad_row, allow_nonpositive_prices);
  request.cache = cache;
  request.progress = ReadingProgress("reading");
  for (const std::string& text : data) {
    auto ref = app::ParseDataRef(text);
    if (!ref) return tl::unexpected(ref.error());
    request.data.push_back(std::move(*ref));
  }
  return request;
}

app::DatabaseOptions DatabaseOf(const BacktestOptions& o) {
  return {.url = o.db, .store = o.db_given, .actor = o.actor};
}

Result<StrategyChoice> StrategyOf(const std::string& strategy,
                                  const std::vector<std::string>& params) {
  auto type = strategies::FindStrategy(strategy);
  if (!type) return tl::unexpected(type.error());
  ParamValues values = (*type)->schema().Defaults();
  if (auto ok = ApplySettings(values, params); !ok) return tl::unexpected(ok.error());
  if (auto ok = (*type)->schema().Check(values); !ok) return tl::unexpected(ok.error());
  return StrategyChoice{*type, std::move(values)};
}

}  // namespace wyckoff::cli
