// DetectorParams: every threshold of the Wyckoff detectors, with the defaults of the rules page
// (docs/wyckoff-rules.md), and DetectorSchema(), their typed parameter schema: name, domain,
// default, group and doc of each, from which the CLI, the search grid and the docs' parameter
// table (`wyckoff params --strategy wyckoff`) are made.
//
//   ParamValues values = DetectorSchema().Defaults();
//   if (auto ok = values.Set("spring_volume_max", "0.6"); !ok) return ok;  // parsed once
//   DetectorParams params = ToDetectorParams(values);                     // typed from here on
//   for (const auto& [name, value] : ListParams(params)) json[name] = value;
//
// Percent thresholds on prices are fractions (0.05 = 5%) given for daily bars; the detectors
// scale them with the bar interval (x0.15 for 1-minute ... x1.0 for daily, see
// PriceScaleForInterval). Volume thresholds and confidence points never scale.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"
#include "wyckoff/core/params.h"
#include "wyckoff/core/timestamp.h"

namespace wyckoff::detectors {

// The bar interval that scales price percentages. kAuto infers it from the median of the
// first 16 timestamp steps (causally: the estimate at bar t uses bars 0..t only).
enum class BarInterval : std::uint8_t { kAuto, kMinute1, kMinute5, kMinute15, kHour1, kDay1 };

// kPercentile: support and resistance are the percentile_low and 1 - percentile_low quantiles
// of the last percentile_window lows and highs (the public-system style range).
enum class RangeMode : std::uint8_t { kPivot, kAtr, kPercentile };

// kStrict rejects a spring bar with volume_ratio >= spring_volume_max; kScored admits it and
// lowers its confidence instead.
enum class SpringVolumeMode : std::uint8_t { kStrict, kScored };

struct DetectorParams {
  // Features.
  int volume_window = 20;  // N of volume_ratio
  int spread_window = 20;  // N of spread_ratio
  int atr_period = 14;     // Wilder ATR
  BarInterval bar_interval = BarInterval::kAuto;
  double time_gap_multiple = 5.0;  // a step over this x the median interval cancels candidates
  int warmup_bars = 25;            // no trade signal before this many bars

  // Trading range, pivot mode.
  RangeMode range_mode = RangeMode::kPivot;
  int pivot_lookback = 5;           // L: a pivot is known L bars late
  int pivot_memory = 12;            // pivot highs (and lows) kept
  double cluster_tolerance = 0.02;  // join a cluster within 2% of its mean
  double level_tolerance = 0.015;   // pivots within 1.5% of the mean make the level
  double min_range_width = 0.03;    // (R - S) / S
  int min_pivot_span = 10;          // first to last pivot, bars
  int active_min_bars = 15;         // FORMING -> ACTIVE after this many bars ...
  double active_min_quality = 70;   // ... with at least this quality
  double breakdown_pct = 0.05;      // a close more than 5% below S breaks the range down
  bool range_needs_climax = false;  // ACTIVE only within 60 bars of a climax (phase A)
  // Trading range, ATR mode.
  int atr_range_window = 20;
  double atr_lock_multiple = 3.0;
  double atr_release_multiple = 6.0;
  int atr_release_min_age = 18;
  // Trading range, percentile mode.
  int percentile_window = 61;          // N: lows and highs of bars t-N+1..t
  double percentile_low = 0.10;        // S: this quantile of the lows, R: 1 - it of the highs
  double percentile_min_width = 0.02;  // (R - S) / S
  double percentile_max_drift = 0;     // |close[t] - close[t-N+1]| <= this x (R - S); 0: off
  int percentile_min_crossings = 0;    // closes cross (S + R) / 2 at least this often; 0: off

  // Phases.
  double climax_volume = 2.0;          // SC/BC volume_ratio
  double climax_spread = 1.5;          // SC/BC spread_ratio
  double climax_close_position = 0.5;  // SC closes at or above, BC at or below
  double st_tolerance = 0.02;          // ST extreme within 2% of the climax extreme
  double st_volume_drop = 0.2;         // ST volume at least 20% below the climax volume
  int st_min_bars = 3;                 // ST comes at least 3 bars after the climax
  int phase_b_min_bars = 10;           // springs and UTADs count after 10 bars in phase B
  bool spring_any_kind = false;        // springs (and their SOS, LPS) count in distribution too

