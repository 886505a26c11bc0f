// scripts/bench-count.sh, the counted stage of the regression gate, on a benchmark executable
// of known costs (counted_fixture_benchmark.cc), under a real Cachegrind.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"
#include "results_json_builder.h"

namespace wyckoff::benchmarks {
namespace {

using gate::test_support::ReadFile;
using gate::test_support::ScratchFolder;
using testing::Outcome;
using testing::RunShell;

// Runs the script on the fixture executable; `arguments` go before the executable. Its
// messages are on stderr (`err`).
Outcome Count(const std::string& arguments) {
  return RunShell(std::string(WYCKOFF_SOURCE_DIR) + "/scripts/bench-count.sh " + arguments + " " +
                  WYCKOFF_COUNTED_FIXTURE);
}

// A benchmark's row of the counts file.
struct Row {
  double instructions = 0;  // per iteration
  int iterations = 0;       // counted: the difference of the two runs
};

std::map<std::string, Row> Rows(const std::string& path) {
  std::map<std::string, Row> out;
  const nlohmann::json document = nlohmann::json::parse(ReadFile(path));
  for (const auto& row : document.at("benchmarks")) {
    out[row.at("name").get<std::string>()] = {row.at("instructions").get<double>(),
                                              row.at("iterations").get<int>()};
  }
  return out;
}

// Instructions per iteration by benchmark name.
std::map<std::string, double> Instructions(const std::string& path) {
  std::map<std::string, double> out;
  for (const auto& [name, row] : Rows(path)) out[name] = row.instructions;
  return out;
}

constexpr const char* kFine = "--filter '^BM_Work'";

TEST(BenchCountTest, CountsEachIterationAloneAndOnlyTheCountedBenchmarks) {
  ScratchFolder scratch;
  const std::string counts = scratch.Path("counts.json");

  const Outcome run = Count(std::string(kFine) + " --out " + counts);

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "bench-count: 3 benchmarks counted into " + counts + "\n");
  const auto instructions = Instructions(counts);
  ASSERT_EQ(instructions.size(), 3u);
  const double one = instructions.at("BM_Work1000");
  EXPECT_GT(one, 1000);  // at least an instruction per addition
  // Three times the work, three times the count (a call and a loop's set-up aside).
  EXPECT_NEAR(instructions.at("BM_Work3000") / one, 3.0, 0.01);
  // A set-up 500 iterations large before the loop leaves the count of an iteration as it was.
  EXPECT_NEAR(instructions.at("BM_Work1000AfterSetUp") / one, 1.0, 0.001);
}

TEST(BenchCountTest, APlanGivesTheSameCountsAgain) {
  ScratchFolder scratch;
  const std::string plan = scratch.Path("plan");
  ASSERT_EQ(
      Count("--filter '^BM_Work1000$' --plan " + plan + " --out " + scratch.Path("first.json"))
          .exit_code,
      0);
  const std::string planned = ReadFile(plan);

  const Outcome again =
      Count("--filter '^BM_Work1000$' --plan " + plan + " --out " + scratch.Path("second.json"));

  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadFile(plan), planned);
  const auto first = Rows(scratch.Path("first.json"));
  const auto second = Rows(scratch.Path("second.json"));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  const Row& a = first.at("BM_Work1000");
  const Row& b = second.at("BM_Work1000");
  EXPECT_EQ(a.iterations, b.iterations);  // the plan's, not a new calibration's
  // The same work to the instruction, but for the framework's own printing of the measured
  // times, whose digits change from run to run: a few hundred instructions a process, measured
  // about 230 at most. Over the counted iterations that is a tenth of an instruction an
  // iteration or less, far below what the gate compares; allowed here up to 2,000 in all.
  EXPECT_LE(std::abs(a.instructions - b.instructions) * a.iterations, 2000.0)
      << a.instructions << " against " << b.instructions << " over " << a.iterations
      << " iterations";
}

TEST(BenchCountTest, ABenchmarkThatReportsAnErrorFailsTheCount) {
  ScratchFolder scratch;
  const std::string counts = scratch.Path("counts.json");

  const Outcome run = Count("--filter BM_CountedError --out " + counts);

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("bench-count: BM_CountedError (1 iterations) did not run or reported an "
                         "error; see " +
                         counts + ".failed.log\n"),
            std::string::npos)
      << run.err;
  EXPECT_EQ(RunShell("test -e " + counts).exit_code, 1);  // nothing half-written
}

TEST(BenchCountTest, APlannedBenchmarkTheExecutableNoLongerCountsIsLeftOut) {
  ScratchFolder scratch;
  // A plan made from another build, in which BM_Gone was counted too.
  const std::string plan =
      scratch.Write("plan", std::string("/elsewhere/counted_fixture_benchmark\tBM_Work1000\t10\n") +
                                "/elsewhere/counted_fixture_benchmark\tBM_Gone\t10\n" +
                                "/elsewhere/other_benchmark\tBM_Other\t10\n");
  const std::string counts = scratch.Path("counts.json");

  const Outcome run = Count("--plan " + plan + " --out " + counts);

  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err,
            "bench-count: BM_Gone is not counted by the executables given; left out\n"
            "bench-count: BM_Other is not counted by the executables given; left out\n"
            "bench-count: 1 benchmarks counted into " +
                counts + "\n");
  const auto instructions = Instructions(counts);
  ASSERT_EQ(instructions.size(), 1u);
  EXPECT_TRUE(instructions.contains("BM_Work1000"));
}

TEST(BenchCountTest, AFailedListingOrABadFilterStopsTheCount) {
  ScratchFolder scratch;
  const std::string counts = scratch.Path("counts.json");

  const Outcome listing = RunShell(std::string(WYCKOFF_SOURCE_DIR) +
                                   "/scripts/bench-count.sh --out " + counts + " /bin/false");
  const Outcome filter = Count("--filter 'BM_(' --out " + counts);

  EXPECT_EQ(listing.exit_code, 2);
  EXPECT_EQ(listing.err, "bench-count: /bin/false --benchmark_list_tests failed\n");
  EXPECT_EQ(filter.exit_code, 2);
  EXPECT_NE(filter.err.find("bench-count: --filter 'BM_(' is not a valid extended regular "
                            "expression\n"),
            std::string::npos)
      << filter.err;
  EXPECT_EQ(RunShell("test -e " + counts).exit_code, 1);
}

TEST(BenchCountTest, AnIterationCountThatIsNotANumberStopsTheExecutable) {
  const Outcome run =
      RunShell(std::string("WYCKOFF_BENCH_ITERATIONS=12x ") + WYCKOFF_COUNTED_FIXTURE);

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "WYCKOFF_BENCH_ITERATIONS must be a positive integer, not '12x'\n");
}

TEST(BenchCountTest, BadUsageIsOneLine) {
  EXPECT_EQ(Count("--jobs 0 --out x").err,
            "bench-count: --jobs must be a positive integer, not '0'\n");
  EXPECT_EQ(RunShell(std::string(WYCKOFF_SOURCE_DIR) + "/scripts/bench-count.sh --out x "
                                                       "/nonexistent")
                .err,
            "bench-count: /nonexistent: not an executable\n");
}

}  // namespace
}  // namespace wyckoff::benchmarks
