// The trading range (TR) tracker: causal pivots, pivot clusters, support and resistance,
// validity, quality, status and the jump targets; or, in ATR mode, a box locked when the
// 20-bar span is narrow against the ATR; or, in percentile mode, the 10th/90th percentile of the
// last 61 lows/highs.
//
//   TradingRangeTracker tracker(params);
//   for (...) {
//     const FeatureValues& f = features.Update(bar);
//     RangeUpdate u = tracker.OnBar(bar, f, price_scale);
//     if (u.activated) Log("range", tracker.current()->id, "is ACTIVE");
//     ...  // detectors read tracker.current()
//     tracker.CheckUpsideExit(bar, price_scale);  // after the SOS detector had its chance
//   }
//
// Pivot mode, per wyckoff-rules.md: bar k is a pivot high when high[k] is strictly above the L
// highs on each side; it becomes known at bar k + L, never earlier. The last `pivot_memory`
// pivot highs and lows are clustered by price on every new pivot. While no range is held (or
// the held one is FORMING), support is the cluster holding the most recent pivot low and
// resistance the cluster holding the most recent pivot high. Once ACTIVE the range is locked:
// a new pivot only refines S or R when it joins the cluster nearest to the current level (within
// the cluster tolerance); pivots farther away (a deep spring low, a high upthrust) leave the
// levels alone. NOTE: a pivot beyond a level but within the tolerance does refine it: a shallow
// upthrust high 0.2% above R lifts R a little once it is confirmed as a pivot.
//
// Percentile mode: once percentile_window bars after the last range are known, S(t) is the
// percentile_low quantile of lows[t-N+1..t] and R(t) the (1 - percentile_low) quantile of
// highs[t-N+1..t] (linear interpolation between order statistics, as numpy's default: position
// q * (N - 1)). A range is created ACTIVE at the first bar with (R - S) / S >=
// percentile_min_width; while ACTIVE its levels follow S(t) and R(t) at every bar whose width is
// valid (the levels of bar t include bar t itself, never a later bar). It ends by the common exits
// (a close beyond breakdown_pct, or spring_recovery_bars + 1 closes outside) or an SOS/SOW; the
// next range needs a full window of bars after that end.
//
// Invariants: at most one range is held (current()); ids increase from 1; a range that breaks
// down without an SOW, breaks up without an SOS, or is released is never modified again
// (last_released()). Pivots at or before the bar a range ended are forgotten, so the next range
// is built from newer structure only. No allocation after construction.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "wyckoff/detectors/features.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/detectors/pattern_event.h"

namespace wyckoff::detectors {

inline constexpr int kMaxPivotMemory = 64;

struct Pivot {
  std::int64_t index = 0;
  Timestamp time = 0;
  double price = 0;
  double volume = 0;
};

// One cluster of pivots by price.
struct PivotCluster {
  int count = 0;            // members; a usable cluster has >= 2
  double mean = 0;          // plain mean of the members' prices
  double level = 0;         // volume-weighted mean of the members within level_tolerance
  double relative_std = 0;  // population standard deviation / mean
  double dry_up = 0;        // 0..1: how much lower the later members' volume is
  std::int64_t first_index = 0;
  std::int64_t last_index = 0;
  Timestamp first_time = 0;
};

// Clusters `pivots` (any order) greedily by price: sorted ascending, a pivot joins the current
// cluster when within `tolerance` (a fraction) of its running mean. Returns the cluster that
// holds the pivot with the largest index (count 0 when n == 0). The level is the volume-weighted
// mean of the members within `level_tolerance` of the cluster mean (the plain mean of those when
// their volume is 0). dry_up is 1 when the later half of the members (by index) traded at most
// half the volume of the earlier half, falling linearly to 0 at equal volume.
PivotCluster ClusterOfLatest(const Pivot* pivots, int n, double tolerance, double level_tolerance);

// As ClusterOfLatest, but returns the cluster whose mean is nearest to `anchor` and within
// `tolerance` of it; count 0 when there is none.
PivotCluster ClusterNear(const Pivot* pivots, int n, double anchor, double tolerance,
                         double level_tolerance);

// The jump factor for a range covering `duration_bars`: 3.0 from 40 bars, 2.5 from 25, 2.0
// from 15, and 1.0 (the conservative target) below 15.
double JumpFactor(int duration_bars);

struct TradingRange {
  std::int64_t id = 0;  // 0: no range
  RangeStatus status = RangeStatus::kForming;
  RangeKind trend_kind = RangeKind::kAccumulation;  // from the trend into the range
  bool atr_box = false;                             // built by the ATR mode
  bool percentile_box = false;                      // built by the percentile mode
  double support = 0;
  double resistance = 0;
  std::int64_t start_index = 0;  // first pivot of the two clusters (ATR mode: window start)
  Timestamp start_time = 0;
  std::int64_t created_index = 0;
  std::int64_t active_index = -1;  // bar at which it became ACTIVE
  std::int64_t end_index = -1;     // bar at which it broke or was released
  int support_touches = 0;
  int resistance_touches = 0;
  double pivot_quality = 0;  // touches + tightness + volume dry-up; the duration part is added
  double quality = 0;        // 0..100, as of the last bar seen

