#include "wyckoff/strategies/wyckoff_strategy.h"

#include <cmath>

#include "wyckoff/core/error.h"
#include "wyckoff/engine/optimizer.h"
#include "wyckoff/strategies/pattern_records.h"

namespace wyckoff::strategies {
namespace {

using detectors::EventType;
using detectors::PatternEvent;

// A detector level (a double) as a price on the grid of `tick`: the nearest multiple, ties to
// even (nearbyint in the default floating-point environment); nullopt beyond the input limit.
std::optional<Decimal> OnTick(double level, Decimal tick) {
  // A tick of 10^-d scales by 10^d (exact as a double for d <= 12); any other tick divides.
  double steps = level / tick.ToDouble();
  double scale = 1;
  for (int d = 0; d <= Decimal::kScale; ++d, scale *= 10) {
    if (tick == Decimal::FromUnits(1, d)) {
      steps = level * scale;
      break;
    }
  }
  steps = std::nearbyint(steps);
  if (!std::isfinite(steps) || std::abs(steps) >= 9.2e18) return std::nullopt;
  const Result<Decimal> price = Decimal::CheckedMulInt(tick, static_cast<std::int64_t>(steps));
  if (!price || price->Abs() > kMaxInputMagnitude) return std::nullopt;
  return *price;
}

bool IsLongEntry(EventType t) {
  return t == EventType::kSpringTest || t == EventType::kSpring ||
         t == EventType::kLastPointOfSupport || t == EventType::kSignOfStrength;
}

// The mirrors in distribution: UTAD, LPSY, and SOW (tradeable only with trade_sos).
bool IsShortEntry(EventType t) {
  return t == EventType::kUpthrust || t == EventType::kLastPointOfSupply ||
         t == EventType::kSignOfWeakness;
}

}  // namespace

std::shared_ptr<const WyckoffInputs> PrecomputeWyckoffInputs(
    const engine::DataSlice& data, const detectors::DetectorParams* feature_params) {
  auto inputs = std::make_shared<WyckoffInputs>();
  for (std::size_t s = 0; s < data.symbols.size(); ++s) {
    inputs->symbols.push_back(data.symbols[s].name);
    // Decoded a bar at a time from the columns (no vector of bars per window), and turned into
    // bar values by the detectors' own ToBarValues.
    const engine::BarView& bars = data.bars[s];
    std::vector<detectors::BarValues> values(bars.size());
    Bar bar;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      bars.Get(i, bar);
      values[i] = detectors::ToBarValues(bar);
    }
    inputs->series.push_back(
        detectors::FeatureSeries::FromValues(std::move(values), feature_params));
  }
  return inputs;
}

WyckoffStrategy::WyckoffStrategy(const detectors::DetectorParams& params,
                                 const WyckoffInputs* inputs)
    : params_(params), inputs_(inputs) {
  events_.reserve(32);
}

void WyckoffStrategy::OnStart(const std::vector<engine::SymbolInfo>& symbols) {
  states_.clear();
  states_.resize(symbols.size());
  if (inputs_ != nullptr)
    WYCKOFF_CHECK(inputs_->symbols.size() == symbols.size(), "inputs of another slice");
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    State& s = states_[i];
    s.patterns = std::make_unique<detectors::PatternEngine>(params_, symbols[i].name);
    if (inputs_ == nullptr) continue;
    WYCKOFF_CHECK(inputs_->symbols[i] == symbols[i].name, "inputs of another slice");
    s.series = &inputs_->series[i];
    s.series_features =
        s.series->has_features() && detectors::SameFeatureParams(s.series->params, params_);
  }
}

int WyckoffStrategy::Detect(int symbol, const Bar& bar, std::int64_t index) {
  State& s = states_[symbol];
  s.last_time = bar.time;
  events_.clear();
  if (s.series == nullptr) return s.patterns->OnBar(bar, events_);
  const auto i = static_cast<std::size_t>(index);
  WYCKOFF_CHECK(i < s.series->bars.size() && s.series->bars[i].time == bar.time,
                "inputs of other bars");
  return s.series_features ? s.patterns->OnBar(s.series->bars[i], s.series->features[i], events_)
                           : s.patterns->OnBar(s.series->bars[i], events_);
}

void WyckoffStrategy::OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) {
  Detect(symbol, bar, index);
}

