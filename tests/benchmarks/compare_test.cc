#include "wyckoff/benchmarks/compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "results_json_builder.h"

namespace wyckoff::benchmarks {
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

// Compares one benchmark's samples, written as one base and one head file.
Comparison CompareOne(const ScratchFolder& scratch, const std::vector<double>& base,
                      const std::vector<double>& head) {
  const std::string base_file =
      scratch.Write("base.json", ResultsJson().Samples("BM_Foo", base).Text());
  const std::string head_file =
      scratch.Write("head.json", ResultsJson().Samples("BM_Foo", head).Text());
  Result<Comparison> comparison = CompareFiles({base_file}, {head_file}, CompareOptions{});
  EXPECT_TRUE(comparison.has_value()) << comparison.error().message;
  return comparison.value_or(Comparison{});
}

std::vector<double> Scaled(std::vector<double> values, double factor) {
  for (double& v : values) v *= factor;
  return values;
}

// ---- Mann-Whitney U -------------------------------------------------------------------------

TEST(MannWhitneyTest, ExactSmallSamplesMatchHandCounts) {
  const std::vector<double> high = {4, 5, 6}, low = {1, 2, 3};
  const std::vector<double> x = {1, 3, 5}, y = {2, 4, 6};

  const UTestResult separated = MannWhitneyU(high, low);
  const UTestResult interleaved = MannWhitneyU(x, y);

  // All 20 orderings of 3 + 3 values; U of x counts pairs x > y. Separated: U = 9, only 1 of
  // 20 orderings reaches it. Interleaved: U = 3 (3>2, 5>2, 5>4); the counts of U = 0..9 are
  // 1 1 2 3 3 3 3 2 1 1, so P(U >= 3) = 16/20 and P(U <= 3) = 7/20.
  EXPECT_TRUE(separated.exact);
  EXPECT_DOUBLE_EQ(separated.u, 9);
  EXPECT_DOUBLE_EQ(separated.p_greater, 1.0 / 20);
  EXPECT_DOUBLE_EQ(separated.p_less, 1.0);
  EXPECT_DOUBLE_EQ(interleaved.u, 3);
  EXPECT_DOUBLE_EQ(interleaved.p_greater, 16.0 / 20);
  EXPECT_DOUBLE_EQ(interleaved.p_less, 7.0 / 20);
}

TEST(MannWhitneyTest, TiesUseTheNormalApproximationWithTieAndContinuityCorrection) {
  const std::vector<double> x = {3, 5, 5, 7, 9, 9, 9, 12, 14, 15};
  const std::vector<double> y = {1, 2, 5, 5, 6, 9, 10, 11};

  const UTestResult result = MannWhitneyU(x, y);

  // By hand: U counts, for each x, the y below it plus half the y equal to it:
  // 3:2, 5:2+1 (twice), 7:5, 9:5+0.5 (three times), 12, 14, 15: 8 each; U = 53.5.
  // m = 10, n = 8, N = 18; mean m n / 2 = 40; tie groups: four 5s and four 9s, so
  // sum(t^3 - t) = 60 + 60 = 120; variance m n / 12 * (N + 1 - 120 / (N (N - 1)))
  // = 80/12 * (19 - 120/306) = 124.0523; z = (53.5 - 40 - 0.5) / sqrt(variance) = 1.167188;
  // p = 1 - Phi(z) = 0.121567.
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 53.5);
  const double variance = 80.0 / 12 * (19 - 120.0 / 306);
  const double z = 13.0 / std::sqrt(variance);
  EXPECT_NEAR(result.p_greater, 0.5 * std::erfc(z / std::sqrt(2.0)), 1e-12);
  EXPECT_NEAR(result.p_greater, 0.121567, 1e-6);
}

TEST(MannWhitneyTest, AllValuesTiedGivesNoEvidence) {
  const std::vector<double> same = {5, 5, 5, 5};

  const UTestResult result = MannWhitneyU(same, same);

  EXPECT_DOUBLE_EQ(result.p_greater, 1.0);
  EXPECT_DOUBLE_EQ(result.p_less, 1.0);
}

