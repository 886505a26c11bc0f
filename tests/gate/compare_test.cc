#include "wyckoff/gate/compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "results_json_builder.h"

namespace wyckoff::gate {
namespace {

using test_support::ReadFile;
using test_support::ResultsJson;
using test_support::ScratchFolder;

// Twelve samples around `center`, spread over +-5.5% in a fixed scrambled order, no ties.
std::vector<double> TwelveSamples(double center) {
  static constexpr double kOffsets[] = {0.5, -3.5, 2.5, -1.5, 5.5, -4.5,
                                        1.5, -0.5, 4.5, -2.5, 3.5, -5.5};
  std::vector<double> samples;
  for (double offset : kOffsets) samples.push_back(center * (1 + offset / 100));
  return samples;
}

const MetricComparison& Row(const Comparison& comparison, const std::string& benchmark,
                            const std::string& metric = "real_time") {
  auto it = std::find_if(comparison.rows.begin(), comparison.rows.end(), [&](const auto& row) {
    return row.benchmark == benchmark && row.metric == metric;
  });
  if (it == comparison.rows.end()) {
    ADD_FAILURE() << "no row for " << benchmark << " " << metric;
    static const MetricComparison kMissing;
    return kMissing;
  }
  return *it;
}

// One result file per process: `fill(i, results)` writes process i's rows. Returns the paths,
// PREFIX0.json, PREFIX1.json, ...
template <typename Fill>
std::vector<std::string> WriteProcesses(const ScratchFolder& scratch, const std::string& prefix,
                                        std::size_t processes, Fill fill) {
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < processes; ++i) {
    ResultsJson results;
    fill(i, results);
    paths.push_back(scratch.Write(prefix + std::to_string(i) + ".json", results.Text()));
  }
  return paths;
}

// One process per value, each with that value as its single repetition of `name`.
std::vector<std::string> OneRepetitionEach(const ScratchFolder& scratch, const std::string& prefix,
                                           const std::vector<double>& values,
                                           const std::string& name = "BM_Foo") {
  return WriteProcesses(scratch, prefix, values.size(),
                        [&](std::size_t i, ResultsJson& r) { r.Sample(name, values[i]); });
}

// Compares one benchmark, one process per value on each side.
Comparison CompareOne(const ScratchFolder& scratch, const std::vector<double>& base,
                      const std::vector<double>& head,
                      const CompareOptions& options = CompareOptions{}) {
  Result<Comparison> comparison = CompareFiles(OneRepetitionEach(scratch, "base", base),
                                               OneRepetitionEach(scratch, "head", head), options);
  EXPECT_TRUE(comparison.has_value()) << comparison.error().message;
  return comparison.value_or(Comparison{});
}

std::vector<double> Scaled(std::vector<double> values, double factor) {
  for (double& v : values) v *= factor;
  return values;
}

// ---- Verdicts -------------------------------------------------------------------------------

TEST(CompareTest, IdenticalSamplesPass) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, samples, samples);

  const MetricComparison& row = Row(comparison, "BM_Foo");
  // Twelve values, each once per side: twelve tied pairs. Counting the C(24, 12) = 2704156
  // placements of their mid-ranks (a Python dynamic programme over exact fractions): 1413363
  // give U >= 72, the observed U.
  EXPECT_EQ(row.verdict, Verdict::kOk);
  EXPECT_DOUBLE_EQ(row.change, 0.0);
  EXPECT_TRUE(row.exact_p);
  EXPECT_DOUBLE_EQ(row.p_worse, 1413363.0 / 2704156);
  EXPECT_EQ(row.base_samples, 12u);
  EXPECT_EQ(row.base_repetitions, 12u);
  EXPECT_FALSE(gate::HasFailure(comparison));
}

TEST(CompareTest, TwentyPercentSlowdownOverTwelveProcessesFails) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 1.2));

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_EQ(row.verdict, Verdict::kFail);
  EXPECT_NEAR(row.change, 0.2, 1e-12);
  // Every head sample is above every base sample: 1 of C(24, 12) = 2704156 orderings.
  EXPECT_TRUE(row.exact_p);
  EXPECT_NEAR(row.p_worse, 1.0 / 2704156, 1e-15);
  EXPECT_TRUE(gate::HasFailure(comparison));
  EXPECT_EQ(FailingBenchmarks(comparison), std::vector<std::string>{"BM_Foo"});
}

