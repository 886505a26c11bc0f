#include "wyckoff/detectors/trading_range.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace wyckoff::detectors {
namespace {

// The trend into a range decides its kind when no climax did: an EMA of the close above the
// range's middle means price came down into it (accumulation). 50 bars: long enough to still
// remember the approach when the range is recognised 15-40 bars after it started.
constexpr int kTrendEmaBars = 50;

// Only the first n pivots' entries and the first `clusters` clusters' are written and read:
// the arrays are left uninitialised, since zeroing all 64 entries of each cost more than
// clustering the usual 12 pivots (pivot_memory).
struct Clustering {
  std::array<int, kMaxPivotMemory> cluster_of;
  std::array<double, kMaxPivotMemory> mean;
  std::array<int, kMaxPivotMemory> count;
  int clusters = 0;
};

Clustering Greedy(const Pivot* pivots, int n, double tolerance) {
  std::array<int, kMaxPivotMemory> order;  // the first n only, as in Clustering
  std::iota(order.begin(), order.begin() + n, 0);
  std::sort(order.begin(), order.begin() + n, [pivots](int a, int b) {
    return pivots[a].price != pivots[b].price ? pivots[a].price < pivots[b].price
                                              : pivots[a].index < pivots[b].index;
  });
  Clustering c;
  for (int k = 0; k < n; ++k) {
    const int i = order[k];
    const double price = pivots[i].price;
    const int last = c.clusters - 1;
    if (c.clusters == 0 || std::fabs(price - c.mean[last]) > tolerance * c.mean[last]) {
      c.mean[c.clusters] = price;
      c.count[c.clusters] = 1;
      c.cluster_of[i] = c.clusters++;
    } else {
      c.mean[last] += (price - c.mean[last]) / (c.count[last] + 1);
      ++c.count[last];
      c.cluster_of[i] = last;
    }
  }
  return c;
}

// Later-half volume against earlier-half volume, mapped to 0..1 (1: halved or less).
double DryUp(const Pivot* pivots, int n, const Clustering& c, int which) {
  const int members = c.count[which];
  const int half = members / 2;
  if (half == 0) return 0;
  double early = 0;
  double late = 0;
  int seen = 0;
  for (int i = 0; i < n; ++i) {
    if (c.cluster_of[i] != which) continue;
    if (seen < half) early += pivots[i].volume;
    if (seen >= members - half) late += pivots[i].volume;
    ++seen;
  }
  if (!(early > 0)) return 0;
  return std::clamp((1.0 - late / early) / 0.5, 0.0, 1.0);
}

PivotCluster Describe(const Pivot* pivots, int n, const Clustering& c, int which,
                      double level_tolerance) {
  PivotCluster out;
  out.count = c.count[which];
  out.mean = c.mean[which];
  double var = 0, wsum = 0, vsum = 0, plain = 0;
  int near = 0;
  bool first = true;
  for (int i = 0; i < n; ++i) {
    if (c.cluster_of[i] != which) continue;
    const Pivot& p = pivots[i];
    var += (p.price - out.mean) * (p.price - out.mean);
    if (first || p.index < out.first_index) {
      out.first_index = p.index;
      out.first_time = p.time;
    }
    if (first || p.index > out.last_index) out.last_index = p.index;
    first = false;
    if (std::fabs(p.price - out.mean) <= level_tolerance * out.mean) {
      wsum += p.price * p.volume;
      vsum += p.volume;
      plain += p.price;
      ++near;
    }
  }
  out.relative_std = std::sqrt(var / out.count) / out.mean;
  if (vsum > 0) {
    out.level = wsum / vsum;
  } else {
    out.level = near > 0 ? plain / near : out.mean;  // no volume (index data): plain mean
  }
  out.dry_up = DryUp(pivots, n, c, which);
  return out;
}

int TouchesScore(int touches) {
  if (touches >= 8) return 30;
  if (touches >= 6) return 25;
  if (touches >= 4) return 15;
  return 5;
}

int DurationScore(int bars) {
  if (bars >= 40) return 30;
  if (bars >= 25) return 20;
  if (bars >= 15) return 15;
  if (bars >= 10) return 10;
  return 0;
}

// Touches, tightness and volume dry-up: the quality points that change only with pivots.
double PivotQuality(const PivotCluster& s, const PivotCluster& r, double price_scale) {
  const double tight = (s.relative_std + r.relative_std) / 2;
  int tight_score = 0;
  if (tight < 0.01 * price_scale) {
    tight_score = 20;
  } else if (tight < 0.015 * price_scale) {
    tight_score = 15;
  } else if (tight < 0.02 * price_scale) {
    tight_score = 10;
  }
  return TouchesScore(s.count + r.count) + tight_score + 10 * s.dry_up + 10 * r.dry_up;
}

bool Near(double a, double b, double tolerance) { return std::fabs(a - b) <= tolerance * b; }

// The q quantile of v[0..n) with linear interpolation between the order statistics around
// position q * (n - 1) (numpy's default). Reorders v.
double Quantile(double* v, int n, double q) {
  const double position = q * (n - 1);
  const int k = static_cast<int>(std::floor(position));
  const double fraction = position - k;
  std::nth_element(v, v + k, v + n);
  const double low = v[k];
  if (!(fraction > 0) || k + 1 >= n) return low;
  const double high = *std::min_element(v + k + 1, v + n);
  return low + fraction * (high - low);
}

}  // namespace

