// The counted stage of `wyckoff bench compare`: counts files of scripts/bench-count.sh, verdicts
// on the change alone, and timed failures of counted benchmarks capped at WARN.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "results_json_builder.h"
#include "wyckoff/gate/compare.h"

namespace wyckoff::gate {
namespace {

using test_support::ReadFile;
using test_support::ResultsJson;
using test_support::ScratchFolder;

struct Cost {
  std::string name;
  double instructions;
  double estimated_cycles;
};

// A counts file as scripts/bench-count.sh writes it.
std::string CountsJson(const std::vector<Cost>& costs) {
  std::string rows;
  for (const Cost& cost : costs) {
    if (!rows.empty()) rows += ",\n";
    rows += "    {\"name\": \"" + cost.name +
            "\", \"executable\": \"wyckoff_engine_benchmark\", \"iterations\": 100, "
            "\"instructions\": " +
            std::to_string(cost.instructions) +
            ", \"estimated_cycles\": " + std::to_string(cost.estimated_cycles) + "}";
  }
  return "{\n  \"wyckoff_counts\": 1,\n  \"context\": {\"tool\": \"valgrind-3.19.0\"},\n"
         "  \"benchmarks\": [\n" +
         rows + "\n  ]\n}\n";
}

const MetricComparison* FindRow(const Comparison& comparison, const std::string& benchmark,
                                const std::string& metric) {
  auto it = std::find_if(comparison.rows.begin(), comparison.rows.end(), [&](const auto& row) {
    return row.benchmark == benchmark && row.metric == metric;
  });
  return it == comparison.rows.end() ? nullptr : &*it;
}

Verdict VerdictOf(const Comparison& comparison, const std::string& benchmark,
                  const std::string& metric) {
  const MetricComparison* row = FindRow(comparison, benchmark, metric);
  EXPECT_NE(row, nullptr) << benchmark << " " << metric;
  return row == nullptr ? Verdict::kOk : row->verdict;
}

TEST(CountedTest, TheChangeAloneDecides) {
  ScratchFolder scratch;
  const std::string base = scratch.Write("base.json", CountsJson({{"BM_Fail", 1000, 1500},
                                                                  {"BM_Warn", 1000, 1500},
                                                                  {"BM_Edge", 1000, 1500},
                                                                  {"BM_Better", 1000, 1500},
                                                                  {"BM_Same", 1000, 1500}}));
  const std::string head = scratch.Write(
      "head.json", CountsJson({{"BM_Fail", 1150, 1575},   // +15% instructions, +5% cycles
                               {"BM_Warn", 1060, 1500},   // +6%
                               {"BM_Edge", 1100, 1500},   // +10%: not above 10%
                               {"BM_Better", 900, 1350},  // -10%
                               {"BM_Same", 1000, 1500.4}}));

  Result<Comparison> comparison = CompareCountFiles(base, head, CompareOptions{});

  ASSERT_TRUE(comparison.has_value()) << comparison.error().message;
  ASSERT_EQ(comparison->rows.size(), 10u);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Fail", "instructions"), Verdict::kFail);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Fail", "estimated_cycles"), Verdict::kOk);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Warn", "instructions"), Verdict::kWarn);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Edge", "instructions"), Verdict::kWarn);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Better", "instructions"), Verdict::kImproved);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Better", "estimated_cycles"), Verdict::kImproved);
  EXPECT_EQ(VerdictOf(*comparison, "BM_Same", "estimated_cycles"), Verdict::kOk);
  const MetricComparison& failed = comparison->rows.front();
  EXPECT_EQ(failed.DisplayName(), "BM_Fail (instructions)");
  EXPECT_TRUE(failed.counted);
  EXPECT_DOUBLE_EQ(failed.change, 0.15);
  EXPECT_TRUE(std::isnan(failed.p_worse));
  EXPECT_TRUE(gate::HasFailure(*comparison));
  EXPECT_EQ(FailingBenchmarks(*comparison), std::vector<std::string>{"BM_Fail"});
  // One sample a side is no shortfall for an exact count.
  EXPECT_TRUE(UnderpoweredNotes(*comparison).empty());
  // The geometric mean takes each benchmark's estimated cycles: 1.05 x 1 x 1 x 0.9 x 1.
  EXPECT_NEAR(comparison->geomean_ratio, std::pow(1575.0 / 1500 * 0.9 * (1500.4 / 1500), 0.2),
              1e-12);
}

