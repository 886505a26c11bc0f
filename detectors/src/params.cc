#include "wyckoff/detectors/params.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace wyckoff::detectors {
namespace {

using P = DetectorParams;

std::string FormatDouble(double value) {
  std::array<char, 32> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return ec == std::errc() ? std::string(buf.data(), end) : std::string("nan");
}

// One parameter: its schema entry and where its value lives in DetectorParams. The one line per
// parameter in kTable below is its whole definition: name, domain, group, doc, field; the
// default comes from DetectorParams' member initialiser.
struct Entry {
  ParamSpec spec;
  double (*get)(const P&);
  void (*set)(P&, double);
};

Entry Grouped(Entry entry, const char* group) {
  entry.spec.group = group;
  return entry;
}

template <int P::*M>
Entry Int(const char* name, int lo, int hi, const char* group, const char* doc) {
  return Grouped({IntegerParam(name, lo, hi, P{}.*M, doc), [](const P& p) { return double(p.*M); },
                  [](P& p, double v) { p.*M = static_cast<int>(v); }},
                 group);
}

// A fraction of price or volume: above 0 and below 1 (0.05 = 5%).
template <double P::*M>
Entry Fraction(const char* name, const char* group, const char* doc) {
  return Grouped({NumberParam(name, 0, 1, P{}.*M, doc, true, true), [](const P& p) { return p.*M; },
                  [](P& p, double v) { p.*M = v; }},
                 group);
}

// A positive multiple (of volume, spread, ATR or risk): above 0, up to 1000000.
template <double P::*M>
Entry Multiple(const char* name, const char* group, const char* doc) {
  return Grouped({NumberParam(name, 0, 1e6, P{}.*M, doc, true, false),
                  [](const P& p) { return p.*M; }, [](P& p, double v) { p.*M = v; }},
                 group);
}

// A score of confidence or quality points, 0 to 100.
template <double P::*M>
Entry Score(const char* name, const char* group, const char* doc) {
  return Grouped({NumberParam(name, 0, 100, P{}.*M, doc), [](const P& p) { return p.*M; },
                  [](P& p, double v) { p.*M = v; }},
                 group);
}

template <bool P::*M>
Entry Bool(const char* name, const char* group, const char* doc) {
  return Grouped({BooleanParam(name, P{}.*M, doc), [](const P& p) { return p.*M ? 1.0 : 0.0; },
                  [](P& p, double v) { p.*M = v != 0; }},
                 group);
}

template <typename Enum, Enum P::*M>
Entry Choice(const char* name, std::vector<std::string> names, const char* group, const char* doc) {
  return Grouped({ChoiceParam(name, std::move(names), static_cast<std::size_t>(P{}.*M), doc),
                  [](const P& p) { return static_cast<double>(p.*M); },
                  [](P& p, double v) { p.*M = static_cast<Enum>(static_cast<int>(v)); }},
                 group);
}

std::vector<Entry> MakeTable() {
  constexpr const char* kFeatures = "Features";
  constexpr const char* kRange = "Trading range";
  constexpr const char* kAtr = "Trading range, ATR mode";
  constexpr const char* kPercentile = "Trading range, percentile mode";
  constexpr const char* kPhases = "Phases";
  constexpr const char* kSpring = "Spring";
  constexpr const char* kSos = "SOS and LPS";
  constexpr const char* kUtad = "UTAD";
  std::vector<Entry> t = {
      Int<&P::volume_window>("volume_window", 1, 1000, kFeatures,
                             "bars in the mean of volume_ratio"),
      Int<&P::spread_window>("spread_window", 1, 1000, kFeatures,
                             "bars in the mean of spread_ratio"),
      Int<&P::atr_period>("atr_period", 1, 1000, kFeatures, "bars of the Wilder ATR"),
      Choice<BarInterval, &P::bar_interval>(
          "bar_interval", {"auto", "1m", "5m", "15m", "1h", "1d"}, kFeatures,
          "the bar interval that scales price percentages; auto: the median of the first 16 steps"),
      Multiple<&P::time_gap_multiple>(
          "time_gap_multiple", kFeatures,
          "a step above this many median intervals cancels pending candidates"),
      Int<&P::warmup_bars>("warmup_bars", 0, 1000, kFeatures,
                           "no trade signal before this many bars"),
      Choice<RangeMode, &P::range_mode>(
          "range_mode", {"pivot", "atr", "percentile"}, kRange,
          "how ranges are found: causal pivot clusters, an ATR lock, or percentiles of the last "
          "lows and highs"),
      Int<&P::pivot_lookback>(
          "pivot_lookback", 1, 100, kRange,
          "L: a pivot is a strict extreme of L bars either side, known L bars late"),
      Int<&P::pivot_memory>("pivot_memory", 2, 64, kRange,
                            "pivot highs (and lows) kept for clustering"),
      Fraction<&P::cluster_tolerance>("cluster_tolerance", kRange,
                                      "a pivot joins a cluster within this fraction of its mean"),
      Fraction<&P::level_tolerance>(
          "level_tolerance", kRange,
          "pivots within this fraction of the cluster mean make the level"),
      Fraction<&P::min_range_width>("min_range_width", kRange,
                                    "the least (R - S) / S of a valid range"),
      Int<&P::min_pivot_span>("min_pivot_span", 0, 1000, kRange,
                              "the least bars from the first to the last pivot of a range"),
      Int<&P::active_min_bars>("active_min_bars", 0, 1000, kRange,
                               "a range is ACTIVE after this many bars ..."),
      Score<&P::active_min_quality>("active_min_quality", kRange,
                                    "... with at least this quality (0-100)"),
      Fraction<&P::breakdown_pct>("breakdown_pct", kRange,
                                  "a close more than this fraction below S breaks the range down"),
      Bool<&P::range_needs_climax>(
          "range_needs_climax", kRange,
          "a range becomes ACTIVE only within 60 bars of a selling or buying climax seen while "
          "no range was active (phase A: the stopping action); false: any range"),
      Int<&P::atr_range_window>("atr_range_window", 2, 1000, kAtr,
                                "bars whose high-low span is compared with the ATR"),
      Multiple<&P::atr_lock_multiple>("atr_lock_multiple", kAtr,
                                      "a span of at most this many ATRs locks a range"),
      Multiple<&P::atr_release_multiple>("atr_release_multiple", kAtr,
                                         "a span above this many ATRs releases it ..."),
      Int<&P::atr_release_min_age>("atr_release_min_age", 0, 1000, kAtr,
                                   "... once the range is older than this many bars"),
      Int<&P::percentile_window>("percentile_window", 2, 1000, kPercentile,
                                 "N: support and resistance come from the last N lows and highs"),
      Fraction<&P::percentile_low>(
          "percentile_low", kPercentile,
          "S is this quantile of the lows, R the 1 - this quantile of the highs (below 0.5)"),
      Fraction<&P::percentile_min_width>("percentile_min_width", kPercentile,
                                         "the least (R - S) / S of a percentile range"),
      Grouped({NumberParam("percentile_max_drift", 0, 1000, P{}.percentile_max_drift,
                           "a percentile range forms only when the close moved at most this "
                           "many widths (R - S) over the window: sideways (0: off)"),
               [](const P& p) { return p.percentile_max_drift; },
               [](P& p, double v) { p.percentile_max_drift = v; }},
              kPercentile),
      Int<&P::percentile_min_crossings>(
          "percentile_min_crossings", 0, 1000, kPercentile,
          "a percentile range forms only when the window's closes cross its middle (S + R) / 2 "
          "at least this many times: price swings between S and R (0: off)"),
      Multiple<&P::climax_volume>("climax_volume", kPhases,
                                  "the least volume_ratio of a selling or buying climax"),
      Multiple<&P::climax_spread>("climax_spread", kPhases, "the least spread_ratio of a climax"),
      Fraction<&P::climax_close_position>(
          "climax_close_position", kPhases,
          "an SC closes at or above, a BC at or below, this close position"),
      Fraction<&P::st_tolerance>(
          "st_tolerance", kPhases,
          "a secondary test's extreme lies within this fraction of the climax's"),
      Fraction<&P::st_volume_drop>(
          "st_volume_drop", kPhases,
          "a secondary test trades at least this fraction less volume than the climax"),
      Int<&P::st_min_bars>("st_min_bars", 1, 1000, kPhases,
                           "a secondary test comes at least this many bars after the climax"),
      Int<&P::phase_b_min_bars>("phase_b_min_bars", 0, 1000, kPhases,
                                "springs and UTADs count after this many bars in phase B"),
      Bool<&P::spring_any_kind>(
          "spring_any_kind", kPhases,
          "springs, and the SOS and LPS after them, count in distribution ranges too "
          "(re-accumulation); false: accumulation ranges only"),
      Grouped({NumberParam("spring_min_penetration", 0, 1, P{}.spring_min_penetration,
                           "a spring's low lies at least this fraction below S (0: any low "
                           "below S)",
                           false, true),
               [](const P& p) { return p.spring_min_penetration; },
               [](P& p, double v) { p.spring_min_penetration = v; }},
              kSpring),
      Fraction<&P::spring_max_penetration>("spring_max_penetration", kSpring,
                                           "a spring's low lies at most this fraction below S"),
      Multiple<&P::spring_volume_max>("spring_volume_max", kSpring,
                                      "a spring bar's volume_ratio is below this (strict mode)"),
      Choice<SpringVolumeMode, &P::spring_volume_mode>(
          "spring_volume_mode", {"strict", "scored"}, kSpring,
          "strict refuses a spring on higher volume; scored admits it with less confidence"),
      Int<&P::spring_recovery_bars>(
          "spring_recovery_bars", 0, 1000, kSpring,
          "a close back above S within this many bars of the piercing bar"),
      Int<&P::spring_test_min_bars>(
          "spring_test_min_bars", 0, 1000, kSpring,
          "the test comes at least this many bars after the spring bar ..."),
      Int<&P::spring_test_max_bars>("spring_test_max_bars", 0, 1000, kSpring,
                                    "... and at most this many"),
      Fraction<&P::spring_test_tolerance>(
          "spring_test_tolerance", kSpring,
          "the test's low lies within this fraction above the spring low"),
      Fraction<&P::spring_invalidation_pct>(
          "spring_invalidation_pct", kSpring,
          "a close more than this fraction below S invalidates the spring ..."),
      Int<&P::spring_invalidation_bars>("spring_invalidation_bars", 0, 1000, kSpring,
                                        "... within this many bars after the recovery"),
      Int<&P::spring_cooldown_bars>("spring_cooldown_bars", 0, 1000, kSpring,
                                    "bars between one spring's confirmation and the next pierce"),
      Bool<&P::spring_needs_test>("spring_needs_test", kSpring,
                                  "a spring is traded only after its test"),
      Score<&P::spring_min_confidence>("spring_min_confidence", kSpring,
                                       "the least confidence (0-100) of a traded spring"),
      Fraction<&P::spring_entry_offset>("spring_entry_offset", kSpring,
                                        "entry reference S x (1 + this)"),
      Fraction<&P::stop_buffer_shallow>(
          "stop_buffer_shallow", kSpring,
          "stop below the spring low by this fraction for a shallow pierce ..."),
      Fraction<&P::stop_buffer_mid>("stop_buffer_mid", kSpring, "... for a middling pierce ..."),
      Fraction<&P::stop_buffer_deep>("stop_buffer_deep", kSpring,
                                     "... and for a deep pierce (also the UTAD's stop buffers)"),
      Fraction<&P::stop_edge_shallow>("stop_edge_shallow", kSpring,
                                      "a pierce below this fraction is shallow"),
      Fraction<&P::stop_edge_deep>("stop_edge_deep", kSpring,
                                   "a pierce from this fraction on is deep"),
      Multiple<&P::min_reward_risk>("min_reward_risk", kSpring,
                                    "signals with a lower reward/risk are not traded"),
      Int<&P::sos_min_bars>("sos_min_bars", 0, 1000, kSos, "bars of history before any SOS"),
      Fraction<&P::sos_breakout>("sos_breakout", kSos,
                                 "an SOS closes at least this fraction above R"),
      Multiple<&P::sos_volume>("sos_volume", kSos, "the least volume_ratio of an SOS"),
      Multiple<&P::sos_spread>("sos_spread", kSos, "the least spread_ratio of an SOS"),
      Fraction<&P::sos_close_position>("sos_close_position", kSos,
                                       "the least close position of an SOS"),
      Fraction<&P::sos_marginal_close_position>(
          "sos_marginal_close_position", kSos,
          "an SOS closing below this position loses 10 confidence points"),
      Bool<&P::trade_sos>("trade_sos", kSos, "trade the SOS itself (the LPS after it otherwise)"),
      Bool<&P::sos_needs_spring>(
          "sos_needs_spring", kSos,
          "an SOS counts only after a spring in its range (an SOW after a UTAD); false: also "
          "from a mature phase B without one"),
      Fraction<&P::sos_stop>("sos_stop", kSos, "the stop of a direct SOS entry: R x (1 - this)"),
      Int<&P::lps_window>("lps_window", 1, 1000, kSos,
                          "an LPS comes within this many bars after the SOS"),
      Fraction<&P::lps_floor>("lps_floor", kSos,
                              "the pullback's low stays at or above R x (1 - this) ..."),
      Fraction<&P::lps_ceiling>("lps_ceiling", kSos, "... and at or below R x (1 + this)"),
      Fraction<&P::lps_bounce>("lps_bounce", kSos,
                               "then a close at least this fraction above the pullback's low"),
      Fraction<&P::lps_entry>("lps_entry", kSos, "LPS entry reference R x (1 + this)"),
      Fraction<&P::lps_stop>("lps_stop", kSos, "LPS stop R x (1 - this)"),
      Fraction<&P::utad_min_pierce>("utad_min_pierce", kUtad,
                                    "an upthrust's high pierces R by at least this fraction ..."),
      Fraction<&P::utad_max_pierce>("utad_max_pierce", kUtad, "... and at most this fraction"),
      Multiple<&P::utad_volume>("utad_volume", kUtad, "an upthrust's volume_ratio is above this"),
      Int<&P::utad_failure_bars>("utad_failure_bars", 0, 1000, kUtad,
                                 "a close back below R within this many bars"),
  };
  return t;
}

const std::vector<Entry>& Table() {
  static const std::vector<Entry> table = MakeTable();
  return table;
}

Result<void> Require(bool ok, const std::string& message) {
  if (ok) return {};
  return Fail(ErrorCode::kInvalidArgument, "detector parameters: " + message);
}

Result<void> CheckRule(const ParamValues& values) {
  return ValidateParams(ToDetectorParams(values));
}

}  // namespace