TEST(CompareTest, ThreePercentChangePassesEvenWhenSignificant) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 1.03));

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_NEAR(row.change, 0.03, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kOk);
  EXPECT_FALSE(gate::HasFailure(comparison));
}

TEST(CompareTest, NoisyFifteenPercentIsDecidedByTheTestNotTheRatio) {
  ScratchFolder scratch;
  const std::vector<double> base = {90, 92, 94, 96, 98, 99, 101, 102, 104, 106, 108, 110};
  const std::vector<double> head = {80, 85, 95, 100, 105, 112, 118, 120, 125, 130, 140, 150};

  const Comparison comparison = CompareOne(scratch, base, head);

  // Twelve processes a side. Medians 100 and 115: 15% worse, past the 10% FAIL line, but the
  // samples overlap. The exact p, counted independently by enumerating all C(24, 12) =
  // 2704156 splits of the pooled values (a Python brute force): 119975 splits give U >= 102,
  // p = 0.04437 >= 0.01. So WARN (> 5% worse, p < 0.05), not FAIL.
  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_NEAR(row.change, 0.15, 1e-12);
  EXPECT_TRUE(row.exact_p);
  EXPECT_NEAR(row.p_worse, 119975.0 / 2704156.0, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kWarn);
  EXPECT_FALSE(gate::HasFailure(comparison));
}

TEST(CompareTest, FasterHeadIsImproved) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 0.8));

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_EQ(row.verdict, Verdict::kImproved);
  EXPECT_NEAR(row.change, -0.2, 1e-12);
  EXPECT_NEAR(row.p_better, 1.0 / 2704156, 1e-15);
}

TEST(CompareTest, ThroughputCountersAreWorseWhenLower) {
  ScratchFolder scratch;
  const std::vector<double> rates = TwelveSamples(1e6);
  // Process i runs the backtest once at rates[i] x `factor` bars per second.
  auto processes = [&](const std::string& prefix, double factor, double bars) {
    return WriteProcesses(scratch, prefix, rates.size(), [&](std::size_t i, ResultsJson& r) {
      r.Sample("BM_Backtest_SmaCross", 500, "us",
               {{"bars_per_second", rates[i] * factor}, {"bars", bars}});
    });
  };
  const std::vector<std::string> base = processes("base", 1, 500);

  Result<Comparison> slower = CompareFiles(base, processes("head", 0.8, 400), CompareOptions{});
  Result<Comparison> better = CompareFiles(base, processes("faster", 1.25, 400), CompareOptions{});

  ASSERT_TRUE(slower.has_value()) << slower.error().message;
  ASSERT_TRUE(better.has_value()) << better.error().message;
  const MetricComparison& drop = Row(*slower, "BM_Backtest_SmaCross", "bars_per_second");
  EXPECT_TRUE(drop.higher_is_better);
  EXPECT_NEAR(drop.change, 0.25, 1e-12);  // base/head - 1: 20% fewer bars/s is 25% more time
  EXPECT_EQ(drop.verdict, Verdict::kFail);
  EXPECT_EQ(Row(*slower, "BM_Backtest_SmaCross").verdict, Verdict::kOk);  // same real_time
  EXPECT_EQ(slower->rows.size(), 2u);  // "bars" is not a rate: not compared
  const MetricComparison& rise = Row(*better, "BM_Backtest_SmaCross", "bars_per_second");
  EXPECT_NEAR(rise.change, -0.2, 1e-12);
  EXPECT_EQ(rise.verdict, Verdict::kImproved);
}

// ---- Reading the files ----------------------------------------------------------------------