PivotCluster ClusterOfLatest(const Pivot* pivots, int n, double tolerance, double level_tolerance) {
  if (n <= 0) return {};
  const Clustering c = Greedy(pivots, n, tolerance);
  int latest = 0;
  for (int i = 1; i < n; ++i) {
    if (pivots[i].index > pivots[latest].index) latest = i;
  }
  return Describe(pivots, n, c, c.cluster_of[latest], level_tolerance);
}

PivotCluster ClusterNear(const Pivot* pivots, int n, double anchor, double tolerance,
                         double level_tolerance) {
  if (n <= 0) return {};
  const Clustering c = Greedy(pivots, n, tolerance);
  int best = -1;
  for (int k = 0; k < c.clusters; ++k) {
    const double d = std::fabs(c.mean[k] - anchor);
    if (d <= tolerance * anchor && (best < 0 || d < std::fabs(c.mean[best] - anchor))) best = k;
  }
  if (best < 0) return {};
  return Describe(pivots, n, c, best, level_tolerance);
}

double JumpFactor(int duration_bars) {
  if (duration_bars >= 40) return 3.0;
  if (duration_bars >= 25) return 2.5;
  if (duration_bars >= 15) return 2.0;
  return 1.0;
}

RangeLevels LevelsAt(const TradingRange& range, std::int64_t t) {
  RangeLevels out;
  out.support = range.support;
  out.resistance = range.resistance;
  out.duration_bars = range.DurationAt(t);
  const double width = range.resistance - range.support;
  const double factor = JumpFactor(out.duration_bars);
  out.jump_up = range.resistance + factor * width;
  out.conservative_up = range.resistance + width;
  out.jump_down = range.support - factor * width;
  out.conservative_down = range.support;
  return out;
}

TradingRangeTracker::TradingRangeTracker(const DetectorParams& params)
    : params_(params),
      recent_(static_cast<std::size_t>(std::max(
          {2 * params.pivot_lookback + 1, params.atr_range_window, params.percentile_window}))),
      highs_(static_cast<std::size_t>(std::min(params.pivot_memory, kMaxPivotMemory))),
      lows_(highs_.size()),
      scratch_(params.range_mode == RangeMode::kPercentile
                   ? static_cast<std::size_t>(params.percentile_window)
                   : 0),
      window_high_(params.atr_range_window, /*maximum=*/true),
      window_low_(params.atr_range_window, /*maximum=*/false) {}

RangeUpdate TradingRangeTracker::OnBar(const BarValues& bar, const FeatureValues& f,
                                       double price_scale, bool defer_downside) {
  RangeUpdate update;
  const std::int64_t t = f.index;
  recent_[static_cast<std::size_t>(t % static_cast<std::int64_t>(recent_.size()))] = bar;
  const double alpha = 2.0 / (kTrendEmaBars + 1);
  trend_ema_ = std::isnan(trend_ema_) ? bar.close : trend_ema_ + alpha * (bar.close - trend_ema_);
  if (params_.range_mode == RangeMode::kAtr) {
    AtrModeStep(bar, f, update);
  } else if (params_.range_mode == RangeMode::kPercentile) {
    PercentileModeStep(t, price_scale, update);
  } else {
    ConfirmPivots(t);
    if (new_pivot_) OnNewPivot(t, price_scale, update);
  }
  if (current_.live()) {
    UpdateQuality(t);
    if (current_.status == RangeStatus::kForming &&
        current_.DurationAt(t) >= params_.active_min_bars &&
        current_.quality >= params_.active_min_quality &&
        (climax_pending_ || !params_.range_needs_climax)) {
      current_.status = RangeStatus::kActive;
      current_.active_index = t;
      update.activated = true;
    }
    if (!defer_downside) CheckDownside(bar, t, price_scale, update);
  }
  return update;
}

