// PatternEngine: runs every Wyckoff detector for one symbol, bar by bar, and returns the events
// confirmed at each bar. One PatternEngine per symbol; it sees bars 0..t only.
//
//   PatternEngine patterns(params, "ORCL");
//   std::vector<PatternEvent> events;
//   events.reserve(16);                          // reused: no allocation per bar
//   for (const Bar& bar : bars) {
//     events.clear();
//     patterns.OnBar(bar, events);               // appends the events confirmed at this bar
//     for (const PatternEvent& e : events) strategy.OnEvent(e);
//   }
//   if (patterns.volume_missing()) std::cerr << "no volume: volume-gated patterns are off\n";
//
// Per bar, in this order: the bar interval (and time gaps, which cancel every pending
// candidate), the features, the trading range (pivots, levels, activation, downside breaks),
// the phases (climax, secondary test, A, B), Spring, SOS, LPS (or LPSY), UTAD, and last the
// upside exit of a range no SOS claimed. Events come out in that order. In a distribution range
// after its UTAD, the SOW is checked inside the range step, before the downside breaks (the
// mirror of the SOS before the upside exit), so an SOW comes out first.
//
// Invariants: Bars must come in strictly increasing time (the bar source validates this).
// Memory is fixed at construction; the steady state allocates nothing (an event's symbol is
// copied into the caller's buffer: short symbols stay in std::string's inline buffer).
// Volume 0 (index data) counts in the means but never passes a volume gate, so Spring, SOS,
// LPS, UTAD, SOW, LPSY, climaxes and secondary tests are simply not emitted; volume_missing()
// says so.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/detectors/features.h"
#include "wyckoff/detectors/lps_detector.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/detectors/pattern_event.h"
#include "wyckoff/detectors/phase_machine.h"
#include "wyckoff/detectors/sos_detector.h"
#include "wyckoff/detectors/spring_detector.h"
#include "wyckoff/detectors/trading_range.h"
#include "wyckoff/detectors/utad_detector.h"

namespace wyckoff::detectors {

class PatternEngine {
 public:
  // `params` should have passed ValidateParams; `symbol` is copied into every event.
  explicit PatternEngine(const DetectorParams& params, std::string symbol = {});
  PatternEngine(const PatternEngine&) = delete;  // holds a pointer to its own member
  PatternEngine& operator=(const PatternEngine&) = delete;

  // Processes the next bar and appends the events confirmed at it to `events` (which is not
  // cleared). Returns the number of events appended.
  int OnBar(const Bar& bar, std::vector<PatternEvent>& events);
  // The same for a bar already converted to doubles.
  int OnBar(const BarValues& bar, std::vector<PatternEvent>& events);
  // The same with the bar's features computed beforehand (FeatureSeries): `features` must be
  // what a FeatureCalculator with SameFeatureParams as this engine's gives for this bar of the
  // same series. The reference must stay valid until the next call.
  int OnBar(const BarValues& bar, const FeatureValues& features, std::vector<PatternEvent>& events);

  std::int64_t bars_seen() const { return bars_seen_; }
  // Bars with volume 0 so far.
  std::int64_t zero_volume_bars() const { return zero_volume_bars_; }
  // True when every bar so far had volume 0: volume-gated patterns cannot appear.
  bool volume_missing() const { return bars_seen_ > 0 && zero_volume_bars_ == bars_seen_; }
  // The multiplier of price percentages in use (1.0 daily ... 0.15 one-minute).
  double price_scale() const { return price_scale_; }
  // Time steps larger than time_gap_multiple x the median interval seen so far.
  std::int64_t time_gaps() const { return time_gaps_; }

  const DetectorParams& params() const { return params_; }
  const std::string& symbol() const { return symbol_; }
  const FeatureValues& features() const { return *features_now_; }
  // The held trading range, nullptr when none.
  const TradingRange* range() const { return tracker_.current(); }
  Phase phase() const { return phases_.phase(); }

 private:
  int Step(const BarValues& bar, std::vector<PatternEvent>& events);
  void UpdateClock(Timestamp time);
  void CancelCandidates();
  DetectorContext Context(const BarValues& bar) const;
  void RangeStep(const BarValues& bar, std::vector<PatternEvent>& out);
  void EmitRangeEnd(const BarValues& bar, const RangeUpdate& update, Phase before,
                    std::vector<PatternEvent>& out);
  void SpringStep(const BarValues& bar, std::vector<PatternEvent>& out);
  void SosStep(const BarValues& bar, std::vector<PatternEvent>& out);
  bool SowStep(const BarValues& bar, std::vector<PatternEvent>& out);
  void LpsStep(const BarValues& bar, std::vector<PatternEvent>& out);
  void UtadStep(const BarValues& bar, std::vector<PatternEvent>& out);
  void UpsideExitStep(const BarValues& bar, std::vector<PatternEvent>& out);

  static constexpr int kIntervalSamples = 16;

  const DetectorParams params_;
  const std::string symbol_;
  FeatureCalculator features_;                                // unused with given features
  const FeatureValues* features_now_ = &features_.current();  // the current bar's features
  TradingRangeTracker tracker_;
  PhaseMachine phases_;
  SpringDetector springs_;
  SosDetector sos_;
  LpsDetector lps_;
  UtadDetector utad_;

  std::int64_t bars_seen_ = 0;
  std::int64_t zero_volume_bars_ = 0;
  std::int64_t time_gaps_ = 0;
  Timestamp last_time_ = 0;
  std::array<Timestamp, kIntervalSamples> steps_{};
  int step_count_ = 0;
  Timestamp median_step_ = 0;
  double price_scale_ = 1.0;
};

}  // namespace wyckoff::detectors
