#include "wyckoff/detectors/params.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace wyckoff::detectors {
namespace {

// One settable parameter: its name, how to parse text into it, how to print it.
struct ParamSpec {
  std::string_view name;
  Result<void> (*set)(DetectorParams&, std::string_view name, std::string_view text);
  std::string (*get)(const DetectorParams&);
};

Result<void> BadValue(std::string_view name, std::string_view text, std::string_view why) {
  return Fail(ErrorCode::kInvalidArgument, "detector parameter " + std::string(name) + ": value '" +
                                               std::string(text) + "' " + std::string(why));
}

std::string FormatDouble(double value) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("nan");
}

// Integers within [lo, hi].
template <int DetectorParams::*Member, int Lo, int Hi>
Result<void> SetInt(DetectorParams& p, std::string_view name, std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return BadValue(name, text, "is not a whole number");
  }
  if (value < Lo || value > Hi) {
    return BadValue(name, text,
                    "is out of range " + std::to_string(Lo) + ".." + std::to_string(Hi));
  }
  p.*Member = value;
  return {};
}

template <int DetectorParams::*Member>
std::string GetInt(const DetectorParams& p) {
  return std::to_string(p.*Member);
}

enum class Domain { kFraction, kPositive, kScore };

// Doubles: fractions in (0, 1), positive multiples, or scores in [0, 100].
template <double DetectorParams::*Member, Domain D>
Result<void> SetDouble(DetectorParams& p, std::string_view name, std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return BadValue(name, text, "is not a finite number");
  }
  if (D == Domain::kFraction && !(value > 0 && value < 1)) {
    return BadValue(name, text, "must be a fraction between 0 and 1 exclusive (0.05 = 5%)");
  }
  if (D == Domain::kPositive && !(value > 0 && value <= 1e6)) {
    return BadValue(name, text, "must be positive");
  }
  if (D == Domain::kScore && !(value >= 0 && value <= 100)) {
    return BadValue(name, text, "must be between 0 and 100");
  }
  p.*Member = value;
  return {};
}

template <double DetectorParams::*Member>
std::string GetDouble(const DetectorParams& p) {
  return FormatDouble(p.*Member);
}

template <bool DetectorParams::*Member>
Result<void> SetBool(DetectorParams& p, std::string_view name, std::string_view text) {
  if (text == "true" || text == "1" || text == "on" || text == "yes") {
    p.*Member = true;
  } else if (text == "false" || text == "0" || text == "off" || text == "no") {
    p.*Member = false;
  } else {
    return BadValue(name, text, "is not a boolean (true/false, on/off, yes/no, 1/0)");
  }
  return {};
}

template <bool DetectorParams::*Member>
std::string GetBool(const DetectorParams& p) {
  return p.*Member ? "true" : "false";
}

constexpr std::array<std::string_view, 6> kIntervalNames = {"auto", "1m", "5m", "15m", "1h", "1d"};

Result<void> SetInterval(DetectorParams& p, std::string_view name, std::string_view text) {
  for (std::size_t i = 0; i < kIntervalNames.size(); ++i) {
    if (text == kIntervalNames[i]) {
      p.bar_interval = static_cast<BarInterval>(i);
      return {};
    }
  }
  return BadValue(name, text, "is not one of auto, 1m, 5m, 15m, 1h, 1d");
}

std::string GetInterval(const DetectorParams& p) {
  return std::string(kIntervalNames[static_cast<std::size_t>(p.bar_interval)]);
}

Result<void> SetRangeMode(DetectorParams& p, std::string_view name, std::string_view text) {
  if (text == "pivot") {
    p.range_mode = RangeMode::kPivot;
  } else if (text == "atr") {
    p.range_mode = RangeMode::kAtr;
  } else {
    return BadValue(name, text, "is not one of pivot, atr");
  }
  return {};
}

std::string GetRangeMode(const DetectorParams& p) {
  return p.range_mode == RangeMode::kPivot ? "pivot" : "atr";
}

Result<void> SetVolumeMode(DetectorParams& p, std::string_view name, std::string_view text) {
  if (text == "strict") {
    p.spring_volume_mode = SpringVolumeMode::kStrict;
  } else if (text == "scored") {
    p.spring_volume_mode = SpringVolumeMode::kScored;
  } else {
    return BadValue(name, text, "is not one of strict, scored");
  }
  return {};
}

