// Synthetic OHLCV with planted, labelled Wyckoff structures, so that detector accuracy can be
// measured where the ground truth is known (`wyckoff generate`, tests/detectors/accuracy_test).
//
//   auto scenario = GenerateScenario({.kind = ScenarioKind::kAccumulation, .bars = 5000,
//                                     .seed = 7});
//   if (!scenario) return Report(scenario.error());        // too few bars for one structure
//   PatternEngine patterns(DetectorParams{}, "SYN");
//   std::vector<PatternEvent> events;
//   for (const Bar& bar : scenario->bars) patterns.OnBar(bar, events);
//   for (const AccuracyRow& row : MeasureAccuracy(scenario->labels, events)) Print(row);
//
// A scenario is a chain of structures joined by random-walk trends. An accumulation: a decline,
// a selling climax (SC), an automatic rally, a secondary test (ST), a trading range of 10-14
// touches, a low-volume spring below support, its test, a sign of strength (SOS) through
// resistance and a last point of support (LPS). A distribution: a rise, a buying climax (BC),
// the range, an upthrust after distribution (UTAD) on volume, and the break of support. Every
// size is drawn per structure (range width 4.5-10%, leg lengths, spring depth 1.2-3.8%, volume
// ratios, recovery and failure bars) inside the limits of wyckoff-rules.md with a margin, so
// that a careful reader of those rules labels them as planted. Decoys look like a pattern but
// break one rule by a clear margin (a pierce deeper than 5%, a pierce on high volume, an
// upthrust without volume, a breakdown, a breakout); they are labelled DECOY_*, never as the
// pattern. docs/detectors.md, "Synthetic scenarios and accuracy", lists them all.
//
// Determinism: std::mt19937_64 with integer draws (no std:: distributions, whose output differs
// between standard libraries); prices are whole cents computed with integer arithmetic, volumes
// whole shares. The same options give the same bars and labels on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/error.h"
#include "wyckoff/detectors/pattern_event.h"

