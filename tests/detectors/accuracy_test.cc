// Detector accuracy against planted ground truth: 20 seeds x 5000 bars per scenario, the
// default DetectorParams, the matching rule of fixtures/accuracy.h (+-3 bars). Prints the
// table that docs/detectors.md quotes. Set WYCKOFF_ACCURACY_VERBOSE=1 to list every miss and
// false alarm.
#include "wyckoff/fixtures/accuracy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/fixtures/scenario.h"

namespace wyckoff::detectors {
namespace {

using fixtures::AccuracyRow;
using fixtures::GenerateScenario;
using fixtures::IsDecoy;
using fixtures::kMatchTolerance;
using fixtures::LabelType;
using fixtures::LabelTypeName;
using fixtures::Scenario;
using fixtures::ScenarioKind;
using fixtures::ScenarioKindName;
using fixtures::ScenarioLabel;

constexpr int kSeeds = 20;
constexpr std::size_t kBars = 5000;

bool Verbose() { return std::getenv("WYCKOFF_ACCURACY_VERBOSE") != nullptr; }

std::vector<PatternEvent> Detect(const Scenario& scenario) {
  PatternEngine patterns(DetectorParams{}, "SYN");
  std::vector<PatternEvent> events;
  for (const Bar& bar : scenario.bars) patterns.OnBar(bar, events);
  return events;
}

// Lists, for one run, the labels of a scored type no event matched and the events no label
// matched (nearest label within 20 bars, for diagnosis).
void PrintMisses(std::uint64_t seed, const Scenario& s, const std::vector<PatternEvent>& events) {
  for (const ScenarioLabel& l : s.labels) {
    if (IsDecoy(l.type) || l.type == LabelType::kRange) continue;
    bool found = false;
    for (const PatternEvent& e : events) {
      found = found || (EventTypeName(e.type) == LabelTypeName(l.type) &&
                        std::abs(e.pattern_index - l.pattern_index) <= kMatchTolerance);
    }
    if (!found) {
      std::printf("  seed %llu miss %s at %lld (%s)\n", static_cast<unsigned long long>(seed),
                  std::string(LabelTypeName(l.type)).c_str(),
                  static_cast<long long>(l.pattern_index), l.detail.c_str());
    }
  }
  for (const PatternEvent& e : events) {
    if (e.type == EventType::kRangeActive || e.type == EventType::kRangeBrokenDown ||
        e.type == EventType::kRangeBrokenUp || e.type == EventType::kSpringInvalidated) {
      continue;
    }
    const ScenarioLabel* near = nullptr;
    for (const ScenarioLabel& l : s.labels) {
      const auto d = std::abs(e.pattern_index - l.pattern_index);
      if (d <= 20 && (near == nullptr || d < std::abs(e.pattern_index - near->pattern_index))) {
        near = &l;
      }
    }
    bool matched = false;
    for (const ScenarioLabel& l : s.labels) {
      matched = matched || (EventTypeName(e.type) == LabelTypeName(l.type) &&
                            std::abs(e.pattern_index - l.pattern_index) <= kMatchTolerance);
    }
    if (!matched) {
      std::printf("  seed %llu false %s at %lld confirm %lld (nearest label: %s at %lld)\n",
                  static_cast<unsigned long long>(seed), std::string(EventTypeName(e.type)).c_str(),
                  static_cast<long long>(e.pattern_index), static_cast<long long>(e.confirm_index),
                  near ? std::string(LabelTypeName(near->type)).c_str() : "-",
                  near ? static_cast<long long>(near->pattern_index) : -1LL);
    }
  }
}

std::vector<AccuracyRow> Measure(ScenarioKind kind) {
  std::vector<AccuracyRow> total;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    auto scenario = GenerateScenario({.kind = kind, .bars = kBars, .seed = seed});
    EXPECT_TRUE(scenario.has_value());
    if (!scenario) continue;
    const std::vector<PatternEvent> events = Detect(*scenario);
    if (Verbose()) PrintMisses(seed, *scenario, events);
    fixtures::AddRows(total, fixtures::MeasureAccuracy(scenario->labels, events));
  }
  return total;
}

void PrintTable(ScenarioKind kind, const std::vector<AccuracyRow>& rows) {
  for (const AccuracyRow& r : rows) {
    if (r.labels == 0 && r.detected == 0) continue;
    std::printf("| %-12s | %-11s | %6d | %8d | %5d | %9.1f%% | %6.1f%% |\n",
                std::string(ScenarioKindName(kind)).c_str(), r.type.c_str(), r.labels, r.detected,
                r.true_positives, 100 * r.precision(), 100 * r.recall());
  }
}

const AccuracyRow& Row(const std::vector<AccuracyRow>& rows, const std::string& type) {
  for (const AccuracyRow& r : rows) {
    if (r.type == type) return r;
  }
  static const AccuracyRow kNone;
  return kNone;
}

TEST(DetectorAccuracyTest, SpringsAndRangesMeetTheTargetsOnEveryScenario) {
  std::printf(
      "| scenario     | type        | labels | detected |    TP | precision | recall  |\n"
      "| ---          | ---         |    --- |      --- |   --- |       --- |     --- |\n");
  for (ScenarioKind kind :
       {ScenarioKind::kAccumulation, ScenarioKind::kDistribution, ScenarioKind::kMixed}) {
    const std::vector<AccuracyRow> rows = Measure(kind);
    PrintTable(kind, rows);
    const AccuracyRow& springs = Row(rows, "SPRING");
    const AccuracyRow& ranges = Row(rows, "RANGE");
    EXPECT_GE(springs.recall(), 0.90) << ScenarioKindName(kind);
    EXPECT_GE(springs.precision(), 0.75) << ScenarioKindName(kind);
    EXPECT_GE(ranges.precision(), 0.90) << ScenarioKindName(kind);
    // Each scenario plants what it promises.
    if (kind != ScenarioKind::kDistribution) {
      EXPECT_GE(springs.labels, 5 * kSeeds);
    }
    if (kind != ScenarioKind::kAccumulation) {
      EXPECT_GE(Row(rows, "UTAD").labels, 5 * kSeeds);
    }
  }
}

}  // namespace
}  // namespace wyckoff::detectors