std::string GetVolumeMode(const DetectorParams& p) {
  return p.spring_volume_mode == SpringVolumeMode::kStrict ? "strict" : "scored";
}

template <int DetectorParams::*M, int Lo = 1, int Hi = 1000>
constexpr ParamSpec Int(std::string_view name) {
  return {name, &SetInt<M, Lo, Hi>, &GetInt<M>};
}
template <double DetectorParams::*M, Domain D = Domain::kFraction>
constexpr ParamSpec Dbl(std::string_view name) {
  return {name, &SetDouble<M, D>, &GetDouble<M>};
}
template <bool DetectorParams::*M>
constexpr ParamSpec Bool(std::string_view name) {
  return {name, &SetBool<M>, &GetBool<M>};
}

using P = DetectorParams;
constexpr auto kPos = Domain::kPositive;
constexpr auto kScore = Domain::kScore;

constexpr std::array kSpecs = {
    Int<&P::volume_window>("volume_window"),
    Int<&P::spread_window>("spread_window"),
    Int<&P::atr_period>("atr_period"),
    ParamSpec{"bar_interval", &SetInterval, &GetInterval},
    Dbl<&P::time_gap_multiple, kPos>("time_gap_multiple"),
    Int<&P::warmup_bars, 0>("warmup_bars"),
    ParamSpec{"range_mode", &SetRangeMode, &GetRangeMode},
    Int<&P::pivot_lookback, 1, 100>("pivot_lookback"),
    Int<&P::pivot_memory, 2, 64>("pivot_memory"),
    Dbl<&P::cluster_tolerance>("cluster_tolerance"),
    Dbl<&P::level_tolerance>("level_tolerance"),
    Dbl<&P::min_range_width>("min_range_width"),
    Int<&P::min_pivot_span, 0>("min_pivot_span"),
    Int<&P::active_min_bars, 0>("active_min_bars"),
    Dbl<&P::active_min_quality, kScore>("active_min_quality"),
    Dbl<&P::breakdown_pct>("breakdown_pct"),
    Int<&P::atr_range_window, 2>("atr_range_window"),
    Dbl<&P::atr_lock_multiple, kPos>("atr_lock_multiple"),
    Dbl<&P::atr_release_multiple, kPos>("atr_release_multiple"),
    Int<&P::atr_release_min_age, 0>("atr_release_min_age"),
    Dbl<&P::climax_volume, kPos>("climax_volume"),
    Dbl<&P::climax_spread, kPos>("climax_spread"),
    Dbl<&P::climax_close_position>("climax_close_position"),
    Dbl<&P::st_tolerance>("st_tolerance"),
    Dbl<&P::st_volume_drop>("st_volume_drop"),
    Int<&P::st_min_bars>("st_min_bars"),
    Int<&P::phase_b_min_bars, 0>("phase_b_min_bars"),
    Dbl<&P::spring_max_penetration>("spring_max_penetration"),
    Dbl<&P::spring_volume_max, kPos>("spring_volume_max"),
    ParamSpec{"spring_volume_mode", &SetVolumeMode, &GetVolumeMode},
    Int<&P::spring_recovery_bars, 0>("spring_recovery_bars"),
    Int<&P::spring_test_min_bars, 0>("spring_test_min_bars"),
    Int<&P::spring_test_max_bars, 0>("spring_test_max_bars"),
    Dbl<&P::spring_test_tolerance>("spring_test_tolerance"),
    Dbl<&P::spring_invalidation_pct>("spring_invalidation_pct"),
    Int<&P::spring_invalidation_bars, 0>("spring_invalidation_bars"),
    Int<&P::spring_cooldown_bars, 0>("spring_cooldown_bars"),
    Bool<&P::spring_needs_test>("spring_needs_test"),
    Dbl<&P::spring_min_confidence, kScore>("spring_min_confidence"),
    Dbl<&P::spring_entry_offset>("spring_entry_offset"),
    Dbl<&P::stop_buffer_shallow>("stop_buffer_shallow"),
    Dbl<&P::stop_buffer_mid>("stop_buffer_mid"),
    Dbl<&P::stop_buffer_deep>("stop_buffer_deep"),
    Dbl<&P::stop_edge_shallow>("stop_edge_shallow"),
    Dbl<&P::stop_edge_deep>("stop_edge_deep"),
    Dbl<&P::min_reward_risk, kPos>("min_reward_risk"),
    Int<&P::sos_min_bars, 0>("sos_min_bars"),
    Dbl<&P::sos_breakout>("sos_breakout"),
    Dbl<&P::sos_volume, kPos>("sos_volume"),
    Dbl<&P::sos_spread, kPos>("sos_spread"),
    Dbl<&P::sos_close_position>("sos_close_position"),
    Dbl<&P::sos_marginal_close_position>("sos_marginal_close_position"),
    Bool<&P::trade_sos>("trade_sos"),
    Dbl<&P::sos_stop>("sos_stop"),
    Int<&P::lps_window>("lps_window"),
    Dbl<&P::lps_floor>("lps_floor"),
    Dbl<&P::lps_ceiling>("lps_ceiling"),
    Dbl<&P::lps_bounce>("lps_bounce"),
    Dbl<&P::lps_entry>("lps_entry"),
    Dbl<&P::lps_stop>("lps_stop"),
    Dbl<&P::utad_min_pierce>("utad_min_pierce"),
    Dbl<&P::utad_max_pierce>("utad_max_pierce"),
    Dbl<&P::utad_volume, kPos>("utad_volume"),
    Int<&P::utad_failure_bars, 0>("utad_failure_bars"),
};