TEST(MannWhitneyTest, LargeSamplesUseTheNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 0; i < 30; ++i) {
    x.push_back(2 * i + 1);
    y.push_back(2 * i);
  }

  const UTestResult result = MannWhitneyU(x, y);

  // 60 values: beyond the exact limit. U = 465 = mean + 15; variance 30*30*61/12 = 4575.
  EXPECT_FALSE(result.exact);
  EXPECT_DOUBLE_EQ(result.u, 465);
  EXPECT_NEAR(result.p_greater, 0.5 * std::erfc(14.5 / std::sqrt(4575.0) / std::sqrt(2.0)), 1e-12);
}

// ---- Verdicts -------------------------------------------------------------------------------

TEST(CompareTest, IdenticalSamplesPass) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, samples, samples);

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_EQ(row.verdict, Verdict::kOk);
  EXPECT_DOUBLE_EQ(row.change, 0.0);
  EXPECT_GT(row.p_worse, 0.5);
  EXPECT_EQ(row.base_samples, 12u);
  EXPECT_FALSE(benchmarks::HasFailure(comparison));
}

TEST(CompareTest, TwentyPercentSlowdownWithTwelveSamplesFails) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 1.2));

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_EQ(row.verdict, Verdict::kFail);
  EXPECT_NEAR(row.change, 0.2, 1e-12);
  // Every head sample is above every base sample: 1 of C(24, 12) = 2704156 orderings.
  EXPECT_TRUE(row.exact_p);
  EXPECT_NEAR(row.p_worse, 1.0 / 2704156, 1e-15);
  EXPECT_TRUE(benchmarks::HasFailure(comparison));
  EXPECT_EQ(FailingBenchmarks(comparison), std::vector<std::string>{"BM_Foo"});
}

TEST(CompareTest, ThreePercentChangePassesEvenWhenSignificant) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);

  const Comparison comparison = CompareOne(scratch, base, Scaled(base, 1.03));

  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_NEAR(row.change, 0.03, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kOk);
  EXPECT_FALSE(benchmarks::HasFailure(comparison));
}