void TradingRangeTracker::ConfirmPivots(std::int64_t t) {
  new_pivot_ = false;
  const int lookback = params_.pivot_lookback;
  const std::int64_t k = t - lookback;
  if (k - lookback < 0 || k <= pivot_floor_) return;
  // The center against its neighbours, nearest first: in a trend the next bar's higher high
  // and the previous bar's lower low rule out both kinds at the first step, where walking the
  // window from its start took 8-11 steps a bar on real prices. The ring holds the whole
  // window (2 x lookback + 1 bars at least); indices wrap instead of dividing.
  const std::size_t size = recent_.size();
  const std::size_t center_slot = static_cast<std::size_t>(k) % size;
  const BarValues& center = recent_[center_slot];
  bool is_high = true;
  bool is_low = true;
  for (std::size_t d = 1; d <= static_cast<std::size_t>(lookback) && (is_high || is_low); ++d) {
    const BarValues& before = recent_[center_slot >= d ? center_slot - d : center_slot + size - d];
    const BarValues& after =
        recent_[center_slot + d < size ? center_slot + d : center_slot + d - size];
    is_high = is_high && center.high > before.high && center.high > after.high;
    is_low = is_low && center.low < before.low && center.low < after.low;
  }
  if (is_high) AddPivot(highs_, high_count_, {k, center.time, center.high, center.volume});
  if (is_low) AddPivot(lows_, low_count_, {k, center.time, center.low, center.volume});
  new_pivot_ = is_high || is_low;
}

void TradingRangeTracker::AddPivot(std::vector<Pivot>& memory, int& count, const Pivot& pivot) {
  if (count == static_cast<int>(memory.size())) {
    std::rotate(memory.begin(), memory.begin() + 1, memory.end());
    --count;
  }
  memory[static_cast<std::size_t>(count++)] = pivot;
}

void TradingRangeTracker::OnNewPivot(std::int64_t t, double price_scale, RangeUpdate& update) {
  if (current_.id == 0 || current_.status == RangeStatus::kForming) {
    FitUnlocked(t, price_scale, update);
  } else if (current_.status == RangeStatus::kActive) {
    RefineLocked(price_scale);
  }
  // A range frozen by an SOS or SOW keeps its levels; the new pivots wait for the next range.
}

void TradingRangeTracker::FitUnlocked(std::int64_t t, double price_scale, RangeUpdate& update) {
  const double tol = params_.cluster_tolerance * price_scale;
  const double level_tol = params_.level_tolerance * price_scale;
  const PivotCluster s = ClusterOfLatest(lows_.data(), low_count_, tol, level_tol);
  const PivotCluster r = ClusterOfLatest(highs_.data(), high_count_, tol, level_tol);
  const std::int64_t first = std::min(s.first_index, r.first_index);
  const std::int64_t last = std::max(s.last_index, r.last_index);
  const bool valid = s.count >= 2 && r.count >= 2 && r.level > s.level &&
                     (r.level - s.level) / s.level >= params_.min_range_width * price_scale &&
                     last - first >= params_.min_pivot_span;
  const bool same = current_.id != 0 && valid && Near(s.level, current_.support, tol) &&
                    Near(r.level, current_.resistance, tol);
  if (current_.id != 0 && !same) {  // the FORMING range no longer describes the structure
    update.dropped = true;
    update.ended = current_;
    current_ = TradingRange{};
  }
  if (!valid) return;
  if (current_.id == 0) {
    current_.id = next_id_++;
    current_.created_index = t;
    current_.trend_kind =
        trend_ema_ >= (s.level + r.level) / 2 ? RangeKind::kAccumulation : RangeKind::kDistribution;
    closes_below_ = closes_above_ = 0;
    update.created = true;
  }
  current_.support = s.level;
  current_.resistance = r.level;
  current_.start_index = first;
  current_.start_time = s.first_index <= r.first_index ? s.first_time : r.first_time;
  current_.support_touches = s.count;
  current_.resistance_touches = r.count;
  current_.pivot_quality = PivotQuality(s, r, price_scale);
}

