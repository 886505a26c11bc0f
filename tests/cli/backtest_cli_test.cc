#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli_runner.h"
#include "wyckoff/core/decimal.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;

using testing::Outcome;
using testing::Slurp;

fs::path TempDir(const std::string& name) { return testing::FreshDir("backtest-cli", name); }

Outcome Wyckoff(const std::string& args) { return testing::RunWyckoff(args); }

TEST(BacktestCliTest, WritesEveryReportFileWithTheDocumentedColumns) {
  fs::path out = TempDir("orcl");
  Outcome r = Wyckoff(
      "backtest --data data/daily/orcl-1995-2014.csv --strategy sma-cross "
      "--param fast=10 --param slow=30 --quantity 100 --cash 100000 --out " +
      out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("final value            102646.0652"), std::string::npos) << r.out;
  std::string trades = Slurp(out / "trades.csv");
  EXPECT_EQ(trades.substr(0, trades.find('\n')),
            "entry_time,exit_time,entry_price,exit_price,quantity,pnl,fees,bars_held,r_multiple,"
            "symbol,direction,tag");
  EXPECT_NE(trades.find("\n1995-05-12,1995-09-25,2.37037,2.935185,100,56.4815,0,93,,"
                        "orcl-1995-2014,LONG,\n"),
            std::string::npos);
  std::string equity = Slurp(out / "equity.csv");
  EXPECT_EQ(equity.substr(0, equity.find('\n', equity.find('\n') + 1)),
            "time,cash,equity\n1995-01-03,100000,100000");
  auto summary = nlohmann::json::parse(Slurp(out / "summary.json"));
  EXPECT_EQ(summary["final_value"], "102646.0652");
  EXPECT_EQ(summary["final_cash"], "98149.0651");
  EXPECT_EQ(summary["closed_trades"], 97);
  EXPECT_EQ(summary["bars"], 5036);
  EXPECT_EQ(summary["parameters"], (nlohmann::json{{"fast", "10"}, {"slow", "30"}}));
  EXPECT_EQ(summary["digest"].get<std::string>().size(), 16u);
  EXPECT_FALSE(fs::exists(out / "equity.csv.tmp"));
  EXPECT_TRUE(fs::exists(out / "fills.csv"));
  EXPECT_TRUE(fs::exists(out / "orders.csv"));
}