Result<void> Require(bool ok, const std::string& message) {
  if (ok) return {};
  return Fail(ErrorCode::kInvalidArgument, "detector parameters: " + message);
}

}  // namespace

Result<void> SetParam(DetectorParams& params, std::string_view name, std::string_view value) {
  for (const ParamSpec& spec : kSpecs) {
    if (spec.name == name) return spec.set(params, name, value);
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown detector parameter \"" + std::string(name) +
                  "\" (docs/detectors.md lists them, e.g. spring_volume_max)");
}

std::vector<std::pair<std::string, std::string>> ListParams(const DetectorParams& params) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(kSpecs.size());
  for (const ParamSpec& spec : kSpecs) out.emplace_back(spec.name, spec.get(params));
  return out;
}

Result<void> ValidateParams(const DetectorParams& p) {
  if (auto r =
          Require(p.spring_test_min_bars <= p.spring_test_max_bars,
                  "spring_test_min_bars " + std::to_string(p.spring_test_min_bars) +
                      " exceeds spring_test_max_bars " + std::to_string(p.spring_test_max_bars));
      !r) {
    return r;
  }
  if (auto r = Require(p.stop_edge_shallow <= p.stop_edge_deep,
                       "stop_edge_shallow " + FormatDouble(p.stop_edge_shallow) +
                           " exceeds stop_edge_deep " + FormatDouble(p.stop_edge_deep));
      !r) {
    return r;
  }
  if (auto r = Require(p.utad_min_pierce <= p.utad_max_pierce,
                       "utad_min_pierce " + FormatDouble(p.utad_min_pierce) +
                           " exceeds utad_max_pierce " + FormatDouble(p.utad_max_pierce));
      !r) {
    return r;
  }
  return Require(p.atr_lock_multiple <= p.atr_release_multiple,
                 "atr_lock_multiple " + FormatDouble(p.atr_lock_multiple) +
                     " exceeds atr_release_multiple " + FormatDouble(p.atr_release_multiple));
}

double PriceScaleForInterval(Timestamp interval) {
  constexpr Timestamp kMinute = 60 * kNanosPerSecond;
  if (interval <= kMinute) return 0.15;
  if (interval <= 5 * kMinute) return 0.20;
  if (interval <= 15 * kMinute) return 0.30;
  if (interval <= 60 * kMinute) return 0.70;
  return 1.0;
}

double PriceScaleForInterval(BarInterval interval) {
  switch (interval) {
    case BarInterval::kMinute1:
      return 0.15;
    case BarInterval::kMinute5:
      return 0.20;
    case BarInterval::kMinute15:
      return 0.30;
    case BarInterval::kHour1:
      return 0.70;
    case BarInterval::kAuto:
    case BarInterval::kDay1:
      return 1.0;
  }
  return 1.0;
}

}  // namespace wyckoff::detectors
