#include "wyckoff/detectors/features.h"

#include <algorithm>
#include <cmath>

namespace wyckoff::detectors {

EffortClass ClassifyEffort(double volume_ratio, double spread_ratio) {
  const double vr = volume_ratio;
  const double sr = spread_ratio;
  if (std::isnan(vr) || std::isnan(sr)) return EffortClass::kNormal;
  if ((vr >= 2.0 && sr >= 1.0) || (vr >= 1.5 && sr >= 1.5)) return EffortClass::kClimactic;
  if (vr >= 1.4 && sr <= 0.8) return EffortClass::kAbsorption;
  if (vr <= 0.6 && sr <= 0.8) return EffortClass::kNoDemand;
  return EffortClass::kNormal;
}

double ClosePosition(double high, double low, double close) {
  if (!(high > low)) return 0.5;
  return (close - low) / (high - low);
}

RollingMean::RollingMean(int window) : ring_(static_cast<std::size_t>(std::max(window, 1))) {}

void RollingMean::Push(double value) {
  const int size = static_cast<int>(ring_.size());
  if (count_ == size) sum_ -= ring_[head_];
  ring_[head_] = value;
  sum_ += value;
  head_ = head_ + 1 == size ? 0 : head_ + 1;
  if (count_ < size) ++count_;
  // Recompute once per lap so that add/subtract rounding cannot drift over long series.
  if (head_ == 0 && count_ == size) {
    double exact = 0;
    for (double v : ring_) exact += v;
    sum_ = exact;
  }
}

double RollingMean::Mean() const {
  if (!full()) return FeatureValues::kNaN;
  return sum_ / static_cast<double>(ring_.size());
}

RollingExtreme::RollingExtreme(int window, bool maximum)
    : ring_(static_cast<std::size_t>(std::max(window, 1) + 1)),
      window_(std::max(window, 1)),
      maximum_(maximum) {}

void RollingExtreme::Push(std::int64_t index, double value) {
  const int cap = static_cast<int>(ring_.size());
  // Drop entries that left the window, then those the new value dominates.
  while (size_ > 0 && ring_[front_].index <= index - window_) {
    front_ = (front_ + 1) % cap;
    --size_;
  }
  while (size_ > 0 && Dominates(value, ring_[(front_ + size_ - 1) % cap].value)) --size_;
  ring_[(front_ + size_) % cap] = {index, value};
  ++size_;
  ++pushed_;
}

double RollingExtreme::Value() const {
  return size_ == 0 ? FeatureValues::kNaN : ring_[front_].value;
}

double WilderAtr::Update(double high, double low, double close) {
  double tr = high - low;
  if (seen_ > 0) {
    tr = std::max({tr, std::fabs(high - prev_close_), std::fabs(low - prev_close_)});
  }
  prev_close_ = close;
  ++seen_;
  const double n = static_cast<double>(period_);
  if (seen_ < period_) {
    sum_ += tr;
  } else if (seen_ == period_) {
    atr_ = (sum_ + tr) / n;
  } else {
    atr_ = (atr_ * (n - 1) + tr) / n;
  }
  return atr_;
}

FeatureCalculator::FeatureCalculator(const DetectorParams& params)
    : volume_mean_(params.volume_window),
      spread_mean_(params.spread_window),
      atr_(params.atr_period) {}

const FeatureValues& FeatureCalculator::Update(const BarValues& bar) {
  FeatureValues& f = current_;
  ++f.index;
  f.spread = bar.high - bar.low;
  f.flat = !(bar.high > bar.low);
  f.has_volume = bar.volume > 0;
  // Ratios compare with the previous N bars: the current bar is excluded (rules page).
  const double mean_volume = volume_mean_.Mean();
  f.volume_ratio = mean_volume > 0 ? bar.volume / mean_volume : FeatureValues::kNaN;
  const double mean_spread = spread_mean_.Mean();
  f.spread_ratio = mean_spread > 0 ? f.spread / mean_spread : FeatureValues::kNaN;
  f.close_position = ClosePosition(bar.high, bar.low, bar.close);
  f.atr = atr_.Update(bar.high, bar.low, bar.close);
  f.effort = ClassifyEffort(f.volume_ratio, f.spread_ratio);
  f.prev_close = prev_close_;
  prev_close_ = bar.close;
  volume_mean_.Push(bar.volume);
  spread_mean_.Push(f.spread);
  return f;
}

bool SameFeatureParams(const DetectorParams& a, const DetectorParams& b) {
  return a.volume_window == b.volume_window && a.spread_window == b.spread_window &&
         a.atr_period == b.atr_period;
}

bool IsFeatureParam(std::string_view name) {
  return name == "volume_window" || name == "spread_window" || name == "atr_period";
}

FeatureSeries FeatureSeries::Compute(std::span<const Bar> bars,
                                     const DetectorParams* feature_params) {
  std::vector<BarValues> values;
  values.reserve(bars.size());
  for (const Bar& bar : bars) values.push_back(ToBarValues(bar));
  return FromValues(std::move(values), feature_params);
}

FeatureSeries FeatureSeries::FromValues(std::vector<BarValues> bars,
                                        const DetectorParams* feature_params) {
  FeatureSeries series;
  series.bars = std::move(bars);
  if (feature_params == nullptr) return series;
  series.params = *feature_params;
  FeatureCalculator calculator(*feature_params);
  series.features.reserve(series.bars.size());
  for (const BarValues& bar : series.bars) series.features.push_back(calculator.Update(bar));
  return series;
}

}  // namespace wyckoff::detectors