TEST(CompareTest, EachProcessIsOneSampleTheMedianOfItsRepetitions) {
  ScratchFolder scratch;
  // Process i's three repetitions: 1000 + 10 i, plus one slow outlier and one fast.
  auto repetitions = [](std::size_t i) {
    const double center = 1000 + 10 * static_cast<double>(i);
    return std::vector<double>{center - 3, center + 400, center};
  };
  const std::vector<std::string> base =
      WriteProcesses(scratch, "base", 4, [&](std::size_t i, ResultsJson& r) {
        r.Samples("BM_Foo", repetitions(i)).Aggregate("BM_Foo", "mean", 1e9);
      });
  const std::vector<std::string> head =
      WriteProcesses(scratch, "head", 4, [&](std::size_t i, ResultsJson& r) {
        r.Samples("BM_Foo", Scaled(repetitions(i), 1e-3), "us").Aggregate("BM_Foo", "median", 1);
      });

  Result<Comparison> comparison = CompareFiles(base, head, CompareOptions{});

  // Per-process medians 1000, 1010, 1020, 1030 on both sides (the head's in us, the same
  // times); the aggregate rows are ignored.
  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  ASSERT_EQ(comparison->rows.size(), 1u);
  const MetricComparison& row = comparison->rows[0];
  EXPECT_EQ(row.base_samples, 4u);
  EXPECT_EQ(row.head_samples, 4u);
  EXPECT_EQ(row.base_repetitions, 12u);
  EXPECT_EQ(row.head_repetitions, 12u);
  EXPECT_NEAR(row.base_median, 1015, 1e-9);
  EXPECT_NEAR(row.head_median, 1015, 1e-9);
  EXPECT_NEAR(row.change, 0.0, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kOk);
}

TEST(CompareTest, RepetitionsOfOneProcessAreNotIndependentSamples) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  const std::string base =
      scratch.Write("base.json", ResultsJson().Samples("BM_Foo", samples).Text());
  const std::string head =
      scratch.Write("head.json", ResultsJson().Samples("BM_Foo", Scaled(samples, 1.2)).Text());
  CompareOptions by_repetition;
  by_repetition.unit = SampleUnit::kRepetition;

  Result<Comparison> by_process = CompareFiles({base}, {head}, CompareOptions{});
  Result<Comparison> pooled = CompareFiles({base}, {head}, by_repetition);

  // One process a side: n = 1 + 1, whose only outcomes give p = 0.5 or 1, however many
  // repetitions each ran. Pooled, the twelve repetitions would claim p = 1/C(24, 12).
  ASSERT_TRUE(by_process.has_value()) << by_process.error().message;
  ASSERT_TRUE(pooled.has_value()) << pooled.error().message;
  const MetricComparison& row = Row(*by_process, "BM_Foo");
  EXPECT_EQ(row.base_samples, 1u);
  EXPECT_EQ(row.base_repetitions, 12u);
  EXPECT_DOUBLE_EQ(row.p_worse, 0.5);
  EXPECT_NEAR(row.change, 0.2, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kOk);
  const MetricComparison& pooled_row = Row(*pooled, "BM_Foo");
  EXPECT_EQ(pooled_row.base_samples, 12u);
  EXPECT_DOUBLE_EQ(pooled_row.p_worse, 1.0 / 2704156);
  EXPECT_EQ(pooled_row.verdict, Verdict::kFail);
}

TEST(CompareTest, TiedFourAgainstFourProcessesWarnAtOneInSeventyAndNeverFail) {
  ScratchFolder scratch;

  const Comparison comparison = CompareOne(scratch, {100, 100, 100, 100}, {120, 120, 120, 120});

  // Every head process above every base process, ties within each side: the best 4 + 4 can
  // do, p = 1/C(8, 4) = 1/70 = 0.0143, not below 0.01. +20% with p < 0.05: WARN.
  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_TRUE(row.exact_p);
  EXPECT_DOUBLE_EQ(row.p_worse, 1.0 / 70);
  EXPECT_EQ(row.verdict, Verdict::kWarn);
  EXPECT_FALSE(gate::HasFailure(comparison));
  EXPECT_EQ(UnderpoweredNotes(comparison),
            std::vector<std::string>{"n=4+4 cannot reach p < 0.01: smallest possible p = 0.0143 "
                                     "(BM_Foo); run more rounds."});
}

TEST(CompareTest, ThreeAgainstThreeProcessesCannotWarn) {
  ScratchFolder scratch;

  const Comparison comparison = CompareOne(scratch, {100, 100, 100}, {120, 120, 120});

  // 1/C(6, 3) = 0.05 is the best 3 + 3 can do, and WARN needs p < 0.05.
  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_DOUBLE_EQ(row.p_worse, 1.0 / 20);
  EXPECT_EQ(row.verdict, Verdict::kOk);
  EXPECT_EQ(UnderpoweredNotes(comparison),
            std::vector<std::string>{"n=3+3 cannot reach p < 0.05: smallest possible p = 0.05 "
                                     "(BM_Foo); run more rounds."});
}

