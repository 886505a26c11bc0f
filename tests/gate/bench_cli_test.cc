// End to end: `wyckoff bench compare`, `bench budgets` and `bench ratchet` as the gate, the
// scripts and a maintainer run them, on result files written by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_runner.h"
#include "results_json_builder.h"

namespace wyckoff::gate {
namespace {

using test_support::ResultsJson;
using test_support::ScratchFolder;
using wyckoff::testing::Outcome;
using wyckoff::testing::RunWyckoff;

// One result file per value, each holding that value as BM_Foo's only repetition; returns
// the paths joined by spaces, for a command line.
std::string Processes(const ScratchFolder& scratch, const std::string& prefix,
                      const std::vector<double>& values) {
  std::string paths;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string name = prefix + std::to_string(i) + ".json";
    paths += " " + scratch.Write(name, ResultsJson().Sample("BM_Foo", values[i]).Text());
  }
  return paths;
}

TEST(BenchCompareCliTest, TiedFourAgainstFourProcessesPassWithTheExactP) {
  ScratchFolder scratch;
  const std::string base = Processes(scratch, "base", {100, 100, 100, 100});
  const std::string head = Processes(scratch, "head", {120, 120, 120, 120});

  const Outcome run = RunWyckoff("bench compare --base" + base + " --head" + head);

  // 1/70 = 0.0143: WARN (+20%, p < 0.05), which passes; 4 + 4 can never fail at p < 0.01.
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(run.out,
            "Benchmark gate: WARN. 0 failed, 1 warning, 0 improved, 0 unchanged; geometric mean "
            "+20.0%.\n"
            "\n"
            "benchmark    n  repetitions  base median  head median  change  p-value  verdict\n"
            "BM_Foo     4+4          4+4       100 ns       120 ns  +20.0%   0.0143  WARN\n"
            "\n"
            "Geometric mean over 1 benchmark (one head/base cost ratio each, from its time): "
            "1.200 (+20.0%).\n"
            "n=4+4 cannot reach p < 0.01: smallest possible p = 0.0143 (BM_Foo); run more "
            "rounds.\n"
            "n: processes per side (base+head), one result file each, reduced to the median of "
            "its repetitions.\n");
}

TEST(BenchCompareCliTest, TwoFilesOfFourTiedRepetitionsPassWithTheExactP) {
  ScratchFolder scratch;
  const std::string base =
      scratch.Write("base.json", ResultsJson().Samples("BM_Foo", {100, 100, 100, 100}).Text());
  const std::string head =
      scratch.Write("head.json", ResultsJson().Samples("BM_Foo", {120, 120, 120, 120}).Text());

  const Outcome by_repetition =
      RunWyckoff("bench compare --unit repetition --base " + base + " --head " + head);
  const Outcome by_process = RunWyckoff("bench compare --base " + base + " --head " + head);

  // Every repetition a sample: 4 + 4 tied within sides, p = 1/70, WARN, exit 0 (the old
  // normal approximation said p = 0.0066 and failed). By process (the default) the two files
  // are one sample a side, and p = 1/2.
  EXPECT_EQ(by_repetition.exit_code, 0) << by_repetition.err;
  EXPECT_NE(by_repetition.out.find(
                "BM_Foo     4+4          4+4       100 ns       120 ns  +20.0%   0.0143  WARN\n"),
            std::string::npos)
      << by_repetition.out;
  EXPECT_NE(by_repetition.out.find("n: repetitions per side (base+head), every repetition a "
                                   "sample (--unit repetition)"),
            std::string::npos);
  EXPECT_EQ(by_process.exit_code, 0) << by_process.err;
  EXPECT_NE(by_process.out.find(
                "BM_Foo     1+1          4+4       100 ns       120 ns  +20.0%   0.5000  OK\n"),
            std::string::npos)
      << by_process.out;
  EXPECT_NE(by_process.out.find("n=1+1 cannot reach p < 0.05: smallest possible p = 0.5 (BM_Foo); "
                                "run more rounds.\n"),
            std::string::npos);
}

TEST(BenchCompareCliTest, ClearSlowdownOverTwelveProcessesFailsWithExitOne) {
  ScratchFolder scratch;
  const std::vector<double> base_times = {990,  1000, 1010, 995,  1005, 985,
                                          1015, 1002, 998,  1008, 992,  1012};
  std::vector<double> head_times;
  for (double t : base_times) head_times.push_back(t * 1.2);

  const Outcome run = RunWyckoff("bench compare --base" + Processes(scratch, "b", base_times) +
                                 " --head" + Processes(scratch, "h", head_times));

  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(
      run.out.find("BM_Foo     12+12        12+12      1.00 us      1.20 us  +20.0%  <0.0001  "
                   "FAIL\n"),
      std::string::npos)
      << run.out;
}

TEST(BenchCompareCliTest, UnknownUnitIsAUsageError) {
  const Outcome run = RunWyckoff("bench compare --unit round --base a.json --head b.json");

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--unit: round not in {process,repetition}"), std::string::npos)
      << run.err;
}

// ---- bench budgets and bench ratchet ------------------------------------------------------------

TEST(BenchBudgetsCliTest, DatabaseBudgetsFailUnlessTheRunHadNoDatabase) {
  ScratchFolder scratch;
  const std::string results =
      scratch.Write("results.json", ResultsJson().Samples("BM_Run", {40}).Text());
  const std::string budgets =
      scratch.Write("budgets.json", R"({"budgets": [{"benchmark": "BM_Run", "floor": "1 us"},
                                      {"benchmark": "BM_Db_Query", "floor": "1 ms",
                                       "needs": "database"}]})");
  const std::string args = "bench budgets --results " + results + " --budgets " + budgets;

  const Outcome configured = RunWyckoff(args);
  const Outcome without = RunWyckoff(args + " --no-database");

  EXPECT_EQ(configured.exit_code, 1) << configured.err;
  EXPECT_EQ(configured.out.substr(0, configured.out.find('\n')),
            "Budgets: FAIL. 0 missed the floor, 0 missed the regression floor, 1 not run, 0 meet "
            "the target, 1 meet the floor only, 0 miss a target (no floor), 0 left without a "
            "database.");
  EXPECT_NE(configured.out.find("\nNot run: BM_Db_Query (real_time): not in the results.\n"),
            std::string::npos)
      << configured.out;
  EXPECT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(without.out.substr(0, without.out.find('\n')),
            "Budgets: OK. 0 missed the floor, 0 missed the regression floor, 0 not run, 0 meet "
            "the target, 1 meet the floor only, 0 miss a target (no floor), 1 left without a "
            "database.");
  EXPECT_NE(without.out.find("\nNo database configured (--no-database), so these did not run: "
                             "BM_Db_Query.\n"),
            std::string::npos)
      << without.out;
}

