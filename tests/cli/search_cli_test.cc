// End-to-end tests of `wyckoff optimize` and `wyckoff walk-forward`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;

using testing::Outcome;
using testing::Slurp;

fs::path TempDir(const std::string& name) { return testing::FreshDir("search-cli", name); }

Outcome Wyckoff(const std::string& args) { return testing::RunWyckoff(args); }

const std::string kOrcl = " --data data/daily/orcl-1995-2014.csv --strategy sma-cross";
const std::string kGrid = " --grid fast=5:20:5 --grid slow=20,30,50";

TEST(SearchCliTest, OptimizeWritesTheSameFilesWhateverTheJobs) {
  const fs::path a = TempDir("opt-1"), b = TempDir("opt-2");
  Outcome one = Wyckoff("optimize" + kOrcl + kGrid + " --jobs 1 --out " + a.string());
  Outcome two = Wyckoff("optimize" + kOrcl + kGrid + " --jobs 2 --out " + b.string());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  for (const char* f : {"results.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(a / f), Slurp(b / f)) << f;
  }
  // Each combination is the backtest of its parameters: fast=10 slow=30 is the golden run.
  const std::string results = Slurp(a / "results.csv");
  EXPECT_EQ(results.substr(0, results.find('\n')),
            "rank,index,fast,slow,score,net_profit,total_return,sharpe,sortino,profit_factor,"
            "avg_r,max_drawdown,trades,win_rate,final_value,digest");
  EXPECT_NE(results.find(",10,30,"), std::string::npos);
  EXPECT_NE(results.find(",2646.0652,"), std::string::npos);
  auto summary = nlohmann::json::parse(Slurp(a / "summary.json"));
  EXPECT_EQ(summary["combinations"], 12);
  EXPECT_EQ(summary["evaluated"], 11);  // fast=20 slow=20 is rejected
  EXPECT_EQ(summary["rejected"], 1);
  EXPECT_EQ(summary["first_rejection"],
            "fast=20 slow=20: parameter fast (20) must be less than slow (20)");
  EXPECT_EQ(summary["digest"].get<std::string>().size(), 16u);
}

// The README's optimize example: the wyckoff strategy's features are computed once and shared
// by the 16 combinations. With spring_volume_max 0.7 (the default) ORCL trades its LPS of 2007
// (+311.0001, the backtest example), with 0.8 two winning trades worth 670.1781, and with 0.5 or
// 0.6 its ranges see no spring and trade nothing; min_reward_risk changes nothing here.
TEST(SearchCliTest, OptimizeTheWyckoffStrategyOnRealPrices) {
  const fs::path dir = TempDir("opt-wyckoff");
  Outcome run = Wyckoff(
      "optimize --data data/daily/orcl-1995-2014.csv --strategy wyckoff --grid "
      "spring_volume_max=0.5:0.8:0.1 --grid min_reward_risk=1.5:3:0.5 --objective net_profit "
      "--jobs 2 --out " +
      dir.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string title, header, first;
  std::getline(lines, title);
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(title, "optimize: wyckoff, 16 combinations over 5036 bars, objective net_profit");
  EXPECT_EQ(header,
            "  rank  parameters                                  net_profit        net P&L    "
            "Sharpe  trades    max DD");
  EXPECT_EQ(first,
            "     1  spring_volume_max=0.8 min_reward_risk=1.5     670.1781         670.18     "
            "0.421       2    0.17 %");
  const std::string results = Slurp(dir / "results.csv");
  EXPECT_NE(results.find("\n5,8,0.7,1.5,311.0001,311.0001,"), std::string::npos) << results;
  EXPECT_NE(results.find("\n9,0,0.5,1.5,0,0,"), std::string::npos) << results;
}

TEST(SearchCliTest, WalkForwardWritesTheSameFilesWhateverTheJobs) {
  const fs::path a = TempDir("wf-1"), b = TempDir("wf-2");
  const std::string args = "walk-forward" + kOrcl + kGrid + " --train 2y --test 6m --out ";
  Outcome one = Wyckoff(args + a.string() + " --jobs 1");
  Outcome two = Wyckoff(args + b.string() + " --jobs 2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(one.out, two.out);
  for (const char* f : {"windows.csv", "oos_trades.csv", "oos_equity.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(a / f), Slurp(b / f)) << f;
  }
  const std::string windows = Slurp(a / "windows.csv");
  EXPECT_EQ(windows.substr(0, windows.find('\n')),
            "window,train_start,train_end,test_start,test_end,train_steps,test_steps,fast,slow,"
            "is_score,is_net_profit,is_sharpe,is_trades,oos_score,oos_net_profit,oos_return,"
            "oos_sharpe,oos_max_drawdown,oos_trades,efficiency");
  EXPECT_NE(windows.find("\n1,1995-01-03,1997-01-02,1997-01-03,1997-07-02,"), std::string::npos);
  auto summary = nlohmann::json::parse(Slurp(a / "summary.json"));
  EXPECT_EQ(summary["windows"].size(), 36u);
  EXPECT_EQ(summary["train"], "2y");
  const std::string equity = Slurp(a / "oos_equity.csv");
  EXPECT_EQ(equity.substr(0, equity.find('\n', equity.find('\n') + 1)),
            "time,cash,equity,window\n1997-01-03,100000,100000,1");
}

// With --warmup 50 the averages are full at each test window's first bar: windows trade from
// their start (92 out-of-sample trades instead of 72; tests/strategies checks the rule itself).
TEST(SearchCliTest, WalkForwardWarmsEachRunUpOnTheBarsBeforeIt) {
  const fs::path cold = TempDir("wf-cold"), warm = TempDir("wf-warm");
  const std::string args = "walk-forward" + kOrcl + kGrid + " --train 2y --test 6m --out ";
  Outcome a = Wyckoff(args + cold.string());
  Outcome b = Wyckoff(args + warm.string() + " --warmup 50");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out.substr(0, b.out.find('\n')),
            "walk-forward: sma-cross, 36 windows (train 2y, test 6m, step 6m, rolling, warm-up 50 "
            "bars), 11 combinations, objective sharpe");
  EXPECT_NE(a.out.find("  trades                     72 (34 won, 38 lost)\n"), std::string::npos);
  EXPECT_NE(b.out.find("  trades                     92 (38 won, 54 lost)\n"), std::string::npos);
  auto summary = nlohmann::json::parse(Slurp(warm / "summary.json"));
  EXPECT_EQ(summary["warmup_bars"], 50);
  EXPECT_EQ(nlohmann::json::parse(Slurp(cold / "summary.json"))["warmup_bars"], 0);
  // The curve still starts at the first test bar, with the starting cash.
  const std::string equity = Slurp(warm / "oos_equity.csv");
  EXPECT_EQ(equity.substr(0, equity.find('\n', equity.find('\n') + 1)),
            "time,cash,equity,window\n1997-01-03,100000,100000,1");
}

TEST(SearchCliTest, BadInputExitsTwoWithOneClearLine) {
  const std::string ko = " --data data/daily/ko-1997-1998.csv";
  struct Case {
    std::string args, error;
  } cases[] = {
      {"optimize" + ko + " --grid fast=5:x:1",
       "error: grid \"fast=5:x:1\": stop \"x\" is not a number\n"},
      {"optimize" + ko + " --grid fast",
       "error: grid \"fast\": not of the form name=start:stop:step, name=a,b,c or name=value\n"},
      {"optimize" + ko + " --grid fast=5,x",
       "error: parameter fast: \"x\" is not an integer from 1 to 100000\n"},
      {"optimize" + ko + " --grid fast=5,10 --grid speed=3",
       "error: unknown parameter \"speed\" for strategy sma-cross (known: fast, slow)\n"},
      {"optimize" + ko + " --grid fast=40,50",
       "error: the strategy rejected every combination (2 of 2; first: fast=40: parameter fast "
       "(40) must be less than slow (30))\n"},
      {"optimize" + ko + " --grid fast=5 --objective cagr",
       "error: --objective \"cagr\" is not an objective; expected sharpe, sortino, net_profit, "
       "profit_factor or avg_r\n"},
      {"walk-forward" + ko + " --grid fast=5,10 --train 2y --test 6m",
       "error: data too short for one walk-forward window: the first test window starts "
       "1999-01-02 (the train window of 2y after the first bar, 1997-01-02), but the last bar is "
       "1998-06-01\n"},
      {"walk-forward" + ko + " --grid fast=5 --train 400 --test 100",
       "error: data too short for one walk-forward window: a train window of 400 bars leaves no "
       "bars to test (the data has 356 bars)\n"},
      // Unsigned options never wrap a negative value round.
      {"optimize" + ko + " --grid fast=5,10 --samples -1",
       "error: --samples: Value -1 not in range 0 to 10000000\n"},
      {"optimize" + ko + " --grid fast=5,10 --samples 1 --seed -3",
       "error: --seed: Value -3 not in range 0 to 1000000000000000000\n"},
      {"walk-forward" + ko + " --grid fast=5 --train 100 --test 50 --warmup -1",
       "error: --warmup: Value -1 not in range 0 to 100000000\n"},
      {"walk-forward" + ko + " --grid fast=5 --train 1q --test 6m",
       "error: --train \"1q\" is not a period; expected a count from 1 to 1000000 followed by d, "
       "w, m or y (days, weeks, months, years), or a number of bars (500 or 500b)\n"},
  };
  for (const auto& c : cases) {
    Outcome r = Wyckoff(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.error) << c.args;
  }
}

// A write that fails (here: a folder where a temporary file must go) ends the command with
// the OS's reason, and leaves neither the report's files nor temporary ones.
TEST(SearchCliTest, AFailedWriteLeavesNoFilesBehind) {
  const fs::path wf = TempDir("wf-fails"), detect = TempDir("detect-fails");
  fs::create_directories(wf / "oos_equity.csv.tmp");
  fs::create_directories(detect / "ranges.csv.tmp");
  Outcome w =
      Wyckoff("walk-forward" + kOrcl + kGrid + " --train 2y --test 6m --out " + wf.string());
  Outcome d = Wyckoff("detect --data data/daily/orcl-1995-2014.csv --out " + detect.string());
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_EQ(w.err,
            "error: " + (wf / "oos_equity.csv").string() + ": cannot write: Is a directory\n");
  EXPECT_EQ(d.exit_code, 1);
  EXPECT_EQ(d.err,
            "error: " + (detect / "ranges.csv").string() + ": cannot write: Is a directory\n");
  for (const fs::path& dir : {wf, detect}) {
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(dir)) left.push_back(entry.path().filename());
    EXPECT_EQ(left.size(), 1u) << dir;  // only the folder this test put there
  }
}

}  // namespace
}  // namespace wyckoff::cli