TEST(CompareTest, UnderpoweredNotesGroupMetricsBySampleSize) {
  ScratchFolder scratch;
  // BM_A and BM_B: 3 processes a side; BM_C: 4; BM_D: 12, which can reach any threshold.
  auto processes = [&](const std::string& prefix, double time) {
    return WriteProcesses(scratch, prefix, 12, [&](std::size_t i, ResultsJson& r) {
      if (i < 3) r.Sample("BM_A", time).Sample("BM_B", time, "ns", {{"rows_per_second", 1e6}});
      if (i < 4) r.Sample("BM_C", time);
      r.Sample("BM_D", time + static_cast<double>(i));
    });
  };
  CompareOptions by_repetition;
  by_repetition.unit = SampleUnit::kRepetition;

  Result<Comparison> comparison =
      CompareFiles(processes("base", 100), processes("head", 100), CompareOptions{});
  Result<Comparison> pooled =
      CompareFiles(processes("base", 100), processes("head", 100), by_repetition);

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  ASSERT_TRUE(pooled.has_value()) << pooled.error().message;
  EXPECT_EQ(UnderpoweredNotes(*comparison),
            (std::vector<std::string>{
                "n=3+3 cannot reach p < 0.05: smallest possible p = 0.05 (BM_A, BM_B, BM_B "
                "(rows_per_second)); run more rounds.",
                "n=4+4 cannot reach p < 0.01: smallest possible p = 0.0143 (BM_C); run more "
                "rounds."}));
  EXPECT_EQ(UnderpoweredNotes(*pooled)[0],
            "n=3+3 cannot reach p < 0.05: smallest possible p = 0.05 (BM_A, BM_B, BM_B "
            "(rows_per_second)); run more repetitions.");
}

TEST(CompareTest, MalformedJsonGivesTheExactError) {
  ScratchFolder scratch;
  const std::string good = scratch.Write("good.json", ResultsJson().Samples("BM_Foo", {1}).Text());
  const std::string bad = scratch.Write("bad.json", "{\"benchmarks\": [");
  std::ostringstream out, err;

  Result<Comparison> comparison = CompareFiles({good}, {bad}, CompareOptions{});
  CompareCommand command;
  command.base_files = {good};
  command.head_files = {bad};
  const int exit_code = RunCompareCommand(command, out, err);

  ASSERT_FALSE(comparison.has_value());
  const std::string expected =
      bad +
      ": not valid JSON (parse error at line 1, column 17: syntax error while parsing value - "
      "unexpected end of input; expected '[', '{', or a literal)";
  EXPECT_EQ(comparison.error().message, expected);
  EXPECT_EQ(exit_code, 2);
  EXPECT_EQ(err.str(), "wyckoff bench compare: " + expected + "\n");
  EXPECT_EQ(out.str(), "");
}

TEST(CompareTest, BadInputNamesTheFileAndTheReason) {
  ScratchFolder scratch;
  const std::string good = scratch.Write("good.json", ResultsJson().Samples("BM_Foo", {1}).Text());
  const std::string missing = scratch.Path("missing.json");
  const std::string empty = scratch.Write("empty.json", "");
  const std::string no_rows = scratch.Write("no_rows.json", "{\"benchmarks\": []}");
  const std::string not_gbench = scratch.Write("other.json", "{\"bars\": 3}");
  const std::string aggregates =
      scratch.Write("aggregates.json", ResultsJson().Aggregate("BM_Foo", "mean", 1).Text());
  const std::string other_name =
      scratch.Write("other_name.json", ResultsJson().Samples("BM_Bar", {1}).Text());
  const std::string bad_unit =
      scratch.Write("bad_unit.json", ResultsJson().Sample("BM_Foo", 1, "fs").Text());
  auto error_for = [&](const std::string& head) {
    Result<Comparison> comparison = CompareFiles({good}, {head}, CompareOptions{});
    return comparison ? std::string("no error") : comparison.error().message;
  };

  EXPECT_EQ(error_for(missing), missing + ": cannot open (No such file or directory)");
  EXPECT_EQ(error_for(empty), empty +
                                  ": empty file, expected Google Benchmark JSON output "
                                  "(--benchmark_format=json)");
  EXPECT_EQ(error_for(no_rows), no_rows + ": the \"benchmarks\" array is empty");
  EXPECT_EQ(error_for(not_gbench), not_gbench +
                                       ": no \"benchmarks\" array, expected Google Benchmark "
                                       "JSON output (--benchmark_format=json)");
  EXPECT_EQ(error_for(aggregates),
            aggregates +
                ": only aggregate rows; run without "
                "--benchmark_report_aggregates_only to keep per-repetition samples");
  EXPECT_EQ(error_for(other_name), "no benchmark appears in both the base results (" + good +
                                       ") and the head results (" + other_name + ")");
  EXPECT_EQ(
      error_for(bad_unit),
      bad_unit + ": benchmarks[0] (\"BM_Foo\"): time_unit \"fs\" is not one of ns, us, ms, s");
  EXPECT_EQ(CompareFiles({}, {good}, CompareOptions{}).error().message,
            "no base result files given");
}