TEST(BenchRatchetCliTest, RatchetThenBudgetsCatchARegressionOnTheRunnerClassOnly) {
  ScratchFolder scratch;
  const std::string budgets = scratch.Write(
      "budgets.json",
      R"({"budgets": [{"benchmark": "BM_Run", "floor": "1 ms", "target": "10 ns"}]})");
  const std::string accepted =
      scratch.Write("accepted.json", ResultsJson().Samples("BM_Run", {100}).Text());
  const std::string slower =
      scratch.Write("slower.json", ResultsJson().Samples("BM_Run", {130}).Text());

  const Outcome ratchet =
      RunWyckoff("bench ratchet " + accepted + " --budgets " + budgets + " --runner-class ci-2");
  const Outcome on_ci = RunWyckoff("bench budgets --results " + slower + " --budgets " + budgets +
                                   " --runner-class ci-2");
  const Outcome elsewhere =
      RunWyckoff("bench budgets --results " + slower + " --budgets " + budgets);

  // 100 ns + 20% = 120 ns; 130 ns misses it on ci-2, and only there.
  EXPECT_EQ(ratchet.exit_code, 0) << ratchet.err;
  EXPECT_EQ(ratchet.out,
            "BM_Run (real_time): regression floor set to <= 120 ns (measured 100 ns, margin 20%)\n"
            "Ratchet: 1 regression floor raised, 0 unchanged (0 not run); runner class \"ci-2\", "
            "margin 20%; wrote " +
                budgets + ".\n");
  EXPECT_EQ(on_ci.exit_code, 1) << on_ci.err;
  EXPECT_NE(on_ci.out.find("\nBM_Run     real_time    130 ns  <= 1.00 ms         <= 120 ns  <= "
                           "10.0 ns  MISSES REGRESSION FLOOR\n"),
            std::string::npos)
      << on_ci.out;
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
  EXPECT_NE(elsewhere.out.find("\nRegression floors not enforced: they were measured on runner "
                               "class \"ci-2\" and this run names no runner class "
                               "(--runner-class).\n"),
            std::string::npos)
      << elsewhere.out;
}

}  // namespace
}  // namespace wyckoff::gate
