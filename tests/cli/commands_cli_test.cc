// The command line itself: version, help, and what a wrong or missing command says.
#include <gtest/gtest.h>

#include <regex>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

using testing::Outcome;
using testing::RunWyckoff;

TEST(CommandsCliTest, VersionNamesTheReleaseAndTheCommit) {
  Outcome flag = RunWyckoff("--version");
  Outcome command = RunWyckoff("version");
  ASSERT_EQ(flag.exit_code, 0);
  EXPECT_TRUE(std::regex_match(flag.out, std::regex("wyckoff 0\\.1\\.0 \\(commit ([0-9a-f]{12}|"
                                                    "unknown)\\)\n")))
      << flag.out;
  EXPECT_EQ(command.out, flag.out);
}

TEST(CommandsCliTest, HelpListsTheCommands) {
  Outcome r = RunWyckoff("help");
  ASSERT_EQ(r.exit_code, 0);
  for (const char* command :
       {"backtest", "optimize", "walk-forward", "detect", "generate", "params", "db", "bench"}) {
    EXPECT_NE(r.out.find("\n  " + std::string(command)), std::string::npos) << command;
  }
}

TEST(CommandsCliTest, AWrongOrMissingCommandSaysWhatExists) {
  struct Case {
    const char* args;
    const char* error;
  } cases[] = {
      {"backtesst",
       "error: unknown command \"backtesst\"; did you mean backtest? (wyckoff help lists the "
       "commands)\n"},
      {"frobnicate", "error: unknown command \"frobnicate\" (wyckoff help lists the commands)\n"},
      {"",
       "error: wyckoff needs a command: backtest, db, optimize, walk-forward, detect, "
       "generate, params, bench, version, help\n"},
      {"db", "error: wyckoff db needs a command: migrate, status, import, runs\n"},
  };
  for (const Case& c : cases) {
    Outcome r = RunWyckoff(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.error) << c.args;
  }
}

}  // namespace
}  // namespace wyckoff::cli