void WyckoffStrategy::OnBar(int symbol, const Bar& bar, std::int64_t index,
                            engine::StrategyContext& ctx) {
  if (Detect(symbol, bar, index) == 0) return;  // the common case
  if (!ctx.records_events()) {  // a search's run: the same orders, no records to build
    for (const PatternEvent& e : events_) Act(symbol, e, ctx);
    return;
  }
  for (const PatternEvent& e : events_) {
    engine::RunEvent record = ToRunEvent(e, symbol, params_);
    placed_ = 0;
    std::string status = Act(symbol, e, ctx);
    if (!status.empty()) SetSignalStatus(record, std::move(status));
    record.order = placed_;
    ctx.RecordEvent(std::move(record));
  }
}

std::string WyckoffStrategy::Act(int symbol, const PatternEvent& e, engine::StrategyContext& ctx) {
  State& s = states_[symbol];
  const Decimal held = ctx.position(symbol);
  if (e.type == EventType::kUpthrust && held.IsPositive() && e.range_id == s.trade_range) {
    ctx.CancelAll(symbol);
    ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kSell, held));
    s.trade_range = 0;
    return "EXIT: UTAD in the trade's range";
  }
  const bool long_entry = IsLongEntry(e.type);
  const bool short_entry = IsShortEntry(e.type);
  if (!long_entry && !short_entry) return "";
  if (!e.tradeable())
    return "SKIPPED: " + std::string(detectors::NotTradeableName(e.not_tradeable));
  if (short_entry && !ctx.allow_short()) return "SKIPPED: shorts need --allow-short";
  if (!held.IsZero() || ctx.HasWorkingOrders(symbol)) return "SKIPPED: already in a position";
  return Enter(symbol, e, ctx);
}

std::string WyckoffStrategy::Enter(int symbol, const PatternEvent& e,
                                   engine::StrategyContext& ctx) {
  const Decimal tick = ctx.tick(symbol);
  const std::optional<Decimal> entry_price = OnTick(e.entry, tick),
                               stop_price = OnTick(e.stop, tick),
                               target_price = OnTick(e.target, tick);
  if (!entry_price || !stop_price || !target_price) return "SKIPPED: levels beyond the price limit";
  const Decimal entry = *entry_price, stop = *stop_price, target = *target_price;
  const bool is_long = e.direction == detectors::Direction::kLong;
  if (is_long ? !(stop < entry && entry < target) : !(target < entry && entry < stop)) {
    return "SKIPPED: levels out of order";
  }
  const engine::Sizing& sizing = ctx.sizing();
  Decimal quantity = sizing.Quantity(ctx.equity(), entry, stop);
  const Result<Decimal> cash_units = Decimal::CheckedDiv(ctx.cash(), entry.Abs());
  const Decimal affordable =
      (cash_units ? Min(*cash_units, kMaxInputMagnitude) : kMaxInputMagnitude)
          .FloorToMultiple(sizing.lot_size);
  quantity = Min(quantity, affordable);
  if (!quantity.IsPositive()) return "SKIPPED: quantity rounds to zero";
  engine::OrderRequest order = engine::OrderRequest::Market(
      symbol, is_long ? engine::Side::kBuy : engine::Side::kSell, quantity);
  order.stop_loss = stop;
  order.take_profit = target;
  order.tag = detectors::EventTypeName(e.type);
  order.rank = e.confidence;  // simultaneous entries under --max-positions: best first
  placed_ = ctx.Submit(order);
  states_[symbol].trade_range = e.range_id;
  return "TRADED";
}

void WyckoffStrategy::OnEnd(engine::StrategyContext& ctx) {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const detectors::PatternEngine& p = *states_[i].patterns;
    if (!p.volume_missing()) continue;
    engine::RunEvent note;
    note.symbol = static_cast<int>(i);
    note.type = "NOTE";
    note.pattern_time = note.confirm_time = states_[i].last_time;
    note.details = {{"reason",
                     "every bar has volume 0: volume-gated patterns (SC, BC, ST, SPRING, SOS, LPS, "
                     "UTAD, SOW, LPSY) cannot be confirmed, so none were emitted"}};
    ctx.RecordEvent(std::move(note));
  }
}

}  // namespace wyckoff::strategies