TEST(BacktestCliTest, IntradayTimesCarryTheTimeOfDay) {
  fs::path out = TempDir("index");
  Outcome r = Wyckoff(
      "backtest --data data/intraday/estx50-index-2006-01-5min.csv --quantity 10 "
      "--out " +
      out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string trades = Slurp(out / "trades.csv");
  EXPECT_NE(trades.find("\n2006-01-02 12:40:00,2006-01-02 13:15:00,3599.02,3595.85,10,-31.7,"),
            std::string::npos);
}

TEST(BacktestCliTest, RunsTwiceByteIdentical) {
  fs::path a = TempDir("twice-a"), b = TempDir("twice-b");
  const std::string args =
      "backtest --data data/daily/ko-1997-1998.csv --data "
      "data/daily/pep-1997-1998.csv --commission per-share:0.01:1 --out ";
  ASSERT_EQ(Wyckoff(args + a.string()).exit_code, 0);
  ASSERT_EQ(Wyckoff(args + b.string()).exit_code, 0);
  for (const char* f : {"trades.csv", "fills.csv", "orders.csv", "equity.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(a / f), Slurp(b / f)) << f;
  }
}

TEST(BacktestCliTest, ABadRowStopsWithFileLineReasonAndWritesNothing) {
  fs::path dir = TempDir("bad");
  std::ofstream(dir / "bad.csv") << "Date,Open,High,Low,Close,Volume\n"
                                    "2020-01-01,10,11,9,10,100\n"
                                    "2020-01-02,10.50,10.50,11.00,10.6,100\n";
  Outcome r =
      Wyckoff("backtest --data " + (dir / "bad.csv").string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: " + (dir / "bad.csv").string() + ":3: high 10.5 is below low 11\n");
  EXPECT_TRUE(fs::is_empty(dir / "out"));
}

TEST(BacktestCliTest, SkipPolicyReportsWhatItSkipped) {
  fs::path dir = TempDir("skip");
  std::ofstream(dir / "skip.csv") << "Date,Open,High,Low,Close,Volume\n"
                                     "2020-01-01,10,11,9,10,100\n"
                                     "2020-01-02,null,null,null,null,null\n"
                                     "2020-01-03,10,11,9,10,100\n";
  Outcome r = Wyckoff("backtest --on-bad-row skip --data " + (dir / "skip.csv").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "warning: skipped 1 bad rows (first: " + (dir / "skip.csv").string() +
                       ":3: open: \"null\" is not a decimal number)\n");
  EXPECT_NE(r.out.find("skipped bad rows       1"), std::string::npos);
}

TEST(BacktestCliTest, BadOptionsExitTwoWithOneClearLine) {
  const std::string data = " --data data/daily/ko-1997-1998.csv";
  struct Case {
    std::string args, error;
  } cases[] = {
      {"backtest --data missing.csv",
       "error: missing.csv: cannot open: No such file or directory\n"},
      {"backtest" + data + " --param fast=40",
       "error: parameter fast (40) must be less than slow (30)\n"},
      {"backtest" + data + " --param speed=3",
       "error: unknown parameter \"speed\" for strategy sma-cross (known: fast, slow)\n"},
      {"backtest" + data + " --strategy nope",
       "error: unknown strategy \"nope\" (known: sma-cross, wyckoff)\n"},
      {"backtest" + data + " --cash -5",
       "error: --cash \"-5\" must be a number above 0 up to 1000000000000\n"},
      {"backtest" + data + " --quantity 1 --risk 0.01",
       "error: --quantity and --risk exclude each other\n"},
      {"backtest" + data + " --commission per-trade:1",
       "error: \"per-trade:1\" is not a valid model; expected none, per-share:RATE[:MINIMUM], "
       "percent:PERCENT or fixed:AMOUNT\n"},
      {"backtest" + data + " --intrabar random",
       "error: \"random\" is not an intrabar policy; expected stop-first, target-first or path\n"},
      {"backtest" + data + " --symbol A --symbol B",
       "error: --symbol was given 2 times for 1 --data files\n"},
      {"backtest" + data + " --slippage bps:20000",
       "error: \"bps:20000\": slippage must be below 10000 basis points (100% of the price)\n"},
      {"backtest" + data + " --commission percent:200",
       "error: \"percent:200\": a commission must be at most 100 percent of the notional\n"},
      {"backtest" + data + " --quantity 1e9",
       "error: --quantity: \"1e9\" uses exponent notation; write the number in plain decimal "
       "digits\n"},
      {"backtest" + data + " --quantity 1000000000001",
       "error: --quantity \"1000000000001\" must be a number above 0 up to 1000000000000\n"},
      {"backtest" + data + " --symbol ''", "error: a symbol name must not be empty\n"},
      {"backtest" + data + " --symbol \"$(printf 'A\\tB')\"",
       "error: symbol \"A\\tB\" holds a control character\n"},
      // A folder is its CSV files (ExpandDataArgs); one without any is refused.
      {"backtest --data docs", "error: folder \"docs\" holds no .csv file\n"},
      {"backtest" + data + " --tick-size 0",
       "error: --tick-size \"0\" must be a number above 0 up "
       "to 1000000000000\n"},
  };
  for (const auto& c : cases) {
    Outcome r = Wyckoff(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args;
    EXPECT_EQ(r.err, c.error) << c.args;
  }
  Outcome usage = Wyckoff("backtest --bogus");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_EQ(usage.err.rfind("error: ", 0), 0u);
}

TEST(BacktestCliTest, AFileWithAHeaderOnlyIsNoBars) {
  fs::path dir = TempDir("header-only");
  std::ofstream(dir / "empty.csv") << "Date,Open,High,Low,Close,Volume\n";
  Outcome r = Wyckoff("backtest --data " + (dir / "empty.csv").string() + " --out " +
                      (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "error: " + (dir / "empty.csv").string() + ": no bars: the file has a header only\n");
  EXPECT_FALSE(fs::exists(dir / "out" / "equity.csv"));
  EXPECT_FALSE(fs::exists(dir / "out" / "equity.csv.tmp"));
}

TEST(BacktestCliTest, NonpositivePricesNeedTheFlag) {
  fs::path dir = TempDir("negative");
  std::ofstream(dir / "cl.csv") << "Date,Open,High,Low,Close,Volume\n"
                                   "2020-04-17,18.27,18.3,17.31,18.27,100\n"
                                   "2020-04-20,17.73,17.85,-40.32,-37.63,100\n"
                                   "2020-04-21,-14,10.5,-16.74,10.01,100\n";
  const std::string args = "backtest --data " + (dir / "cl.csv").string() + " --quantity 1";
  Outcome refused = Wyckoff(args);
  Outcome allowed = Wyckoff(args + " --allow-nonpositive-prices");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "error: " + (dir / "cl.csv").string() + ":3: low -40.32 is not a positive price\n");
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.out.find("3 bars"), std::string::npos) << allowed.out;
}

TEST(BacktestCliTest, AnUnwritableProfileIsRefusedBeforeTheRun) {
  Outcome r = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --profile /dev/full");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: /dev/full: cannot write the profile: No space left on device\n");
  EXPECT_EQ(r.out, "");
}

TEST(BacktestCliTest, SymbolsWithCommasAreQuotedInEveryFile) {
  fs::path out = TempDir("comma-symbol");
  Outcome r = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --symbol 'KO, Inc' --out " +
                      out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(Slurp(out / "fills.csv").find("\n1997-04-25,\"KO, Inc\",1,BUY,100,60,0,\n"),
            std::string::npos);
  EXPECT_NE(Slurp(out / "orders.csv")
                .find("\n1,1997-04-24,\"KO, Inc\",BUY,MARKET,100,,,100,"
                      "FILLED,,,\n"),
            std::string::npos);
  EXPECT_NE(Slurp(out / "trades.csv").find(",59,,\"KO, Inc\",LONG,\n"), std::string::npos);
}

TEST(BacktestCliTest, RejectedOrdersAreReported) {
  Outcome table = Wyckoff("backtest --data data/intraday/estx50-futures-2006-01-02-1min.csv");
  Outcome json = Wyckoff("backtest --data data/intraday/estx50-futures-2006-01-02-1min.csv --json");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("  rejected orders        641 (first: insufficient cash: needs 361400, "
                           "available 100000)\n"),
            std::string::npos)
      << table.out;
  auto summary = nlohmann::json::parse(json.out);
  EXPECT_EQ(summary["rejected_orders"], 641);
  EXPECT_EQ(summary["first_rejection"], "insufficient cash: needs 361400, available 100000");
}

// Streaming: the peak memory of a backtest over a 50 MB, 1-million-bar file stays far below
// what holding its bars would take (1M x 88 bytes = 88 MB). Slow averages that trade rarely
// keep the trade list small, so what is measured is the per-bar memory.
TEST(BacktestCliTest, MemoryDoesNotGrowWithTheFile) {
  fs::path dir = TempDir("big");
  {
    // Written in chunks, so that this process stays small too: a child's peak resident size
    // counts what it shared with this process when it was forked.
    std::ofstream csv(dir / "big.csv");
    csv << "Date,Time,Open,High,Low,Close,Volume\n";
    constexpr std::size_t kChunk = 10'000;
    constexpr Timestamp kMinute = 60 * kNanosPerSecond;
    for (std::size_t chunk = 0; chunk < 100; ++chunk) {
      const fixtures::RandomWalkOptions options{
          .bars = kChunk,
          .seed = chunk,
          .start =
              946'684'800LL * kNanosPerSecond + static_cast<Timestamp>(chunk * kChunk) * kMinute,
          .interval = kMinute};
      for (const Bar& b : fixtures::RandomWalkBars(options)) {
        std::string t = FormatTimestamp(b.time, false);
        t[10] = ',';
        csv << t << ',' << b.open.ToString() << ',' << b.high.ToString() << ',' << b.low.ToString()
            << ',' << b.close.ToString() << ',' << b.volume.ToString() << '\n';
      }
    }
  }
  Outcome r = Wyckoff("backtest --param fast=5000 --param slow=20000 --data " +
                      (dir / "big.csv").string() + " --out " + (dir / "out").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1000000 bars"), std::string::npos) << r.out;
#ifndef WYCKOFF_INSTRUMENTED  // shadow memory and gcov counters are part of the resident set
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  EXPECT_LT(usage.ru_maxrss, 30 * 1024) << "peak resident set in KiB";
#endif
}

}  // namespace
}  // namespace wyckoff::cli

