// End-to-end tests of `wyckoff generate`: byte-identical files per seed, springs that
// `wyckoff detect` finds where the labels say, and the exact error lines.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;

using testing::Outcome;
using testing::Slurp;

fs::path TempDir(const std::string& name) { return testing::FreshDir("generate-cli", name); }

Outcome Wyckoff(const std::string& args) { return testing::RunWyckoff(args); }

// The rows of a CSV file as fields (no quoting: neither file quotes).
std::vector<std::vector<std::string>> Rows(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(Slurp(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream fs(line);
    for (std::string f; std::getline(fs, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

TEST(GenerateCliTest, SameSeedWritesByteIdenticalFiles) {
  fs::path a = TempDir("same-a"), b = TempDir("same-b"), c = TempDir("other");
  for (const fs::path& dir : {a, b}) {
    Outcome r = Wyckoff("generate --scenario mixed --bars 3000 --seed 11 --out " +
                        (dir / "bars.csv").string() + " --labels " + (dir / "labels.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
  }
  ASSERT_EQ(
      Wyckoff("generate --scenario mixed --bars 3000 --seed 12 --out " + (c / "bars.csv").string())
          .exit_code,
      0);
  EXPECT_EQ(Slurp(a / "bars.csv"), Slurp(b / "bars.csv"));
  EXPECT_EQ(Slurp(a / "labels.csv"), Slurp(b / "labels.csv"));
  EXPECT_NE(Slurp(a / "bars.csv"), Slurp(c / "bars.csv"));
  const auto bars = Rows(a / "bars.csv");
  ASSERT_EQ(bars.size(), 3001u);
  EXPECT_EQ(bars[0], (std::vector<std::string>{"Date", "Open", "High", "Low", "Close", "Volume"}));
  EXPECT_EQ(bars[1][0], "2000-01-03");
  EXPECT_EQ(Rows(a / "labels.csv")[0],
            (std::vector<std::string>{"type", "pattern_time", "end_time", "pattern_index",
                                      "end_index", "structure", "level", "detail"}));
  EXPECT_FALSE(fs::exists(a / "bars.csv.tmp"));
}

// `wyckoff detect` reads the generated file back and reports the planted springs: each
// SPRING label has a SPRING event within 3 bars, and most SPRING events have a label.
TEST(GenerateCliTest, DetectFindsTheLabelledSprings) {
  fs::path dir = TempDir("detect");
  Outcome g =
      Wyckoff("generate --scenario accumulation --bars 5000 --seed 7 --out " +
              (dir / "synth.csv").string() + " --labels " + (dir / "synth.labels.csv").string());
  ASSERT_EQ(g.exit_code, 0) << g.err;
  Outcome d =
      Wyckoff("detect --data " + (dir / "synth.csv").string() + " --out " + (dir / "det").string());
  ASSERT_EQ(d.exit_code, 0) << d.err;
  std::map<std::string, long> index_of;  // date -> bar index
  const auto bars = Rows(dir / "synth.csv");
  for (std::size_t i = 1; i < bars.size(); ++i) index_of[bars[i][0]] = static_cast<long>(i - 1);
  std::vector<long> planted, found;
  for (const auto& row : Rows(dir / "synth.labels.csv")) {
    if (row[0] == "SPRING") planted.push_back(std::stol(row[3]));
  }
  for (const auto& row : Rows(dir / "det" / "events.csv")) {
    if (row[1] == "SPRING") found.push_back(index_of.at(row[2]));
  }
  ASSERT_GE(planted.size(), 10u);
  int recalled = 0, matched = 0;
  for (long p : planted) {
    for (long f : found) {
      if (std::labs(f - p) <= 3) {
        ++recalled;
        break;
      }
    }
  }
  for (long f : found) {
    for (long p : planted) {
      if (std::labs(f - p) <= 3) {
        ++matched;
        break;
      }
    }
  }
  EXPECT_GE(recalled, static_cast<int>(planted.size()) * 9 / 10);
  EXPECT_GE(matched, static_cast<int>(found.size()) * 3 / 4);
}

TEST(GenerateCliTest, BadInputExitsTwoWithOneLine) {
  fs::path dir = TempDir("bad");
  const std::string out = " --out " + (dir / "x.csv").string();
  struct Case {
    std::string args, error;
  } cases[] = {
      {"generate --scenario reaccumulation" + out,
       "error: unknown scenario \"reaccumulation\" (choose accumulation, distribution or "
       "mixed)\n"},
      {"generate --bars 399" + out,
       "error: --bars 399 is too few: a scenario needs at least 400 bars to hold one "
       "structure\n"},
      {"generate" + out + " --labels " + (dir / "x.csv").string(),
       "error: --labels and --out name the same file\n"},
      {"generate --seed -1" + out,  // not wrapped round to 2^64 - 1
       "error: --seed: Value -1 not in range 0 to 1000000000000000000\n"},
      {"generate --bars 10000001" + out,
       "error: --bars 10000001 is above the limit of 10000000 bars\n"},
  };
  for (const Case& c : cases) {
    Outcome r = Wyckoff(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.error) << c.args;
  }
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(GenerateCliTest, UnwritablePathExitsOneAndLeavesNoFile) {
  fs::path dir = TempDir("unwritable");
  const std::string missing = (dir / "missing" / "labels.csv").string();
  Outcome r =
      Wyckoff("generate --bars 400 --out " + (dir / "bars.csv").string() + " --labels " + missing);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + missing + ": cannot write: No such file or directory\n");
  EXPECT_TRUE(fs::is_empty(dir));
}

TEST(GenerateCliTest, AFullDeviceIsAnErrorNotASuccess) {
  Outcome r = Wyckoff("generate --bars 5000 --out /dev/full");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: /dev/full: cannot write: No space left on device\n");
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

// Beyond 50000 daily bars the timestamps would leave the supported dates: the series is one
// minute a bar instead, and backtests as it is written.
TEST(GenerateCliTest, LongSeriesAreOneMinuteBarsThatBacktest) {
  fs::path dir = TempDir("long");
  Outcome made = Wyckoff("generate --bars 60000 --out " + (dir / "long.csv").string());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string bars = Slurp(dir / "long.csv");
  EXPECT_EQ(bars.substr(0, bars.find('\n')), "Date,Time,Open,High,Low,Close,Volume");
  EXPECT_NE(bars.find("\n2000-01-03,00:01:00,"), std::string::npos);
  EXPECT_NE(bars.find("\n2000-01-10,00:00:00,"), std::string::npos);  // Monday after the weekend
  EXPECT_EQ(bars.find("\n2000-01-08,"), std::string::npos);           // no Saturday
  Outcome run = Wyckoff("backtest --data " + (dir / "long.csv").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("60000 bars"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace wyckoff::cli