  bool live() const {
    return id != 0 && (status == RangeStatus::kForming || status == RangeStatus::kActive);
  }
  // Bars covered at bar t, both ends included.
  int DurationAt(std::int64_t t) const { return static_cast<int>(t - start_index + 1); }
};

// Support, resistance and the jump targets of `range` as of bar t.
RangeLevels LevelsAt(const TradingRange& range, std::int64_t t);

// What changed at one bar. Several flags may be set together (created and activated).
struct RangeUpdate {
  bool created = false;      // a new range id appeared (FORMING, or ACTIVE in ATR mode)
  bool dropped = false;      // a FORMING range became invalid and was discarded
  bool activated = false;    // FORMING -> ACTIVE
  bool broken_down = false;  // -> BROKEN_DOWN (the range was released)
  bool broken_up = false;    // -> BROKEN_UP without an SOS (the range was released)
  TradingRange ended;        // the range that broke, was dropped or released at this bar
};

class TradingRangeTracker {
 public:
  explicit TradingRangeTracker(const DetectorParams& params);

  // Feeds bar `f.index`: confirms the pivot at f.index - L, re-clusters, creates, refines or
  // activates the range, and applies the downside breaks (a close more than breakdown_pct below
  // S, or spring_recovery_bars + 1 closes in a row below S: the spring window has passed).
  // With defer_downside, the downside breaks are left to CheckDownsideExit (called after the
  // SOW detector had its chance, as CheckUpsideExit after the SOS detector).
  RangeUpdate OnBar(const BarValues& bar, const FeatureValues& f, double price_scale,
                    bool defer_downside = false);

  // The upside exit of a live range that no SOS claimed: a close more than breakdown_pct above
  // R, or spring_recovery_bars + 1 closes in a row above R. Call after the detectors.
  RangeUpdate CheckUpsideExit(const BarValues& bar, std::int64_t t, double price_scale);
  // The downside breaks of OnBar, for a bar whose OnBar call deferred them. Call after the
  // detectors; a no-op unless the held range is live.
  RangeUpdate CheckDownsideExit(const BarValues& bar, std::int64_t t, double price_scale);

  // The held range (live, or frozen as BROKEN_UP by an SOS or BROKEN_DOWN by an SOW); nullptr
  // when none.
  const TradingRange* current() const { return current_.id != 0 ? &current_ : nullptr; }
  // The range most recently released (id 0 when none): kept for UTAD and for reference.
  const TradingRange& last_released() const { return released_; }

  // A confirmed SOS at bar t: the held range freezes as BROKEN_UP.
  void BreakUp(std::int64_t t);
  // A confirmed SOW at bar t: the held range freezes as BROKEN_DOWN (the mirror of BreakUp).
  void BreakDown(std::int64_t t);
  // The breakout (breakdown) failed (a close back below R, above S, before an LPS, an LPSY):
  // ACTIVE again.
  void Reopen();
  // Lets the held range go at bar t (after its LPS or LPSY, or when the window ended).
  void Release(std::int64_t t);
  // Whether a climax awaits a range (PhaseMachine::ClimaxPending), before OnBar: with
  // range_needs_climax, a range becomes ACTIVE only then.
  void SetClimaxPending(bool pending) { climax_pending_ = pending; }

 private:
  void ConfirmPivots(std::int64_t t);
  void AddPivot(std::vector<Pivot>& memory, int& count, const Pivot& pivot);
  void OnNewPivot(std::int64_t t, double price_scale, RangeUpdate& update);
  void FitUnlocked(std::int64_t t, double price_scale, RangeUpdate& update);
  void RefineLocked(double price_scale);
  void UpdateQuality(std::int64_t t);
  void AtrModeStep(const BarValues& bar, const FeatureValues& f, RangeUpdate& update);
  void PercentileModeStep(std::int64_t t, double price_scale, RangeUpdate& update);
  void CheckDownside(const BarValues& bar, std::int64_t t, double price_scale, RangeUpdate& update);
  void End(std::int64_t t, RangeStatus status, RangeUpdate& update);
  void ForgetPivotsThrough(std::int64_t t);

  const DetectorParams params_;
  // The last bars (ring indexed by bar index modulo size): pivot confirmation needs 2L + 1 of
  // them, the ATR mode the start time of its window.
  std::vector<BarValues> recent_;
  std::vector<Pivot> highs_;  // pivot memory, oldest first
  std::vector<Pivot> lows_;
  int high_count_ = 0;
  int low_count_ = 0;
  bool new_pivot_ = false;
  std::int64_t pivot_floor_ = -1;  // pivots at or before this bar are ignored
  std::vector<double> scratch_;    // percentile mode: the window's lows or highs, reordered
  RollingExtreme window_high_;
  RollingExtreme window_low_;
  double trend_ema_ = FeatureValues::kNaN;
  TradingRange current_;
  TradingRange released_;
  std::int64_t next_id_ = 1;
  int closes_below_ = 0;  // consecutive closes below S (a close at S continues a streak)
  int closes_above_ = 0;
  bool climax_pending_ = false;
};

}  // namespace wyckoff::detectors