namespace wyckoff::cli {
namespace {

// The line of `text` that starts with `prefix` (without its newline), or "".
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  const std::size_t at = text.rfind(prefix, 0) == 0 ? 0 : text.find("\n" + prefix);
  if (at == std::string::npos) return "";
  const std::size_t start = at == 0 ? 0 : at + 1;
  return text.substr(start, text.find('\n', start) - start);
}

TEST(BacktestCliTest, TradesThatNeitherWonNorLostAreCountedAsBreakEven) {
  Outcome yhoo = Wyckoff("backtest --data data/daily/yhoo-1996-2015.csv");
  Outcome ko = Wyckoff("backtest --data data/daily/ko-1997-1998.csv");
  ASSERT_EQ(yhoo.exit_code, 0) << yhoo.err;
  ASSERT_EQ(ko.exit_code, 0) << ko.err;
  EXPECT_EQ(LineStartingWith(yhoo.out, "  trades"),
            "  trades                 93 (40 won, 50 lost, 3 break-even)");
  EXPECT_EQ(LineStartingWith(ko.out, "  trades"), "  trades                 4 (3 won, 1 lost)");
}

TEST(BacktestCliTest, ManyParametersPointToJsonNotToAFileThatIsNotThere) {
  Outcome r = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --strategy wyckoff");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "backtest: wyckoff (73 parameters: --json prints them) on ko-1997-1998, 356 bars");
}

TEST(BacktestCliTest, AProfileOfARunTooShortToSampleSaysSoAndSuggestsRepeat) {
  const fs::path dir = TempDir("short-profile");
  Outcome r = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --profile " +
                      (dir / "run.prof").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  const std::string warning = LineStartingWith(r.err, "warning:");
  ASSERT_TRUE(std::regex_match(
      warning, m,
      std::regex("warning: the profile holds ([0-9]+) samples?: the run took (under a millisecond|"
                 "0\\.[0-9]{3} s) of CPU, too short to profile at 100 samples a second; repeat "
                 "it with --repeat ([0-9]+) \\(about [0-9]+ s\\)")))
      << r.err;
  EXPECT_LT(std::stoi(m[1].str()), 300);
  EXPECT_GT(std::stoll(m[3].str()), 100);
}

TEST(BacktestCliTest, RepeatRunsTheSameBacktestAndReportsTheLast) {
  const fs::path once = TempDir("repeat-once"), thrice = TempDir("repeat-thrice");
  Outcome a = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --out " + once.string());
  Outcome b =
      Wyckoff("backtest --data data/daily/ko-1997-1998.csv --repeat 3 --out " + thrice.string());
  Outcome zero = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --repeat 0");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out, a.out);
  EXPECT_EQ(b.err, "");
  for (const char* file : {"trades.csv", "equity.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(thrice / file), Slurp(once / file)) << file;
  }
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_EQ(zero.err, "error: --repeat: Value 0 not in range 1 to 1000000\n");
}

// --cache: the second run maps the parsed file; its output is the first run's, byte for byte.
TEST(BacktestCliTest, ACachedFileGivesTheSameRun) {
  const fs::path dir = TempDir("cache");
  const std::string args =
      "backtest --data data/daily/orcl-1995-2014.csv --strategy wyckoff --out ";
  const Outcome first =
      Wyckoff(args + (dir / "first").string() + " --cache " + (dir / "cache").string());
  // The second run finds the folder in the environment.
  setenv("WYCKOFF_CACHE", (dir / "cache").c_str(), 1);
  const Outcome second = Wyckoff(args + (dir / "second").string());
  unsetenv("WYCKOFF_CACHE");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
  for (const char* file : {"trades.csv", "events.csv", "equity.csv", "summary.json"}) {
    EXPECT_EQ(Slurp(dir / "second" / file), Slurp(dir / "first" / file)) << file;
  }
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(dir / "cache")) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with("ident-")) entries.push_back(name);  // not a memo of a file's hash
  }
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_TRUE(entries[0].ends_with("-stop-r1-f3.bars")) << entries[0];

  std::ofstream(dir / "plain") << "a file";
  const Outcome bad =
      Wyckoff(args + (dir / "third").string() + " --cache " + (dir / "plain").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "error: cache folder " + (dir / "plain").string() + ": Not a directory\n");
  EXPECT_FALSE(fs::exists(dir / "third"));
}

