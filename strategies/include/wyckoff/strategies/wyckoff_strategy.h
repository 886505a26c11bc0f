// WyckoffStrategy: trades the detectors' signals with bracket orders.
//
// Per symbol, one PatternEngine sees the bars in order; at the close of bar t the strategy
// reads the events confirmed at t and decides, so its orders fill at t+1 at the earliest:
// - long on a tradeable SPRING_TEST (a tested spring; a bare SPRING when
//   spring_needs_test=false) or LPS (and SOS with trade_sos=true), when flat with no working
//   orders: a market entry with the event's stop and target as one-cancels-other exits;
// - exit a long on its stop, its target, or a UTAD in the range the trade came from (the
//   exits are cancelled and the position sold at the next open);
// - with --allow-short, short on a tradeable UTAD or LPSY (distribution ranges only; and SOW
//   with trade_sos=true), same brackets.
// Quantity: the run's sizing (fixed, or risk fraction over entry - stop, using the event's
// reference entry), capped at what the cash can pay at that price. Detector levels (doubles)
// become prices on the instrument's tick (StrategyContext::tick), rounded half-even. Every detector
// event is recorded in the run's events with what was done with it; on data without volume a NOTE
// says why no volume-gated pattern appears.
//
// In a parameter search, what does not depend on the searched parameters is computed once per
// data slice (PrecomputeWyckoffInputs) and lent to every combination's strategy: the bars as
// doubles and, when the combination's feature parameters match, the detector features.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {
struct DataSlice;
}

namespace wyckoff::strategies {

// Every symbol's FeatureSeries over one data slice, shared read-only by the strategies of a
// search over that slice.
struct WyckoffInputs final : engine::SharedInputs {
  std::vector<std::string> symbols;
  std::vector<detectors::FeatureSeries> series;  // series[s] belongs to symbols[s]
};

// The inputs of `data`: bar values always, features too when `feature_params` is given (null
// when a feature parameter is searched, so no single feature series fits every combination).
std::shared_ptr<const WyckoffInputs> PrecomputeWyckoffInputs(
    const engine::DataSlice& data, const detectors::DetectorParams* feature_params);

class WyckoffStrategy final : public engine::Strategy {
 public:
  // `params` must have passed detectors::ValidateParams. `inputs`, when given, must outlive
  // the strategy and be computed from the bars the run replays (same symbols, same bars in
  // the same order; checked per bar); its features are used only when they were computed
  // with the same feature parameters as `params`.
  explicit WyckoffStrategy(const detectors::DetectorParams& params,
                           const WyckoffInputs* inputs = nullptr);
  void OnStart(const std::vector<engine::SymbolInfo>& symbols) override;
  void OnBar(int symbol, const Bar& bar, std::int64_t index, engine::StrategyContext& ctx) override;
  void OnEnd(engine::StrategyContext& ctx) override;
  // Runs the detectors and drops their events: ranges and phases form, nothing is traded.
  void OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) override;

 private:
  struct State {
    std::unique_ptr<detectors::PatternEngine> patterns;
    const detectors::FeatureSeries* series = nullptr;  // precomputed inputs, if any
    bool series_features = false;                      // and their features fit
    std::int64_t trade_range = 0;                      // range id of the open trade's signal
    Timestamp last_time = 0;
  };
  // Runs the symbol's detectors over the bar into events_; returns how many events.
  int Detect(int symbol, const Bar& bar, std::int64_t index);
  // Acts on one event; returns the status recorded with a trade signal ("" otherwise).
  std::string Act(int symbol, const detectors::PatternEvent& e, engine::StrategyContext& ctx);
  std::string Enter(int symbol, const detectors::PatternEvent& e, engine::StrategyContext& ctx);

  detectors::DetectorParams params_;
  const WyckoffInputs* inputs_;
  std::vector<State> states_;
  std::vector<detectors::PatternEvent> events_;  // reused every bar
  engine::OrderId placed_ = 0;                   // the entry the current event placed
};

}  // namespace wyckoff::strategies