namespace wyckoff::detectors {

// kMixed alternates accumulations and distributions (accumulation, markup, distribution,
// markdown, ...).
enum class ScenarioKind : std::uint8_t { kAccumulation, kDistribution, kMixed };

// "accumulation", "distribution", "mixed".
std::string_view ScenarioKindName(ScenarioKind kind);
// The inverse of ScenarioKindName; an unknown name is kInvalidArgument naming the choices.
Result<ScenarioKind> ParseScenarioKind(std::string_view name);

// What a label marks. The pattern labels carry the event type names of events.csv (SC, BC, ST,
// SPRING, SPRING_TEST, SOS, LPS, UTAD); RANGE marks a planted trading range from its first to
// its last bar; DECOY_* mark bars that a detector must not report as the pattern they imitate.
enum class LabelType : std::uint8_t {
  kSellingClimax,       // SC: the climactic bar that ends the decline (the range's first low)
  kBuyingClimax,        // BC: the climactic bar that ends the rise (the range's first high)
  kSecondaryTest,       // ST: the first return to the climax extreme after the AR
  kRange,               // RANGE: the planted trading range, pattern_index .. end_index
  kSpring,              // SPRING: the low-volume pierce of support that recovers
  kSpringTest,          // SPRING_TEST: pattern_index is the spring, end_index the test bar
  kSignOfStrength,      // SOS: the wide, high-volume close through resistance
  kLastPointOfSupport,  // LPS: the low of the pullback to resistance after the SOS
  kUpthrust,            // UTAD: the high-volume pierce of resistance that fails
  kDecoyDeepPierce,     // a low-volume pierce of support deeper than 5% that recovers
  kDecoyVolumePierce,   // a 1-3% pierce of support on high volume that recovers
  kDecoyBreakdown,      // a close more than 5% below support: the range fails
  kDecoyWeakUpthrust,   // a 0.5-0.9% pierce of resistance without volume that fails
  kDecoyBreakout,       // a close more than 5% above resistance on volume: no upthrust
};

// "SC", "RANGE", "SPRING", "DECOY_DEEP_PIERCE", ...
std::string_view LabelTypeName(LabelType type);
bool IsDecoy(LabelType type);

struct ScenarioOptions {
  ScenarioKind kind = ScenarioKind::kAccumulation;
  std::size_t bars = 5000;
  std::uint64_t seed = 1;
  // The first bar's time: daily bars on the weekdays that follow, or, for more than
  // kMaxDailyScenarioBars bars, one-minute bars through every weekday (the detectors' price
  // scale is 1.0 either way). Every time stays within the supported dates.
  Timestamp start = 946'857'600LL * kNanosPerSecond;  // Monday 2000-01-03
  std::int64_t start_cents = 10'000;                  // first close, in cents
};

// The fewest bars that hold one structure of any kind with its lead-in trend.
inline constexpr std::size_t kMinScenarioBars = 400;
// Up to this many bars are daily (from 2000 they reach 2191); more are one-minute bars.
inline constexpr std::size_t kMaxDailyScenarioBars = 50'000;
// The most bars a scenario holds (in memory at once): one-minute bars from 2000 reach 2026.
inline constexpr std::size_t kMaxScenarioBars = 10'000'000;

struct ScenarioLabel {
  LabelType type = LabelType::kRange;
  std::int64_t pattern_index = 0;  // the bar that forms the pattern, as in PatternEvent
  std::int64_t end_index = 0;      // RANGE: its last bar; SPRING_TEST: the test bar; else =
  Timestamp pattern_time = 0;
  Timestamp end_time = 0;
  int structure = 0;   // 1-based number of the structure the label belongs to
  Decimal level;       // the planted level the pattern refers to (S or R)
  std::string detail;  // the drawn sizes, e.g. "depth 2.31% volume 0.42x"; no commas
};

struct Scenario {
  std::vector<Bar> bars;              // valid bars, strictly increasing weekday timestamps
  bool intraday = false;              // one-minute bars (more than kMaxDailyScenarioBars)
  std::vector<ScenarioLabel> labels;  // ordered by pattern_index (stable)
  int structures = 0;
};

// Generates `options.bars` bars holding as many whole structures as fit (one every 150-300
// bars), the rest filled with trend. Errors (kInvalidArgument): fewer than kMinScenarioBars
// or more than kMaxScenarioBars bars, a start price outside 10.00 .. 10000.00.
Result<Scenario> GenerateScenario(const ScenarioOptions& options);

// The matching rule (docs/detectors.md): a detected event matches an unmatched label of the
// same type when |event.pattern_index - label.pattern_index| <= tolerance (for SPRING_TEST also
// |event.confirm_index - label.end_index| <= tolerance); each label matches at most one event,
// each event at most one label, events and labels taken in order. RANGE_ACTIVE events are
// scored against RANGE labels differently: an event is a true positive when its confirm_index
// (the bar the range became ACTIVE) lies inside a planted range [pattern_index, end_index]; a
// range label is recalled when at least one event lies inside it.
inline constexpr int kMatchTolerance = 3;

struct AccuracyRow {
  std::string type;        // a label type name: SC, BC, ST, RANGE, SPRING, ...
  int labels = 0;          // planted labels of this type
  int detected = 0;        // events of the matching type
  int true_positives = 0;  // events matched to a label
  int labels_found = 0;    // labels matched by an event
  // 1.0 when nothing was detected (no false positive) or nothing was planted.
  double precision() const {
    return detected > 0 ? static_cast<double>(true_positives) / detected : 1.0;
  }
  double recall() const { return labels > 0 ? static_cast<double>(labels_found) / labels : 1.0; }
};

// One row per pattern label type (SC, BC, ST, RANGE, SPRING, SPRING_TEST, SOS, LPS, UTAD), in
// that order. Rows add up across runs (AddRows) for figures over many seeds.
std::vector<AccuracyRow> MeasureAccuracy(const std::vector<ScenarioLabel>& labels,
                                         const std::vector<PatternEvent>& events,
                                         int tolerance = kMatchTolerance);
void AddRows(std::vector<AccuracyRow>& total, const std::vector<AccuracyRow>& rows);

}  // namespace wyckoff::detectors