TEST(CompareTest, SkippedNewAndRemovedBenchmarksAreListedNotCompared) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  ResultsJson base, head;
  base.Samples("BM_Kept", samples).Samples("BM_Removed", samples).Error("BM_Db_Query", "no db");
  head.Samples("BM_Kept", samples).Samples("BM_New", samples).Error("BM_Db_Query", "no db");

  Result<Comparison> comparison =
      CompareFiles({scratch.Write("base.json", base.Text())},
                   {scratch.Write("head.json", head.Text())}, CompareOptions{});

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  ASSERT_EQ(comparison->rows.size(), 1u);
  EXPECT_EQ(comparison->rows[0].benchmark, "BM_Kept");
  EXPECT_EQ(comparison->only_in_base, std::vector<std::string>{"BM_Removed"});
  EXPECT_EQ(comparison->only_in_head, std::vector<std::string>{"BM_New"});
  ASSERT_EQ(comparison->skipped.size(), 1u);
  EXPECT_EQ(comparison->skipped[0].benchmark, "BM_Db_Query");
  EXPECT_EQ(comparison->skipped[0].reason, "no db");
  const std::string text = ToText(*comparison);
  EXPECT_NE(text.find("New in head (not compared): BM_New.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Missing from head (not compared): BM_Removed.\n"), std::string::npos);
  EXPECT_NE(text.find("Skipped BM_Db_Query: no db.\n"), std::string::npos);
}

// ---- Reports --------------------------------------------------------------------------------

// Twelve processes a side, each running BM_A (unchanged), BM_B (20% slower) and BM_C (20%
// faster) once: the three kinds of row. BM_A's values are the same on both sides: twelve tied
// pairs, exact p = 1413363/2704156 = 0.5227 (see IdenticalSamplesPass).
Result<Comparison> ThreeBenchmarks(const ScratchFolder& scratch) {
  const std::vector<double> samples = TwelveSamples(1000);
  auto processes = [&](const std::string& prefix, double slower, double faster) {
    return WriteProcesses(scratch, prefix, samples.size(), [&](std::size_t i, ResultsJson& r) {
      r.Sample("BM_A", samples[i]).Sample("BM_B", samples[i] * slower);
      r.Sample("BM_C", samples[i] * faster);
    });
  };
  return CompareFiles(processes("base", 1, 1), processes("head", 1.2, 1 / 1.2), CompareOptions{});
}

TEST(CompareTest, MarkdownHasTheMarkerFirstAndRegressionsFirst) {
  ScratchFolder scratch;
  Result<Comparison> comparison = ThreeBenchmarks(scratch);
  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;

  const std::string markdown = ToMarkdown(*comparison);

  std::istringstream lines(markdown);
  std::vector<std::string> first(12);
  for (std::string& line : first) std::getline(lines, line);
  EXPECT_EQ(first[0], "<!-- wyckoff-bench-gate -->");
  EXPECT_EQ(first[1],
            "**Benchmark gate: FAIL. 1 failed, 0 warnings, 1 improved, 1 unchanged; geometric "
            "mean +0.0%.**");
  EXPECT_EQ(first[3],
            "| benchmark | n | repetitions | base median | head median | change | p-value | "
            "verdict |");
  EXPECT_EQ(first[4], "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  EXPECT_EQ(first[5],
            "| `BM_B` | 12+12 | 12+12 | 1.00 us | 1.20 us | +20.0% | <0.0001 | **FAIL** |");
  EXPECT_EQ(first[6],
            "| `BM_C` | 12+12 | 12+12 | 1.00 us | 833 ns | -16.7% | <0.0001 | IMPROVED |");
  EXPECT_EQ(first[7], "| `BM_A` | 12+12 | 12+12 | 1.00 us | 1.00 us | +0.0% | 0.5227 | OK |");
  EXPECT_EQ(first[9],
            "Geometric mean over 3 benchmarks (one head/base cost ratio each, from its time): "
            "1.000 (+0.0%).");
  EXPECT_EQ(first[11],
            "n: processes per side (base+head), one result file each, reduced to the median of "
            "its repetitions.");
}