// The peak resident set of `wyckoff ARGS` (run from the repository root), in KiB, and its exit
// code: wait4 reports the child's own peak (the shell's exec makes the child wyckoff itself).
std::pair<int, long> PeakResidentKiB(const std::string& args) {
  const std::string cmd =
      "cd '" WYCKOFF_SOURCE_DIR "' && exec " WYCKOFF_CLI " " + args + " >/dev/null 2>&1";
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid) return {-1, 0};
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, usage.ru_maxrss};
}

// Memory flat in the bars, end to end: generating a 10-million-bar file (550 MB) peaks under
// 64 MiB, and a backtest over it, with --out and without, within 16 MiB of one over its first
// million bars, and under 64 MiB.
TEST(BacktestCliTest, PeakMemoryOfTenMillionBarsIsThatOfOneMillion) {
#ifdef WYCKOFF_INSTRUMENTED
  GTEST_SKIP() << "shadow memory and gcov counters are part of the resident set";
#endif
  const fs::path dir = TempDir("ten-million");
  // `generate` streams too: the bars are written as they are made.
  const auto [generated_exit, generated_kib] =
      PeakResidentKiB("generate --bars 10000000 --seed 3 --out " + (dir / "10m.csv").string());
  ASSERT_EQ(generated_exit, 0);
  EXPECT_LT(generated_kib, 64 * 1024) << "peak KiB of generate --bars 10000000";
  {
    std::ifstream in(dir / "10m.csv");
    std::ofstream out(dir / "1m.csv");
    std::string line;
    for (int i = 0; i <= 1'000'000 && std::getline(in, line); ++i) out << line << '\n';
  }
  const auto [one_exit, one_kib] = PeakResidentKiB("backtest --data " + (dir / "1m.csv").string() +
                                                   " --out " + (dir / "out-1m").string());
  const auto [ten_exit, ten_kib] = PeakResidentKiB("backtest --data " + (dir / "10m.csv").string() +
                                                   " --out " + (dir / "out-10m").string());
  // Without --out the records are dropped as they come (sma-cross trades ~28,000 times a
  // million bars here): no more memory either.
  const auto [bare_exit, bare_kib] =
      PeakResidentKiB("backtest --data " + (dir / "10m.csv").string());
  ASSERT_EQ(one_exit, 0);
  ASSERT_EQ(ten_exit, 0);
  ASSERT_EQ(bare_exit, 0);
  EXPECT_LE(bare_kib, one_kib + 16 * 1024) << "peak KiB without --out: " << bare_kib;
  EXPECT_EQ(fs::file_size(dir / "out-10m" / "equity.csv") > 10'000'000 * 20, true);
  EXPECT_LE(ten_kib, one_kib + 16 * 1024) << "peak KiB: 1M bars " << one_kib << ", 10M " << ten_kib;
  EXPECT_LT(ten_kib, 64 * 1024) << "peak KiB of 10M bars";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wyckoff::cli

namespace wyckoff::cli {
namespace {

// Two symbols on one clock, sma-cross(10, 30), 100 shares an entry.
const std::string kKoPep =
    "backtest --data data/daily/ko-1997-1998.csv --data data/daily/pep-1997-1998.csv "
    "--symbol KO --symbol PEP --strategy sma-cross";

// The lines of `text` from the one starting with `first` to the end.
std::string From(const std::string& text, const std::string& first) {
  const auto at = text.find(first);
  return at == std::string::npos ? "" : text.substr(at);
}

TEST(BacktestCliTest, ASymbolTableEndsTheSummaryOfSeveralSymbols) {
  const Outcome r = Wyckoff(kKoPep);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(From(r.out, "  symbol "),
            "  symbol  trades   won  lost  win rate        net P&L average R\n"
            "  KO           4     3     1   75.00 %        1443.75       n/a\n"
            "  PEP          7     4     3   57.14 %         381.25       n/a\n");
  // Closed trades only: the run's net P&L (2000) also counts the positions open at the end.
  // One symbol: no table.
  const Outcome one = Wyckoff("backtest --data data/daily/ko-1997-1998.csv --strategy sma-cross");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out.find("  symbol "), std::string::npos) << one.out;
}

TEST(BacktestCliTest, MaxPositionsNeverHoldsMoreSymbolsAndSaysWhatItRefused) {
  const fs::path dir = TempDir("max-positions");
  const Outcome r = Wyckoff(kKoPep + " --max-positions 1 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(From(r.out, "  rejected orders"),
            "  rejected orders        5 (first: max positions (1): 1 held or pending; this entry "
            "ranked 1 of 1 at this bar (rank 0))\n"
            "  digest                 4fcdd97aa82ebd6a\n"
            "  symbol  trades   won  lost  win rate        net P&L average R\n"
            "  KO           2     2     0  100.00 %            950       n/a\n"
            "  PEP          4     3     1   75.00 %          187.5       n/a\n");
  // From the files: no two trades overlap (an entry fills at the open after the exit's bar at
  // the earliest), and every refused order says why.
  std::vector<std::pair<std::string, std::string>> held;  // entry, exit dates
  std::map<std::string, Decimal> pnl;                     // per symbol, from trades.csv
  std::istringstream trades(Slurp(dir / "trades.csv"));
  std::string line;
  std::getline(trades, line);
  while (std::getline(trades, line)) {
    held.emplace_back(line.substr(0, 10), line.substr(11, 10));
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
    pnl[f.at(9)] += Decimal::Parse(f.at(5)).value();
  }
  EXPECT_EQ(pnl["KO"].ToString(), "950");
  EXPECT_EQ(pnl["PEP"].ToString(), "187.5");
  ASSERT_EQ(held.size(), 6u);
  std::sort(held.begin(), held.end());
  for (std::size_t i = 1; i < held.size(); ++i) {
    EXPECT_GE(held[i].first, held[i - 1].second) << held[i].first;
  }
  std::istringstream orders(Slurp(dir / "orders.csv"));
  int rejected = 0;
  while (std::getline(orders, line)) {
    if (line.find(",REJECTED,") == std::string::npos) continue;
    ++rejected;
    EXPECT_NE(line.find(",max positions (1): 1 held or pending; this entry ranked 1 of 1"),
              std::string::npos)
        << line;
  }
  EXPECT_EQ(rejected, 5);
  const auto summary = nlohmann::ordered_json::parse(Slurp(dir / "summary.json"));
  EXPECT_EQ(summary["settings"]["max_positions"], "1");
  EXPECT_EQ(summary["per_symbol"].dump(),
            R"([{"symbol":"KO","trades":2,"won":2,"lost":0,"win_rate":1.0,"net_pnl":"950",)"
            R"("average_r":null},{"symbol":"PEP","trades":4,"won":3,"lost":1,"win_rate":0.75,)"
            R"("net_pnl":"187.5","average_r":null}])");
  // A negative limit is refused by the flag check.
  const Outcome bad = Wyckoff(kKoPep + " --max-positions -1");
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace wyckoff::cli