const ParamSchema& DetectorSchema() {
  static const ParamSchema schema = [] {
    std::vector<ParamSpec> specs;
    for (const Entry& e : Table()) specs.push_back(e.spec);
    return ParamSchema("wyckoff", std::move(specs), &CheckRule);
  }();
  return schema;
}

DetectorParams ToDetectorParams(const ParamValues& values) {
  WYCKOFF_CHECK(&values.schema() == &DetectorSchema(), "values of the detector schema");
  DetectorParams params;
  const std::vector<Entry>& table = Table();
  for (std::size_t i = 0; i < table.size(); ++i) table[i].set(params, values[i]);
  return params;
}

ParamValues ToParamValues(const DetectorParams& params) {
  ParamValues values = DetectorSchema().Defaults();
  const std::vector<Entry>& table = Table();
  for (std::size_t i = 0; i < table.size(); ++i) values.Set(i, table[i].get(params));
  return values;
}

Result<void> SetParam(DetectorParams& params, std::string_view name, std::string_view value) {
  ParamValues values = ToParamValues(params);
  if (auto ok = values.Set(name, value); !ok) return ok;
  params = ToDetectorParams(values);
  return {};
}

std::vector<std::pair<std::string, std::string>> ListParams(const DetectorParams& params) {
  return ToParamValues(params).List();
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
  if (auto r = Require(p.percentile_low < 0.5, "percentile_low " + FormatDouble(p.percentile_low) +
                                                   " is not below 0.5 (S would not be below R)");
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