  // Spring.
  double spring_max_penetration = 0.05;
  double spring_min_penetration = 0;  // (S - low) / S at least this (0: any low below S)
  double spring_volume_max = 0.7;     // strict: volume_ratio < 0.7
  SpringVolumeMode spring_volume_mode = SpringVolumeMode::kStrict;
  int spring_recovery_bars = 5;         // a close above S within 0..5 bars
  int spring_test_min_bars = 3;         // test within +3 ..
  int spring_test_max_bars = 15;        // .. +15 bars after the spring bar
  double spring_test_tolerance = 0.03;  // test low within 3% above the spring low
  double spring_invalidation_pct = 0.05;
  int spring_invalidation_bars = 10;
  int spring_cooldown_bars = 3;
  bool spring_needs_test = true;
  double spring_min_confidence = 70;
  double spring_entry_offset = 0.005;  // entry reference S * 1.005
  double stop_buffer_shallow = 0.02;   // penetration < stop_edge_shallow
  double stop_buffer_mid = 0.015;      // penetration < stop_edge_deep
  double stop_buffer_deep = 0.01;      // otherwise
  double stop_edge_shallow = 0.02;
  double stop_edge_deep = 0.03;
  double min_reward_risk = 2.0;

  // SOS and LPS.
  int sos_min_bars = 25;       // bars of history before any SOS
  double sos_breakout = 0.01;  // close >= R * 1.01
  double sos_volume = 1.5;
  double sos_spread = 1.2;
  double sos_close_position = 0.5;
  double sos_marginal_close_position = 0.7;  // below this: confidence -10
  bool trade_sos = false;                    // the direct SOS entry (`--trade-sos`)
  bool sos_needs_spring = true;              // an SOS needs a spring before it (an SOW a UTAD)
  double sos_stop = 0.05;                    // SOS stop R * 0.95
  int lps_window = 10;                       // LPS within 10 bars after the SOS
  double lps_floor = 0.02;                   // pullback low >= R * 0.98
  double lps_ceiling = 0.03;                 // pullback low <= R * 1.03
  double lps_bounce = 0.01;                  // then a close >= pullback low * 1.01
  double lps_entry = 0.01;                   // entry R * 1.01
  double lps_stop = 0.03;                    // stop R * 0.97

  // UTAD.
  double utad_min_pierce = 0.005;
  double utad_max_pierce = 0.01;
  double utad_volume = 1.5;   // volume_ratio > 1.5 (strict)
  int utad_failure_bars = 3;  // a close back below R within 0..3 bars
};

// The schema of every detector parameter (owner "wyckoff": the wyckoff strategy's parameters),
// in the order of DetectorParams; its rule is ValidateParams.
const ParamSchema& DetectorSchema();
// The typed struct of `values` (of DetectorSchema()), and back.
DetectorParams ToDetectorParams(const ParamValues& values);
ParamValues ToParamValues(const DetectorParams& params);

// Sets one parameter from text. Errors (kInvalidArgument) name the parameter and the value:
// an unknown name, text that is not a number/boolean/choice of the right kind, or a value
// outside the parameter's range (windows 1..1000, fractions in (0, 1), ...).
Result<void> SetParam(DetectorParams& params, std::string_view name, std::string_view value);

// Every parameter as (name, value as text), in a fixed order; the text parses back with
// SetParam to the same value.
std::vector<std::pair<std::string, std::string>> ListParams(const DetectorParams& params);

// Checks the relations between parameters (test window min <= max, stop edges ordered, ...).
Result<void> ValidateParams(const DetectorParams& params);

// The multiplier of price percentages for bars `interval` nanoseconds apart: 0.15 up to
// 1 minute, 0.20 up to 5, 0.30 up to 15, 0.70 up to 1 hour, 1.0 above (daily and longer).
double PriceScaleForInterval(Timestamp interval);

// The multiplier for a fixed interval; kAuto gives 1.0.
double PriceScaleForInterval(BarInterval interval);

}  // namespace wyckoff::detectors