TEST(CountedTest, TheReportShowsCountsWithoutSampleSizesOrPValues) {
  ScratchFolder scratch;
  CompareCommand command;
  command.counted_base_path = scratch.Write("base.json", CountsJson({{"BM_A", 6794, 9453}}));
  command.counted_head_path = scratch.Write("head.json", CountsJson({{"BM_A", 7813.1, 10472.1}}));
  command.failing_filter_path = scratch.Path("failing.regex");
  std::ostringstream out, err;

  EXPECT_EQ(RunCompareCommand(command, out, err), 1);

  EXPECT_EQ(err.str(), "");
  EXPECT_EQ(out.str(),
            "Benchmark gate: FAIL. 2 failed, 0 warnings, 0 improved, 0 unchanged; geometric mean "
            "+10.8%.\n"
            "\n"
            "benchmark                n  repetitions  base median  head median  change  p-value  "
            "verdict\n"
            "BM_A (instructions)      -            -        6.79k        7.81k  +15.0%  counted  "
            "FAIL\n"
            "BM_A (estimated_cycles)  -            -        9.45k        10.5k  +10.8%  counted  "
            "FAIL\n"
            "\n"
            "Geometric mean over 1 benchmark (one head/base cost ratio each, from its time, or "
            "its estimated cycles when it was only counted): 1.108 (+10.8%).\n");
  EXPECT_EQ(ReadFile(command.failing_filter_path), "^(BM_A)$\n");
}

TEST(CountedTest, ACountedBenchmarksTimeCanWarnButNotFail) {
  ScratchFolder scratch;
  const std::vector<double> times = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111};
  auto processes = [&](const std::string& prefix, double slower) {
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < times.size(); ++i) {
      ResultsJson results;
      results.Sample("BM_Counted", times[i] * slower).Sample("BM_Timed", times[i] * slower);
      paths.push_back(scratch.Write(prefix + std::to_string(i) + ".json", results.Text()));
    }
    return paths;
  };
  CompareCommand command;
  command.base_files = processes("base", 1);
  command.head_files = processes("head", 1.5);
  const std::string counts = scratch.Write("counts.json", CountsJson({{"BM_Counted", 500, 700}}));
  command.counted_base_path = counts;
  command.counted_head_path = counts;
  command.failing_filter_path = scratch.Path("failing.regex");
  std::ostringstream out, err;

  EXPECT_EQ(RunCompareCommand(command, out, err), 1);

  EXPECT_EQ(err.str(), "");
  // Only the benchmark that was not counted fails on its time.
  EXPECT_EQ(ReadFile(command.failing_filter_path), "^(BM_Timed)$\n");
  const std::string text = out.str();
  EXPECT_NE(text.find("WARN (FAIL in time; the counts decide)"), std::string::npos) << text;
  EXPECT_NE(text.find("BM_Counted (instructions)"), std::string::npos) << text;

  // The same, folded by hand.
  Result<Comparison> timed = CompareFiles(command.base_files, command.head_files, CompareOptions{});
  Result<Comparison> counted = CompareCountFiles(counts, counts, CompareOptions{});
  ASSERT_TRUE(timed.has_value() && counted.has_value());
  ASSERT_EQ(VerdictOf(*timed, "BM_Counted", "real_time"), Verdict::kFail);
  AddCounts(*timed, *counted);
  EXPECT_EQ(VerdictOf(*timed, "BM_Counted", "real_time"), Verdict::kWarn);
  EXPECT_TRUE(FindRow(*timed, "BM_Counted", "real_time")->capped);
  EXPECT_EQ(VerdictOf(*timed, "BM_Timed", "real_time"), Verdict::kFail);
  EXPECT_EQ(VerdictOf(*timed, "BM_Counted", "instructions"), Verdict::kOk);
  EXPECT_EQ(FailingBenchmarks(*timed), std::vector<std::string>{"BM_Timed"});
}

TEST(CountedTest, ACountedFailureNeedsNoReRun) {
  ScratchFolder scratch;
  const std::string base = scratch.Write("base.json", CountsJson({{"BM_A", 100, 100}}));
  const std::string head = scratch.Write("head.json", CountsJson({{"BM_A", 120, 120}}));
  Result<Comparison> comparison = CompareCountFiles(base, head, CompareOptions{});
  ASSERT_TRUE(comparison.has_value());

  ApplyRerun(*comparison, Comparison{});  // a re-run of times holds no counted rows

  EXPECT_TRUE(gate::HasFailure(*comparison));
  EXPECT_EQ(comparison->rows.front().rerun, std::nullopt);
}

