// Progress on a terminal: drawn on stderr only when it is a terminal (here a pseudo-terminal
// from util-linux's `script`) and the work has run for a second ($WYCKOFF_PROGRESS_AFTER_MS
// moves that point: 0 draws from the start), erased when the work is done; nothing at all
// through a pipe.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;

using testing::Outcome;

constexpr const char* kFutures = "data/intraday/estx50-futures-2006-01-02-1min.csv";
const std::string kErase = "\r\x1b[K";
const std::string kFullBar = "[" + std::string(30, '#') + "] 100% ";

// Runs the shell command line `command` (from the repository root) on a new pseudo-terminal
// (`script -qec`): `out` is what the terminal showed, stdout and stderr as written. In a folder
// of the running test's own: ctest runs the tests of this file side by side.
Outcome Script(const std::string& command) {
  const fs::path dir = testing::FreshDir(
      "progress-cli", ::testing::UnitTest::GetInstance()->current_test_info()->name());
  const std::string line = "cd '" WYCKOFF_SOURCE_DIR "' && script -qec \"" + command +
                           "\" /dev/null >" + (dir / "out").string() + " 2>" +
                           (dir / "err").string() + " </dev/null";
  const int status = std::system(line.c_str());
  return {WEXITSTATUS(status), testing::Slurp(dir / "out"), testing::Slurp(dir / "err")};
}

TEST(ProgressCliTest, ReadingAFileDrawsItsBytesAndErasesTheLine) {
  const Outcome r = Script("WYCKOFF_PROGRESS_AFTER_MS=0 " WYCKOFF_CLI " backtest --data " +
                           std::string(kFutures));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string line = "\rreading " + std::string(kFutures) + " " + kFullBar + "1/1 MB\x1b[K";
  const auto at = r.out.find(line);
  ASSERT_NE(at, std::string::npos) << r.out;
  // Erased at once, before the summary.
  EXPECT_EQ(r.out.substr(at + line.size(), kErase.size()), kErase);
  EXPECT_NE(r.out.find("digest", at), std::string::npos) << r.out;  // the summary follows
}

TEST(ProgressCliTest, NothingIsDrawnWithinTheFirstSecond) {
  const Outcome r = Script(WYCKOFF_CLI " backtest --data " + std::string(kFutures));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("reading"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << r.out;
}

TEST(ProgressCliTest, NothingIsDrawnThroughAPipe) {
  ::setenv("WYCKOFF_PROGRESS_AFTER_MS", "0", 1);  // inherited by the runs below
  for (const std::string& args : std::vector<std::string>{
           "backtest --data " + std::string(kFutures),
           "optimize --data data/daily/ko-1997-1998.csv --strategy sma-cross --grid fast=5,10 "
           "--grid slow=20,30 --jobs 1"}) {
    SCOPED_TRACE(args);
    const Outcome piped = testing::RunWyckoff(args);  // stdout and stderr are files
    ASSERT_EQ(piped.exit_code, 0) << piped.err;
    EXPECT_EQ(piped.err, "");
  }
  ::unsetenv("WYCKOFF_PROGRESS_AFTER_MS");
}

TEST(ProgressCliTest, GenerateDrawsTheBarsWritten) {
  const fs::path dir = testing::FreshDir("progress-cli", "generate");
  const std::string out = (dir / "synth.csv").string();
  const Outcome r = Script("WYCKOFF_PROGRESS_AFTER_MS=0 " WYCKOFF_CLI
                           " generate --scenario mixed --bars 100000 --seed 3 --out " +
                           out);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\rgenerate " + out + " [" + std::string(30, '.') + "] 0% 0/100000 bars"),
            std::string::npos)
      << r.out;
  const std::string done = "\rgenerate " + out + " " + kFullBar + "100000/100000 bars\x1b[K";
  const auto at = r.out.find(done);
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(at + done.size(), kErase.size()), kErase);
  EXPECT_NE(r.out.find("wrote 100000 bars to " + out, at), std::string::npos) << r.out;
}

TEST(ProgressCliTest, OptimizeDrawsTheRunsDone) {
  const Outcome r = Script("WYCKOFF_PROGRESS_AFTER_MS=0 " WYCKOFF_CLI
                           " optimize --data data/daily/ko-1997-1998.csv --strategy sma-cross "
                           "--grid fast=5,10 --grid slow=20,30 --jobs 1");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* step : {"] 25% 1/4 runs", "] 50% 2/4 runs", "] 75% 3/4 runs"}) {
    EXPECT_NE(r.out.find(step), std::string::npos) << step << "\n" << r.out;
  }
  const std::string done = "\roptimize " + kFullBar + "4/4 runs\x1b[K" + kErase;
  EXPECT_NE(r.out.find(done), std::string::npos) << r.out;
}

}  // namespace
}  // namespace wyckoff::cli