TEST(CompareTest, NoisyFifteenPercentIsDecidedByTheTestNotTheRatio) {
  ScratchFolder scratch;
  const std::vector<double> base = {90, 92, 94, 96, 98, 99, 101, 102, 104, 106, 108, 110};
  const std::vector<double> head = {80, 85, 95, 100, 105, 112, 118, 120, 125, 130, 140, 150};

  const Comparison comparison = CompareOne(scratch, base, head);

  // Medians 100 and 115: 15% worse, past the 10% FAIL line, but the samples overlap. The exact
  // p, counted independently by enumerating all C(24, 12) = 2704156 splits of the pooled
  // values (a Python brute force): 119975 splits give U >= 102, p = 0.04437 >= 0.01. So WARN
  // (> 5% worse, p < 0.05), not FAIL.
  const MetricComparison& row = Row(comparison, "BM_Foo");
  EXPECT_NEAR(row.change, 0.15, 1e-12);
  EXPECT_TRUE(row.exact_p);
  EXPECT_NEAR(row.p_worse, 119975.0 / 2704156.0, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kWarn);
  EXPECT_FALSE(benchmarks::HasFailure(comparison));
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
  ResultsJson base, head, faster;
  const std::vector<double> rates = TwelveSamples(1e6);
  for (double rate : rates) {
    base.Sample("BM_Backtest_SmaCross", 500, "us", {{"bars_per_second", rate}, {"bars", 500}});
    head.Sample("BM_Backtest_SmaCross", 500, "us",
                {{"bars_per_second", rate * 0.8}, {"bars", 400}});
    faster.Sample("BM_Backtest_SmaCross", 500, "us",
                  {{"bars_per_second", rate * 1.25}, {"bars", 400}});
  }
  const std::string base_file = scratch.Write("base.json", base.Text());

  Result<Comparison> slower =
      CompareFiles({base_file}, {scratch.Write("head.json", head.Text())}, CompareOptions{});
  Result<Comparison> better =
      CompareFiles({base_file}, {scratch.Write("faster.json", faster.Text())}, CompareOptions{});

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

TEST(CompareTest, PoolsSamplesOverFilesAndIgnoresAggregates) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  std::vector<std::string> base_files, head_files;
  for (int round = 0; round < 4; ++round) {
    ResultsJson base, head;
    for (int i = 0; i < 3; ++i) {
      base.Sample("BM_Foo", samples[round * 3 + i]);
      head.Sample("BM_Foo", samples[round * 3 + i] / 1000, "us");  // same times, in us
    }
    base.Aggregate("BM_Foo", "mean", 1e9);
    head.Aggregate("BM_Foo", "median", 1e9);
    base_files.push_back(scratch.Write("base" + std::to_string(round) + ".json", base.Text()));
    head_files.push_back(scratch.Write("head" + std::to_string(round) + ".json", head.Text()));
  }

  Result<Comparison> comparison = CompareFiles(base_files, head_files, CompareOptions{});

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  ASSERT_EQ(comparison->rows.size(), 1u);
  const MetricComparison& row = comparison->rows[0];
  EXPECT_EQ(row.base_samples, 12u);
  EXPECT_EQ(row.head_samples, 12u);
  EXPECT_NEAR(row.base_median, 1000, 1e-9);
  EXPECT_NEAR(row.change, 0.0, 1e-12);
  EXPECT_EQ(row.verdict, Verdict::kOk);
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

// BM_A unchanged, BM_B 20% slower, BM_C 20% faster: the three kinds of row. BM_A's samples
// are identical on both sides: twelve tied pairs, U = mean = 72, so with the tie and
// continuity corrections z = -0.5 / sqrt(144/12 * (25 - 72/552)) = -0.02894, p = 0.5115.
Result<Comparison> ThreeBenchmarks(const ScratchFolder& scratch) {
  const std::vector<double> samples = TwelveSamples(1000);
  ResultsJson base, head;
  base.Samples("BM_A", samples).Samples("BM_B", samples).Samples("BM_C", samples);
  head.Samples("BM_A", samples)
      .Samples("BM_B", Scaled(samples, 1.2))
      .Samples("BM_C", Scaled(samples, 1 / 1.2));
  return CompareFiles({scratch.Write("base.json", base.Text())},
                      {scratch.Write("head.json", head.Text())}, CompareOptions{});
}

TEST(CompareTest, MarkdownHasTheMarkerFirstAndRegressionsFirst) {
  ScratchFolder scratch;
  Result<Comparison> comparison = ThreeBenchmarks(scratch);
  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;

  const std::string markdown = ToMarkdown(*comparison);

  std::istringstream lines(markdown);
  std::vector<std::string> first(8);
  for (std::string& line : first) std::getline(lines, line);
  EXPECT_EQ(first[0], "<!-- wyckoff-bench-gate -->");
  EXPECT_EQ(first[1],
            "**Benchmark gate: FAIL. 1 failed, 0 warnings, 1 improved, 1 unchanged; geometric "
            "mean +0.0%.**");
  EXPECT_EQ(first[3], "| benchmark | base median | head median | change | p-value | verdict |");
  EXPECT_EQ(first[4], "| --- | ---: | ---: | ---: | ---: | --- |");
  EXPECT_EQ(first[5], "| `BM_B` | 1.00 us | 1.20 us | +20.0% | <0.0001 | **FAIL** |");
  EXPECT_EQ(first[6], "| `BM_C` | 1.00 us | 833 ns | -16.7% | <0.0001 | IMPROVED |");
  EXPECT_EQ(first[7], "| `BM_A` | 1.00 us | 1.00 us | +0.0% | 0.5115 | OK |");
  EXPECT_NE(markdown.find("Geometric mean of 3 head/base cost ratios: 1.000 (+0.0%)."),
            std::string::npos);
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
            "benchmark  base median  head median  change  p-value  verdict\n"
            "BM_B           1.00 us      1.20 us  +20.0%  <0.0001  FAIL\n"
            "BM_C           1.00 us       833 ns  -16.7%  <0.0001  IMPROVED\n"
            "BM_A           1.00 us      1.00 us   +0.0%   0.5115  OK\n"
            "\n"
            "Geometric mean of 3 head/base cost ratios: 1.000 (+0.0%).\n");
}

