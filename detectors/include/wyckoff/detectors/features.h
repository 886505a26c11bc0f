// Per-bar features with O(1) work per bar and no allocation after construction: volume and
// spread ratios (the current bar excluded from the mean), close position, Wilder ATR and the
// effort class; plus the rolling building blocks (ring-buffer mean, monotonic-deque extreme).
//
//   FeatureCalculator features(params);
//   for (const Bar& bar : bars) {
//     const FeatureValues& f = features.Update(ToBarValues(bar));
//     if (f.VolumeGateOpen() && f.volume_ratio >= 1.5) { ... }
//   }
//
// Undefined values are NaN (every comparison with NaN is false, so an undefined ratio never
// passes a gate); VolumeGateOpen() additionally refuses bars with volume 0.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

// The one-line adapter: analytics in floating point, accounting in fixed point.
struct BarValues {
  Timestamp time = 0;
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  double volume = 0;
};

inline BarValues ToBarValues(const Bar& bar) {
  return {bar.time,           bar.open.ToDouble(),  bar.high.ToDouble(),
          bar.low.ToDouble(), bar.close.ToDouble(), bar.volume.ToDouble()};
}

enum class EffortClass : std::uint8_t { kNormal, kClimactic, kAbsorption, kNoDemand };

// CLIMACTIC if (vr >= 2.0 and sr >= 1.0) or (vr >= 1.5 and sr >= 1.5); else ABSORPTION if
// vr >= 1.4 and sr <= 0.8; else NO_DEMAND if vr <= 0.6 and sr <= 0.8; else NORMAL. An undefined
// ratio (NaN) gives NORMAL.
EffortClass ClassifyEffort(double volume_ratio, double spread_ratio);

// (close - low) / (high - low); 0.5 for a flat bar (high == low).
double ClosePosition(double high, double low, double close);

struct FeatureValues {
  std::int64_t index = -1;     // bar index, from 0
  double volume_ratio = kNaN;  // volume / mean of the previous N volumes
  double spread = 0;           // high - low
  double spread_ratio = kNaN;  // spread / mean of the previous N spreads
  double close_position = 0.5;
  double atr = kNaN;         // defined from the atr_period-th bar on
  double prev_close = kNaN;  // close of the previous bar
  EffortClass effort = EffortClass::kNormal;
  bool flat = false;        // high == low
  bool has_volume = false;  // volume > 0

  // True when a volume threshold may be applied: the ratio is defined and the bar traded.
  bool VolumeGateOpen() const { return has_volume && !std::isnan(volume_ratio); }

  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
};

// Mean of the last `window` values pushed, with a running sum. The sum is recomputed from the
// ring each time the ring wraps, so rounding errors do not accumulate (amortised O(1)).
class RollingMean {
 public:
  explicit RollingMean(int window);
  void Push(double value);
  bool full() const { return count_ == static_cast<int>(ring_.size()); }
  // Mean of the last `window` values; NaN until `window` values were pushed.
  double Mean() const;

 private:
  std::vector<double> ring_;
  int head_ = 0;
  int count_ = 0;
  double sum_ = 0;
};

// The maximum (or minimum) of the last `window` values, with a monotonic deque kept in a
// preallocated ring: amortised O(1) per push.
class RollingExtreme {
 public:
  RollingExtreme(int window, bool maximum);
  void Push(std::int64_t index, double value);
  // The extreme of the window ending at the last pushed index; NaN before any push.
  double Value() const;
  bool full() const { return pushed_ >= window_; }

 private:
  struct Entry {
    std::int64_t index;
    double value;
  };
  bool Dominates(double a, double b) const { return maximum_ ? a >= b : a <= b; }
  std::vector<Entry> ring_;  // capacity window + 1; entries [front_, front_ + size_)
  int window_;
  bool maximum_;
  int front_ = 0;
  int size_ = 0;
  std::int64_t pushed_ = 0;
};

// Wilder's average true range: the mean of the first `period` true ranges, then
// atr = (atr * (period - 1) + tr) / period. The first bar's true range is high - low.
class WilderAtr {
 public:
  explicit WilderAtr(int period) : period_(period) {}
  // Adds a bar and returns the ATR, NaN while fewer than `period` bars were seen.
  double Update(double high, double low, double close);
  double value() const { return atr_; }

 private:
  int period_;
  int seen_ = 0;
  double sum_ = 0;
  double prev_close_ = 0;
  double atr_ = std::numeric_limits<double>::quiet_NaN();
};

// All per-bar features of one symbol. Invariant: Update is called once per bar, in order.
class FeatureCalculator {
 public:
  explicit FeatureCalculator(const DetectorParams& params);
  // Computes the features of the next bar (ratios against the previous bars, then the bar is
  // added to the windows) and returns them; the reference stays valid until the next call.
  const FeatureValues& Update(const BarValues& bar);
  const FeatureValues& current() const { return current_; }

 private:
  RollingMean volume_mean_;
  RollingMean spread_mean_;
  WilderAtr atr_;
  FeatureValues current_;
  double prev_close_ = FeatureValues::kNaN;
};

// True when `a` and `b` give the same features: they agree on the parameters FeatureCalculator
// reads (volume_window, spread_window, atr_period).
bool SameFeatureParams(const DetectorParams& a, const DetectorParams& b);
// The names of those parameters, as SetParam knows them.
bool IsFeatureParam(std::string_view name);

// One symbol's bars as doubles and, optionally, the features of every bar, computed once and
// read by many PatternEngines (a parameter search shares them across its combinations). The
// features of bar i depend on bars 0..i only, as FeatureCalculator's would: reading entry i at
// bar i sees nothing later.
struct FeatureSeries {
  std::vector<BarValues> bars;
  std::vector<FeatureValues> features;  // empty, or one per bar
  DetectorParams params;                // the feature parameters `features` was computed with

  // `feature_params` null: the bar values only.
  static FeatureSeries Compute(std::span<const Bar> bars, const DetectorParams* feature_params);
  // The same from bar values already made (ToBarValues of each bar), which it keeps.
  static FeatureSeries FromValues(std::vector<BarValues> bars,
                                  const DetectorParams* feature_params);
  bool has_features() const { return !features.empty(); }
};

}  // namespace wyckoff::detectors