TEST(CountedTest, BenchmarksOnOneSideOnlyAreListed) {
  ScratchFolder scratch;
  const std::string base =
      scratch.Write("base.json", CountsJson({{"BM_Both", 100, 100}, {"BM_Gone", 100, 100}}));
  const std::string head =
      scratch.Write("head.json", CountsJson({{"BM_Both", 100, 100}, {"BM_New", 100, 100}}));

  Result<Comparison> comparison = CompareCountFiles(base, head, CompareOptions{});

  ASSERT_TRUE(comparison.has_value());
  EXPECT_EQ(comparison->only_in_base, std::vector<std::string>{"BM_Gone"});
  EXPECT_EQ(comparison->only_in_head, std::vector<std::string>{"BM_New"});
  EXPECT_EQ(comparison->rows.size(), 2u);
}

TEST(CountedTest, BadCountsFilesGiveOneExactLine) {
  ScratchFolder scratch;
  const std::string good = scratch.Write("good.json", CountsJson({{"BM_A", 1, 1}}));
  const std::string gbench =
      scratch.Write("gbench.json", ResultsJson().Samples("BM_A", {1}).Text());
  const std::string negative = scratch.Write("negative.json", CountsJson({{"BM_A", -1, 1}}));
  const std::string zero = scratch.Write("zero.json", CountsJson({{"BM_A", 5, 0}}));
  const std::string twice =
      scratch.Write("twice.json", CountsJson({{"BM_A", 1, 1}, {"BM_A", 2, 2}}));
  const std::string no_cycles = scratch.Write(
      "no_cycles.json",
      "{\"wyckoff_counts\": 1, \"benchmarks\": [{\"name\": \"BM_A\", \"iterations\": 1, "
      "\"instructions\": 3}]}");
  const std::string empty = scratch.Write("empty.json", "\n");
  const std::string missing = scratch.Path("missing.json");

  auto error = [&](const std::string& head) {
    CompareCommand command;
    command.counted_base_path = good;
    command.counted_head_path = head;
    std::ostringstream out, err;
    EXPECT_EQ(RunCompareCommand(command, out, err), 2) << head;
    EXPECT_EQ(out.str(), "");
    return err.str();
  };

  EXPECT_EQ(error(gbench), "wyckoff bench compare: " + gbench +
                               ": not a counts file of scripts/bench-count.sh (expected "
                               "\"wyckoff_counts\": 1)\n");
  EXPECT_EQ(error(negative), "wyckoff bench compare: " + negative +
                                 ": benchmarks[0] (\"BM_A\"): \"instructions\" must be a number "
                                 "above 0\n");
  EXPECT_EQ(error(zero), "wyckoff bench compare: " + zero +
                             ": benchmarks[0] (\"BM_A\"): \"estimated_cycles\" must be a number "
                             "above 0\n");
  EXPECT_EQ(error(twice), "wyckoff bench compare: " + twice +
                              ": benchmarks[1] (\"BM_A\"): \"BM_A\" appears twice\n");
  EXPECT_EQ(error(no_cycles), "wyckoff bench compare: " + no_cycles +
                                  ": benchmarks[0] (\"BM_A\"): \"estimated_cycles\" must be a "
                                  "number above 0\n");
  EXPECT_EQ(error(empty), "wyckoff bench compare: " + empty +
                              ": empty file, expected the counts of scripts/bench-count.sh\n");
  EXPECT_EQ(error(missing),
            "wyckoff bench compare: " + missing + ": cannot open (No such file or directory)\n");
}

TEST(CountedTest, TheCommandNeedsBothSidesOfAStage) {
  ScratchFolder scratch;
  const std::string counts = scratch.Write("counts.json", CountsJson({{"BM_A", 1, 1}}));
  std::ostringstream out, err;

  CompareCommand one_side;
  one_side.counted_base_path = counts;
  EXPECT_EQ(RunCompareCommand(one_side, out, err), 2);
  EXPECT_EQ(err.str(),
            "wyckoff bench compare: give both --counted-base and --counted-head, or neither\n");

  std::ostringstream out2, err2;
  EXPECT_EQ(RunCompareCommand(CompareCommand{}, out2, err2), 2);
  EXPECT_EQ(err2.str(),
            "wyckoff bench compare: give --base and --head, --counted-base and --counted-head, "
            "or all four\n");

  std::ostringstream out3, err3;
  CompareCommand same;
  same.counted_base_path = same.counted_head_path = counts;
  EXPECT_EQ(RunCompareCommand(same, out3, err3), 0);
  EXPECT_EQ(
      out3.str().rfind("Benchmark gate: OK. 0 failed, 0 warnings, 0 improved, 2 unchanged", 0), 0u)
      << out3.str();
}

}  // namespace
}  // namespace wyckoff::gate