TEST(CompareTest, GeometricMeanCoversEveryRatio) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  ResultsJson base, head;
  base.Samples("BM_A", samples).Samples("BM_B", samples);
  head.Samples("BM_A", Scaled(samples, 1.21)).Samples("BM_B", samples);

  Result<Comparison> comparison =
      CompareFiles({scratch.Write("base.json", base.Text())},
                   {scratch.Write("head.json", head.Text())}, CompareOptions{});

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  EXPECT_EQ(comparison->geomean_count, 2u);
  EXPECT_NEAR(comparison->geomean_ratio, 1.1, 1e-12);  // sqrt(1.21 * 1)
}

TEST(CompareTest, ThresholdsComeFromTheOptions) {
  ScratchFolder scratch;
  const std::vector<double> base = TwelveSamples(1000);
  const std::string base_file =
      scratch.Write("base.json", ResultsJson().Samples("BM_Foo", base).Text());
  const std::string head_file =
      scratch.Write("head.json", ResultsJson().Samples("BM_Foo", Scaled(base, 1.2)).Text());
  CompareOptions lenient;
  lenient.fail_change = 0.25;
  lenient.warn_change = 0.25;

  Result<Comparison> comparison = CompareFiles({base_file}, {head_file}, lenient);

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  EXPECT_EQ(comparison->rows[0].verdict, Verdict::kOk);
}

TEST(CompareTest, TooFewSamplesToFailAreReported) {
  ScratchFolder scratch;

  const Comparison comparison = CompareOne(scratch, {100, 101, 102, 103}, {200, 201, 202, 203});

  // 4 + 4 samples: the smallest possible p is 1/C(8, 4) = 1/70, never below 0.01.
  EXPECT_EQ(comparison.rows[0].verdict, Verdict::kWarn);
  EXPECT_NE(ToText(comparison)
                .find("1 metric has too few samples to ever reach p < 0.01: run "
                      "more rounds or repetitions."),
            std::string::npos)
      << ToText(comparison);
}

// ---- The re-run and the command ---------------------------------------------------------------

TEST(CompareTest, RerunConfirmsOrClearsAFailure) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  const std::string base =
      scratch.Write("base.json", ResultsJson().Samples("BM_Foo", samples).Text());
  const std::string slow =
      scratch.Write("slow.json", ResultsJson().Samples("BM_Foo", Scaled(samples, 1.2)).Text());
  const std::string same =
      scratch.Write("same.json", ResultsJson().Samples("BM_Foo", samples).Text());
  Result<Comparison> first = CompareFiles({base}, {slow}, CompareOptions{});
  Result<Comparison> confirmed = first;
  Result<Comparison> cleared = first;
  ASSERT_TRUE(first.has_value()) << first.error().message;

  ApplyRerun(*confirmed, *CompareFiles({base}, {slow}, CompareOptions{}));
  ApplyRerun(*cleared, *CompareFiles({base}, {same}, CompareOptions{}));

  EXPECT_TRUE(benchmarks::HasFailure(*confirmed));
  EXPECT_FALSE(benchmarks::HasFailure(*cleared));
  EXPECT_TRUE(FailingBenchmarks(*cleared).empty());
  EXPECT_NE(ToText(*confirmed).find("FAIL (re-run: FAIL +20.0%, p <0.0001)"), std::string::npos)
      << ToText(*confirmed);
  EXPECT_NE(ToText(*cleared).find("not confirmed (re-run: OK +0.0%, p 0.5115)"), std::string::npos)
      << ToText(*cleared);
  EXPECT_NE(ToText(*cleared).find("Benchmark gate: WARN. 0 failed (confirmed on re-run), 1 not "
                                  "confirmed on re-run,"),
            std::string::npos);
}

TEST(CompareTest, CommandWritesTheReportsAndExitsOneOnFailure) {
  ScratchFolder scratch;
  const std::vector<double> samples = TwelveSamples(1000);
  ResultsJson base, head;
  base.Samples("BM_Slow/8", samples).Samples("BM_Same", samples);
  head.Samples("BM_Slow/8", Scaled(samples, 1.5)).Samples("BM_Same", samples);
  CompareCommand command;
  command.base_files = {scratch.Write("base.json", base.Text())};
  command.head_files = {scratch.Write("head.json", head.Text())};
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
}  // namespace wyckoff::benchmarks