TEST(CompareTest, TextTableIsAligned) {
  ScratchFolder scratch;
  Result<Comparison> comparison = ThreeBenchmarks(scratch);
  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;

  const std::string text = ToText(*comparison);

  EXPECT_EQ(text,
            "Benchmark gate: FAIL. 1 failed, 0 warnings, 1 improved, 1 unchanged; geometric "
            "mean +0.0%.\n"
            "\n"
            "benchmark      n  repetitions  base median  head median  change  p-value  verdict\n"
            "BM_B       12+12        12+12      1.00 us      1.20 us  +20.0%  <0.0001  FAIL\n"
            "BM_C       12+12        12+12      1.00 us       833 ns  -16.7%  <0.0001  IMPROVED\n"
            "BM_A       12+12        12+12      1.00 us      1.00 us   +0.0%   0.5227  OK\n"
            "\n"
            "Geometric mean over 3 benchmarks (one head/base cost ratio each, from its time): "
            "1.000 (+0.0%).\n"
            "n: processes per side (base+head), one result file each, reduced to the median of "
            "its repetitions.\n");
}

TEST(CompareTest, GeometricMeanCountsEachBenchmarkOnce) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  // BM_A: 21% more time and, with it, 1/1.21 of the rate; BM_B unchanged.
  auto processes = [&](const std::string& prefix, double factor) {
    return WriteProcesses(scratch, prefix, samples.size(), [&](std::size_t i, ResultsJson& r) {
      r.Sample("BM_A", samples[i] * factor, "ns", {{"bars_per_second", 1e6 / factor}});
      r.Sample("BM_B", samples[i]);
    });
  };

  Result<Comparison> comparison =
      CompareFiles(processes("base", 1), processes("head", 1.21), CompareOptions{});

  // Three rows (BM_A's time and rate, BM_B's time) but two benchmarks: sqrt(1.21 x 1) = 1.1.
  // Counting BM_A's rate too would give (1.21 x 1.21 x 1)^(1/3) = 1.1355.
  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  EXPECT_EQ(comparison->rows.size(), 3u);
  EXPECT_EQ(comparison->geomean_count, 2u);
  EXPECT_NEAR(comparison->geomean_ratio, 1.1, 1e-12);
}

TEST(CompareTest, GeometricMeanTakesTheRateWhenTheTimeHasNoRatio) {
  ScratchFolder scratch;
  auto processes = [&](const std::string& prefix, double time, double rate) {
    return WriteProcesses(scratch, prefix, 3, [&](std::size_t, ResultsJson& r) {
      r.Sample("BM_A", time, "ns", {{"rows_per_second", rate}});
    });
  };

  // A base time of 0 gives no time ratio; the rate fell from 2M to 1.6M: cost ratio 1.25.
  Result<Comparison> comparison =
      CompareFiles(processes("base", 0, 2e6), processes("head", 5, 1.6e6), CompareOptions{});

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  EXPECT_EQ(comparison->geomean_count, 1u);
  EXPECT_NEAR(comparison->geomean_ratio, 1.25, 1e-12);
}

TEST(CompareTest, ThresholdsComeFromTheOptions) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);
  CompareOptions lenient;
  lenient.fail_change = 0.25;
  lenient.warn_change = 0.25;

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 1.2), lenient);

  EXPECT_EQ(comparison.rows[0].verdict, Verdict::kOk);
}