void TradingRangeTracker::RefineLocked(double price_scale) {
  const double tol = params_.cluster_tolerance * price_scale;
  const double level_tol = params_.level_tolerance * price_scale;
  const PivotCluster s = ClusterNear(lows_.data(), low_count_, current_.support, tol, level_tol);
  const PivotCluster r =
      ClusterNear(highs_.data(), high_count_, current_.resistance, tol, level_tol);
  if (s.count < 2 || r.count < 2) return;  // keep the locked levels
  if (!(r.level > s.level) ||
      (r.level - s.level) / s.level < params_.min_range_width * price_scale) {
    return;
  }
  current_.support = s.level;
  current_.resistance = r.level;
  current_.support_touches = s.count;
  current_.resistance_touches = r.count;
  current_.pivot_quality = PivotQuality(s, r, price_scale);
}

void TradingRangeTracker::UpdateQuality(std::int64_t t) {
  if (current_.atr_box || current_.percentile_box) {
    current_.quality = params_.active_min_quality;  // no pivots: a nominal quality
    return;
  }
  current_.quality =
      std::min(100.0, DurationScore(current_.DurationAt(t)) + current_.pivot_quality);
}

void TradingRangeTracker::AtrModeStep(const BarValues& bar, const FeatureValues& f,
                                      RangeUpdate& update) {
  const std::int64_t t = f.index;
  window_high_.Push(t, bar.high);
  window_low_.Push(t, bar.low);
  if (!window_high_.full() || std::isnan(f.atr)) return;
  const double hi = window_high_.Value();
  const double lo = window_low_.Value();
  if (current_.live() && current_.atr_box) {
    if (hi - lo > params_.atr_release_multiple * f.atr &&
        t - current_.created_index > params_.atr_release_min_age) {
      const bool up = bar.close >= (current_.support + current_.resistance) / 2;
      End(t, up ? RangeStatus::kBrokenUp : RangeStatus::kBrokenDown, update);
      (up ? update.broken_up : update.broken_down) = true;
    }
    return;
  }
  if (current_.id != 0 || !(hi > lo) || hi - lo > params_.atr_lock_multiple * f.atr) return;
  const auto size = static_cast<std::int64_t>(recent_.size());
  const std::int64_t start = t - params_.atr_range_window + 1;
  if (start <= pivot_floor_) return;  // the window must hold only bars after the last range
  if (params_.range_needs_climax && !climax_pending_) return;
  current_ = TradingRange{};
  current_.id = next_id_++;
  current_.atr_box = true;
  current_.status = RangeStatus::kActive;
  current_.support = lo;
  current_.resistance = hi;
  current_.start_index = start;
  current_.start_time = recent_[static_cast<std::size_t>(start % size)].time;
  current_.created_index = current_.active_index = t;
  current_.trend_kind =
      trend_ema_ >= (lo + hi) / 2 ? RangeKind::kAccumulation : RangeKind::kDistribution;
  closes_below_ = closes_above_ = 0;
  update.created = update.activated = true;
}

void TradingRangeTracker::PercentileModeStep(std::int64_t t, double price_scale,
                                             RangeUpdate& update) {
  const int n = params_.percentile_window;
  const std::int64_t start = t - n + 1;
  if (start < 0 || start <= pivot_floor_) return;  // only bars after the last range
  if (current_.id != 0 && !(current_.live() && current_.percentile_box)) return;  // frozen
  const auto size = static_cast<std::int64_t>(recent_.size());
  double* v = scratch_.data();
  for (int i = 0; i < n; ++i) v[i] = recent_[static_cast<std::size_t>((start + i) % size)].low;
  const double s = Quantile(v, n, params_.percentile_low);
  for (int i = 0; i < n; ++i) v[i] = recent_[static_cast<std::size_t>((start + i) % size)].high;
  const double r = Quantile(v, n, 1 - params_.percentile_low);
  if (!(r > s) || (r - s) / s < params_.percentile_min_width * price_scale) return;
  if (current_.id == 0) {
    if (params_.range_needs_climax && !climax_pending_) return;  // no stopping action yet
    // Sideways only (percentile_max_drift): a window whose close moved more than the allowed
    // multiple of its width is a trend, not a range.
    const double drift = recent_[static_cast<std::size_t>(t % size)].close -
                         recent_[static_cast<std::size_t>(start % size)].close;
    if (params_.percentile_max_drift > 0 &&
        std::fabs(drift) > params_.percentile_max_drift * (r - s)) {
      return;
    }
    // Swings (percentile_min_crossings): the closes change side of the middle this often.
    if (params_.percentile_min_crossings > 0) {
      const double mid = (s + r) / 2;
      int crossings = 0;
      int side = 0;
      for (int i = 0; i < n; ++i) {
        const double close = recent_[static_cast<std::size_t>((start + i) % size)].close;
        const int now = close > mid ? 1 : close < mid ? -1 : side;
        if (side != 0 && now != side) ++crossings;
        side = now;
      }
      if (crossings < params_.percentile_min_crossings) return;
    }
    current_ = TradingRange{};
    current_.id = next_id_++;
    current_.percentile_box = true;
    current_.status = RangeStatus::kActive;
    current_.start_index = start;
    current_.start_time = recent_[static_cast<std::size_t>(start % size)].time;
    current_.created_index = current_.active_index = t;
    current_.trend_kind =
        trend_ema_ >= (s + r) / 2 ? RangeKind::kAccumulation : RangeKind::kDistribution;
    closes_below_ = closes_above_ = 0;
    update.created = update.activated = true;
  }
  current_.support = s;
  current_.resistance = r;
}

