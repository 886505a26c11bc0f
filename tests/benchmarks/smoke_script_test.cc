// The ctest smoke-run wrapper (benchmarks/cmake/smoke_test.cmake), run as ctest runs it on a
// benchmark executable that reports an error, and on one that needs a database.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "results_json_builder.h"

namespace wyckoff::benchmarks {
namespace {

using gate::test_support::ReadFile;
using gate::test_support::ScratchFolder;

struct Outcome {
  int exit_code;
  std::string out;  // stdout and stderr
};

// Runs the wrapper on `exe` with `env` (assignments for env(1), "-u NAME" to unset) and the
// extra -D definitions; stdout and stderr together.
Outcome RunSmoke(const ScratchFolder& scratch, const std::string& env, const std::string& exe,
                 const std::string& definitions = "") {
  const std::string output = scratch.Path("output.txt");
  const std::string command = "env -u WYCKOFF_BENCH_DB -u WYCKOFF_TEST_DB -u CI " + env + " " +
                              WYCKOFF_CMAKE + " -DEXE=" + exe +
                              " -DOUT=" + scratch.Path("smoke.json") + " " + definitions + " -P " +
                              WYCKOFF_SMOKE_SCRIPT + " >" + output + " 2>&1";
  const int status = std::system(command.c_str());
  return {WEXITSTATUS(status), ReadFile(output)};
}

TEST(BenchmarkSmokeTest, FailsNamingEachBenchmarkThatReportedAnError) {
  ScratchFolder scratch;

  const Outcome run = RunSmoke(scratch, "", WYCKOFF_ALWAYS_ERRORS_BENCHMARK);

  EXPECT_NE(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("reported an error:\n  BM_AlwaysErrors: deliberate error for the "
                         "smoke wrapper's test\n"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("BM_Fine:"), std::string::npos) << run.out;
}

TEST(BenchmarkSmokeTest, PassesWhenNoBenchmarkReportsAnError) {
  ScratchFolder scratch;

  const Outcome run = RunSmoke(scratch, "", WYCKOFF_ALWAYS_ERRORS_BENCHMARK, "-DFILTER=BM_Fine");

  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("benchmark smoke: 1 result rows, no error\n"), std::string::npos)
      << run.out;
}

TEST(BenchmarkSmokeTest, WithoutADatabaseSkipsUnlessCiIsSet) {
  ScratchFolder scratch;
  const std::string needs = "-DNEEDS_DATABASE=ON";

  const Outcome local = RunSmoke(scratch, "", WYCKOFF_ALWAYS_ERRORS_BENCHMARK, needs);
  const Outcome ci = RunSmoke(scratch, "CI=true", WYCKOFF_ALWAYS_ERRORS_BENCHMARK, needs);
  const Outcome configured = RunSmoke(scratch, "WYCKOFF_TEST_DB=postgresql://nowhere/x",
                                      WYCKOFF_ALWAYS_ERRORS_BENCHMARK, needs);

  EXPECT_EQ(local.exit_code, 0) << local.out;
  EXPECT_EQ(local.out.rfind("SMOKE SKIPPED: no database configured", 0), 0u) << local.out;
  EXPECT_NE(ci.exit_code, 0) << ci.out;
  EXPECT_NE(ci.out.find("needs a database and CI is set"), std::string::npos) << ci.out;
  EXPECT_EQ(ci.out.find("SMOKE SKIPPED"), std::string::npos) << ci.out;
  EXPECT_NE(configured.exit_code, 0) << configured.out;  // it ran, and BM_AlwaysErrors failed
  EXPECT_NE(configured.out.find("BM_AlwaysErrors: deliberate error"), std::string::npos);
}

}  // namespace
}  // namespace wyckoff::benchmarks