TEST(CompareTest, TooFewProcessesToFailAreReportedInTheText) {
  ScratchFolder scratch;

  const Comparison comparison = CompareOne(scratch, {100, 101, 102, 103}, {200, 201, 202, 203});

  // 4 + 4 processes: the smallest possible p is 1/C(8, 4) = 1/70, never below 0.01.
  EXPECT_EQ(comparison.rows[0].verdict, Verdict::kWarn);
  EXPECT_NE(ToText(comparison)
                .find("\nn=4+4 cannot reach p < 0.01: smallest possible p = 0.0143 (BM_Foo); run "
                      "more rounds.\n"),
            std::string::npos)
      << ToText(comparison);
}

// ---- The re-run and the command ---------------------------------------------------------------

TEST(CompareTest, RerunConfirmsOrClearsAFailure) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  const std::vector<std::string> base = OneRepetitionEach(scratch, "base", samples);
  const std::vector<std::string> slow = OneRepetitionEach(scratch, "slow", Scaled(samples, 1.2));
  const std::vector<std::string> same = OneRepetitionEach(scratch, "same", samples);
  Result<Comparison> first = CompareFiles(base, slow, CompareOptions{});
  Result<Comparison> confirmed = first;
  Result<Comparison> cleared = first;
  ASSERT_TRUE(first.has_value()) << first.error().message;

  ApplyRerun(*confirmed, *CompareFiles(base, slow, CompareOptions{}));
  ApplyRerun(*cleared, *CompareFiles(base, same, CompareOptions{}));

  EXPECT_TRUE(gate::HasFailure(*confirmed));
  EXPECT_FALSE(gate::HasFailure(*cleared));
  EXPECT_TRUE(FailingBenchmarks(*cleared).empty());
  EXPECT_NE(ToText(*confirmed).find("FAIL (re-run: FAIL +20.0%, p <0.0001)"), std::string::npos)
      << ToText(*confirmed);
  EXPECT_NE(ToText(*cleared).find("not confirmed (re-run: OK +0.0%, p 0.5227)"), std::string::npos)
      << ToText(*cleared);
  EXPECT_NE(ToText(*cleared).find("Benchmark gate: WARN. 0 failed (confirmed on re-run), 1 not "
                                  "confirmed on re-run,"),
            std::string::npos);
}

TEST(CompareTest, CommandWritesTheReportsAndExitsOneOnFailure) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  auto processes = [&](const std::string& prefix, double slower) {
    return WriteProcesses(scratch, prefix, samples.size(), [&](std::size_t i, ResultsJson& r) {
      r.Sample("BM_Slow/8", samples[i] * slower).Sample("BM_Same", samples[i]);
    });
  };
  CompareCommand command;
  command.base_files = processes("base", 1);
  command.head_files = processes("head", 1.5);
  command.markdown_path = scratch.Path("comment.md");
  command.failing_filter_path = scratch.Path("failing.regex");
  std::ostringstream out, err;

  const int exit_code = RunCompareCommand(command, out, err);

  EXPECT_EQ(exit_code, 1);
  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str().rfind("Benchmark gate: FAIL.", 0), 0u) << out.str();
  EXPECT_EQ(ReadFile(command.markdown_path).rfind("<!-- wyckoff-bench-gate -->\n", 0), 0u);
  EXPECT_EQ(ReadFile(command.failing_filter_path), "^(BM_Slow/8)$\n");
}

TEST(CompareTest, CommandExitsZeroWithoutFailures) {
  ScratchFolder scratch;
  const std::string file =
      scratch.Write("same.json", ResultsJson().Samples("BM_Foo", TwelveSamples(10)).Text());
  CompareCommand command;
  command.base_files = {file};
  command.head_files = {file};
  command.failing_filter_path = scratch.Path("failing.regex");
  std::ostringstream out, err;

  EXPECT_EQ(RunCompareCommand(command, out, err), 0);
  EXPECT_EQ(ReadFile(command.failing_filter_path), "");
}

TEST(CompareTest, FilterRegexEscapesNames) {
  EXPECT_EQ(BenchmarkFilterRegex({}), "");
  EXPECT_EQ(BenchmarkFilterRegex({"BM_A/8", "BM_T<int>/threads:2", "BM_X.y(1)+"}),
            "^(BM_A/8|BM_T<int>/threads:2|BM_X\\.y\\(1\\)\\+)$");
}

}  // namespace
}  // namespace wyckoff::gate