void TradingRangeTracker::CheckDownside(const BarValues& bar, std::int64_t t, double price_scale,
                                        RangeUpdate& update) {
  const double s = current_.support;
  if (bar.close < s || (bar.close == s && closes_below_ > 0)) {
    ++closes_below_;
  } else {
    closes_below_ = 0;
  }
  if (bar.close < s * (1 - params_.breakdown_pct * price_scale) ||
      closes_below_ > params_.spring_recovery_bars) {
    End(t, RangeStatus::kBrokenDown, update);
    update.broken_down = true;
  }
}

RangeUpdate TradingRangeTracker::CheckDownsideExit(const BarValues& bar, std::int64_t t,
                                                   double price_scale) {
  RangeUpdate update;
  if (current_.live()) CheckDownside(bar, t, price_scale, update);
  return update;
}

RangeUpdate TradingRangeTracker::CheckUpsideExit(const BarValues& bar, std::int64_t t,
                                                 double price_scale) {
  RangeUpdate update;
  if (!current_.live()) return update;
  const double r = current_.resistance;
  if (bar.close > r || (bar.close == r && closes_above_ > 0)) {
    ++closes_above_;
  } else {
    closes_above_ = 0;
  }
  if (bar.close > r * (1 + params_.breakdown_pct * price_scale) ||
      closes_above_ > params_.spring_recovery_bars) {
    End(t, RangeStatus::kBrokenUp, update);
    update.broken_up = true;
  }
  return update;
}

void TradingRangeTracker::End(std::int64_t t, RangeStatus status, RangeUpdate& update) {
  current_.status = status;
  current_.end_index = t;
  released_ = current_;
  update.ended = current_;
  current_ = TradingRange{};
  closes_below_ = closes_above_ = 0;
  ForgetPivotsThrough(t);
}

void TradingRangeTracker::BreakUp(std::int64_t t) {
  if (current_.id == 0) return;
  current_.status = RangeStatus::kBrokenUp;
  current_.end_index = t;
}

void TradingRangeTracker::BreakDown(std::int64_t t) {
  if (current_.id == 0) return;
  current_.status = RangeStatus::kBrokenDown;
  current_.end_index = t;
}

void TradingRangeTracker::Reopen() {
  if (current_.id == 0) return;
  current_.status = RangeStatus::kActive;
  current_.end_index = -1;
  closes_below_ = closes_above_ = 0;
}

void TradingRangeTracker::Release(std::int64_t t) {
  if (current_.id == 0) return;
  const std::int64_t ended = current_.end_index >= 0 ? current_.end_index : t;
  current_.end_index = ended;
  released_ = current_;
  current_ = TradingRange{};
  closes_below_ = closes_above_ = 0;
  ForgetPivotsThrough(ended);
}

void TradingRangeTracker::ForgetPivotsThrough(std::int64_t t) {
  pivot_floor_ = std::max(pivot_floor_, t);
  auto keep_newer = [t](std::vector<Pivot>& memory, int& count) {
    const auto end = std::remove_if(memory.begin(), memory.begin() + count,
                                    [t](const Pivot& p) { return p.index <= t; });
    count = static_cast<int>(end - memory.begin());
  };
  keep_newer(highs_, high_count_);
  keep_newer(lows_, low_count_);
}

}  // namespace wyckoff::detectors
