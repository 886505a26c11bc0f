// End-to-end tests of the `wyckoff` executable against a real PostgreSQL server: `db migrate`,
// `db status`, `db import`, `backtest --db --data postgresql:...` and `db runs`, with their exit
// codes and exact output lines, and one error line for every kind of bad database input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "stored_results.h"
#include "test_database.h"
#include "wyckoff/db/runs.h"

namespace wyckoff::db {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Slurp;
using ::testing::StartsWith;

struct Outcome {
  int exit_code;
  std::string out, err;
};

// Runs `ENV wyckoff ARGS` from the repository root (ENV: VAR=value ... or empty) and captures
// its exit code and output.
Outcome Wyckoff(const std::string& args, const std::string& env = "") {
  static int calls = 0;
  const fs::path dir = fs::temp_directory_path() / "wyckoff-db-cli-test" /
                       ("run-" + std::to_string(getpid()) + "-" + std::to_string(++calls));
  fs::create_directories(dir);
  const std::string cmd = "cd " WYCKOFF_SOURCE_DIR " && " + env + " " WYCKOFF_CLI " " + args +
                          " >" + (dir / "stdout").string() + " 2>" + (dir / "stderr").string() +
                          " </dev/null";
  const int status = std::system(cmd.c_str());
  Outcome outcome{WEXITSTATUS(status), Slurp(dir / "stdout"), Slurp(dir / "stderr")};
  fs::remove_all(dir);
  return outcome;
}

// Shell quoting for one argument.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The lines of `text`.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// Exactly one line, `error: ...`.
void ExpectOneErrorLine(const Outcome& r) {
  EXPECT_THAT(r.err, StartsWith("error: "));
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

class DbCliTest : public testing::DatabaseTest {
 protected:
  // The URL of this test's database: WYCKOFF_TEST_DB with its database name replaced.
  std::string Url() {
    static const std::regex kPath(R"(^([a-z]+://[^/?]*)(/[^?]*)?)");
    return std::regex_replace(server_url(), kPath, "$1/" + database(),
                              std::regex_constants::format_first_only);
  }
  std::string Db() { return "--db " + Quote(Url()); }
};

TEST_F(DbCliTest, MigrateImportBacktestFromTheDatabaseAndListRuns) {
  const testing::TempDir out;

  const Outcome migrate = Wyckoff("db migrate " + Db() + " --actor tester");
  const Outcome again = Wyckoff("db migrate " + Db() + " --actor tester");
  const Outcome status = Wyckoff("db status " + Db());
  const Outcome import = Wyckoff("db import " + Db() +
                                 " --data data/daily/orcl-1995-2014.csv --symbol ORCL "
                                 "--timeframe 1d --actor tester");
  const Outcome backtest = Wyckoff("backtest " + Db() +
                                   " --data postgresql:ORCL:1d --strategy sma-cross --param "
                                   "fast=10 --param slow=30 --actor tester --out " +
                                   out.path().string());
  const Outcome from_csv = Wyckoff(
      "backtest --data data/daily/orcl-1995-2014.csv --strategy sma-cross --param fast=10 "
      "--param slow=30");
  const Outcome runs = Wyckoff("db runs " + Db() + " --actor tester");

  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_EQ(migrate.out,
            "applied 0001_schema.sql\n"
            "applied 0002_audit_log_append_only.sql\n"
            "applied 0003_application_role.sql\n"
            "applied 0004_run_results.sql\n"
            "applied 0005_single_bar_windows.sql\n"
            "applied 0006_equity_points_statement_checks.sql\n"
            "6 migrations applied: the database is up to date (6 migrations)\n");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "nothing to apply: the database is up to date (6 migrations)\n");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(Lines(status.out).back(), "6 applied, 0 pending");
  EXPECT_THAT(Lines(status.out)[1], StartsWith("applied  0001_schema.sql  "));
  ASSERT_EQ(import.exit_code, 0) << import.err;
  EXPECT_EQ(import.out,
            "imported 5036 bars of ORCL 1d (1995-01-03 to 2014-12-31): 5036 new, 0 replaced\n");
  ASSERT_EQ(backtest.exit_code, 0) << backtest.err;
  EXPECT_EQ(backtest.err, "");
  const std::vector<std::string> lines = Lines(backtest.out);
  EXPECT_EQ(lines.front(), "backtest: sma-cross (fast=10, slow=30) on ORCL, 5036 bars");
  EXPECT_THAT(lines, ::testing::Contains("  final value            102646.0652"));
  EXPECT_EQ(lines.back(), "stored as run 1");
  // The same bars from the CSV file give the same results.
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  const std::string digest_line = lines[lines.size() - 2];
  EXPECT_THAT(digest_line, StartsWith("  digest                 "));
  EXPECT_EQ(Lines(from_csv.out).back(), digest_line);
  const std::string digest = digest_line.substr(digest_line.rfind(' ') + 1);
  // What was stored reads back equal to the --out files.
  EXPECT_EQ(testing::StoredTradesCsv(conn(), 1), Slurp(out.path() / "trades.csv"));
  EXPECT_EQ(testing::StoredFillsCsv(conn(), 1), Slurp(out.path() / "fills.csv"));
  EXPECT_EQ(testing::StoredOrdersCsv(conn(), 1), Slurp(out.path() / "orders.csv"));
  EXPECT_EQ(testing::StoredEquityCsv(conn(), 1), Slurp(out.path() / "equity.csv"));
  EXPECT_EQ(SqlValue("SELECT data_source || ' ' || timeframe || ' ' || actor || ' ' || "
                     "(parameters->>'fast') || ' ' || (settings->>'cash') FROM backtest_runs"),
            "postgresql:ORCL:1d 1d tester 10 100000");
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(runs.err, "");
  const std::string started = SqlValue(
      "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
      "FROM backtest_runs WHERE id = 1");
  EXPECT_EQ(runs.out,
            "ID  KIND      STATUS     STARTED (UTC)        STRATEGY   SYMBOLS  TF  TRADES    "
            "NET P&L  RETURN  MAX DD  SHARPE  DIGEST / ERROR\n"
            " 1  backtest  COMPLETED  " +
                started + "  sma-cross  ORCL     1d      97  2646.0652   2.65%   2.30%   0.218  " +
                digest + "\n");
}

TEST_F(DbCliTest, DbShowPrintsAStoredRunAndItsTrades) {
  const testing::TempDir out;
  ASSERT_EQ(Wyckoff("db migrate " + Db()).exit_code, 0);
  ASSERT_EQ(Wyckoff("db import " + Db() +
                    " --data data/daily/ko-1997-1998.csv --symbol KO --timeframe 1d")
                .exit_code,
            0);
  ASSERT_EQ(Wyckoff("backtest " + Db() + " --data postgresql:KO:1d --actor tester --out " +
                    out.path().string())
                .exit_code,
            0);

  const Outcome show = Wyckoff("db show 1 " + Db());
  const Outcome missing = Wyckoff("db show 2 " + Db());

  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.err, "");
  const std::string started = SqlValue(
      "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM backtest_runs");
  const std::string finished = SqlValue(
      "SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM backtest_runs");
  // The trades are those of the --out file.
  EXPECT_EQ(Slurp(out.path() / "trades.csv"),
            "entry_time,exit_time,entry_price,exit_price,quantity,pnl,fees,bars_held,r_multiple,"
            "symbol,direction,tag\n"
            "1997-04-25,1997-07-21,60,68.875,100,887.5,0,59,,KO,LONG,\n"
            "1997-09-29,1997-10-23,62.3125,58.375,100,-393.75,0,18,,KO,LONG,\n"
            "1997-11-21,1998-01-23,63.5,65.4375,100,193.75,0,41,,KO,LONG,\n"
            "1998-02-09,1998-04-24,67.1875,74.75,100,756.25,0,52,,KO,LONG,\n");
  EXPECT_EQ(
      show.out,
      "run 1: backtest of sma-cross on KO 1d, COMPLETED\n"
      "  started       " +
          started +
          " UTC\n"
          "  finished      " +
          finished +
          " UTC\n"
          "  actor         tester\n"
          "  data          postgresql:KO:1d\n"
          "  parameters    fast=10, slow=30\n"
          "  settings      allow_short=false, cash=100000, commission=none, "
          "intrabar=stop-first, lot_size=1, max_positions=none, max_volume=none, "
          "on_bad_row=stop, "
          "sizing=quantity:100, slippage=none, tick_size=data\n"
          "  trades        4\n"
          "  win rate      75.00%\n"
          "  net P&L       1618.75\n"
          "  initial cash  100000\n"
          "  final equity  101618.75\n"
          "  return        1.62%\n"
          "  max drawdown  0.80%\n"
          "  Sharpe        0.949\n"
          "  digest        5693fc9a8e6643e9\n"
          "trades:\n"
          "#  SYMBOL  SIDE  ENTRY       EXIT        QUANTITY  ENTRY PRICE  EXIT PRICE      P&L  "
          "FEES  BARS  R  TAG\n"
          "1  KO      LONG  1997-04-25  1997-07-21       100           60      68.875    887.5  "
          "   0    59  -\n"
          "2  KO      LONG  1997-09-29  1997-10-23       100      62.3125      58.375  -393.75  "
          "   0    18  -\n"
          "3  KO      LONG  1997-11-21  1998-01-23       100         63.5     65.4375   193.75  "
          "   0    41  -\n"
          "4  KO      LONG  1998-02-09  1998-04-24       100      67.1875       74.75   756.25  "
          "   0    52  -\n");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "error: there is no run 2\n");
}

TEST_F(DbCliTest, DbRunsAlignsKindStrategyAndStatusWhateverTheirWidth) {
  ASSERT_EQ(Wyckoff("db migrate " + Db()).exit_code, 0);
  ASSERT_EQ(Wyckoff("db import " + Db() +
                    " --data data/daily/ko-1997-1998.csv --symbol KO --timeframe 1d")
                .exit_code,
            0);
  ASSERT_EQ(Wyckoff("walk-forward " + Db() +
                    " --data postgresql:KO:1d --grid fast=5,10 --grid slow=20,30 --train 6m "
                    "--test 3m")
                .exit_code,
            0);
  ASSERT_EQ(Wyckoff("backtest " + Db() + " --data postgresql:KO:1d --strategy wyckoff").exit_code,
            0);

  const Outcome runs = Wyckoff("db runs " + Db());

  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  const std::vector<std::string> lines = Lines(runs.out);
  ASSERT_EQ(lines.size(), 3u) << runs.out;
  const std::string started = SqlValue(
      "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM backtest_runs "
      "WHERE id = 2");
  EXPECT_EQ(lines[0],
            "ID  KIND          STATUS     STARTED (UTC)        STRATEGY   SYMBOLS  TF  TRADES  "
            "NET P&L  RETURN  MAX DD  SHARPE  DIGEST / ERROR");
  EXPECT_EQ(lines[1], " 2  backtest      COMPLETED  " + started +
                          "  wyckoff    KO       1d       0        0   0.00%   0.00%       -  " +
                          SqlValue("SELECT digest FROM backtest_runs WHERE id = 2"));
  EXPECT_THAT(lines[2], StartsWith(" 1  walk-forward  COMPLETED  "));
  EXPECT_THAT(lines[2], HasSubstr("  sma-cross  KO       1d       4     2150   2.15%   0.25%   "
                                  "2.209  7617f5cf32f04787"));
}

TEST_F(DbCliTest, WyckoffDbNamesTheDatabaseWhenDbIsAbsentOrEmpty) {
  const std::string env = "WYCKOFF_DB=" + Quote(Url());

  const Outcome migrate = Wyckoff("db migrate", env);
  const Outcome runs = Wyckoff("db runs --db ''", env);
  const Outcome backtest = Wyckoff("backtest --db '' --data data/daily/ko-1997-1998.csv", env);
  // --db wins over WYCKOFF_DB; WYCKOFF_DB wins over the PG* variables.
  const Outcome flag_first =
      Wyckoff("db runs " + Db(), "WYCKOFF_DB=postgresql://127.0.0.1:1/nowhere");
  const Outcome env_before_pg = Wyckoff("db runs", env + " PGHOST=/nonexistent-wyckoff PGPORT=1");
  const Outcome env_only = Wyckoff("db runs", "WYCKOFF_DB=postgresql://127.0.0.1:1/nowhere");

  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(runs.out, "no runs stored\n");
  ASSERT_EQ(backtest.exit_code, 0) << backtest.err;
  EXPECT_THAT(backtest.out, HasSubstr("stored as run 1\n"));
  ASSERT_EQ(flag_first.exit_code, 0) << flag_first.err;
  EXPECT_THAT(flag_first.out, StartsWith("ID  KIND      STATUS"));
  ASSERT_EQ(env_before_pg.exit_code, 0) << env_before_pg.err;
  EXPECT_EQ(env_before_pg.out, flag_first.out);
  EXPECT_EQ(env_only.exit_code, 1);
  ExpectOneErrorLine(env_only);
  EXPECT_THAT(env_only.err, HasSubstr("Connection refused"));
}

TEST_F(DbCliTest, OptimizeReadsStoredBarsLikeTheCsvFile) {
  ASSERT_EQ(Wyckoff("db migrate " + Db()).exit_code, 0);
  ASSERT_EQ(Wyckoff("db import " + Db() +
                    " --data data/daily/ko-1997-1998.csv --symbol KO --timeframe 1d")
                .exit_code,
            0);
  const std::string grid = " --grid fast=5,10 --grid slow=20,30 --objective net_profit --json";
  const Outcome stored = Wyckoff("optimize " + Db() + " --data postgresql:KO:1d" + grid);
  const Outcome csv = Wyckoff("optimize --data data/daily/ko-1997-1998.csv --symbol KO" + grid);
  ASSERT_EQ(stored.exit_code, 0) << stored.err;
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto digest = [](const std::string& json) {
    return nlohmann::json::parse(json).at("digest").get<std::string>();
  };
  EXPECT_EQ(digest(stored.out), digest(csv.out));
}

TEST_F(DbCliTest, DbRunsMarksAnAbandonedRunFailed) {
  ASSERT_EQ(Wyckoff("db migrate " + Db()).exit_code, 0);
  {
    auto session = ConnectAgain();  // creates a run, then its "process" dies
    ASSERT_TRUE(session) << session.error().message;
    auto id = CreateRun(*session, {.strategy = "wyckoff", .symbols = {"KO"}, .timeframe = "1d"});
    ASSERT_TRUE(id) << id.error().message;
  }

  const Outcome runs = Wyckoff("db runs " + Db() + " --actor tester");

  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(runs.err, "warning: run 1 was abandoned and is now FAILED\n");
  ASSERT_EQ(Lines(runs.out).size(), 2u) << runs.out;
  const std::string started = SqlValue(
      "SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM backtest_runs");
  EXPECT_EQ(Lines(runs.out)[1],
            " 1  backtest  FAILED  " + started +
                "  wyckoff   KO       1d       -        -       -       -       -  the run's "
                "database session ended before its results were stored");
  EXPECT_EQ(SqlValue("SELECT actor FROM audit_log WHERE action = 'run.failed'"), "tester");
}

TEST_F(DbCliTest, PgEnvironmentVariablesServeWhenDbIsAbsent) {
  std::smatch host;
  const std::string url = server_url();
  ASSERT_TRUE(std::regex_search(url, host, std::regex(R"(host=([^&]+))"))) << url;
  const std::string env = "PGHOST=" + Quote(host[1].str()) +
                          " PGUSER=postgres PGDATABASE=" + database() + " PGPORT=5432";

  const Outcome migrate = Wyckoff("db migrate", env);
  const Outcome runs = Wyckoff("db runs", env);

  ASSERT_EQ(migrate.exit_code, 0) << migrate.err;
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_EQ(runs.out, "no runs stored\n");
}

TEST_F(DbCliTest, BadDatabaseInputGivesOneErrorLineAndExitCode) {
  const std::string csv = " --data data/daily/ko-1997-1998.csv";
  struct Case {
    std::string args;
    int exit_code;
    std::string message;  // a part of the error line
  };
  const std::vector<Case> cases = {
      // No server there.
      {"db runs --db 'postgresql://postgres@/nodb?host=/nonexistent-wyckoff'", 1,
       "cannot connect to PostgreSQL"},
      {"db migrate --db postgresql://127.0.0.1:1/wyckoff", 1, "Connection refused"},
      {"backtest" + csv + " --db postgresql://127.0.0.1:1/wyckoff", 1, "Connection refused"},
      // A URL libpq cannot parse.
      {"db status --db 'postgresql://localhost/wyckoff?no_such_option=1'", 2,
       "invalid connection URL"},
      {"backtest" + csv + " --db 'postgresql://localhost/x?no_such_option=1'", 2,
       "invalid connection URL"},
      // A database without the schema.
      {"db runs " + Db(), 1, "Run `wyckoff db migrate` first"},
      {"db import " + Db() + csv + " --timeframe 1d", 1, "Run `wyckoff db migrate` first"},
      {"backtest " + Db() + csv, 1, "Run `wyckoff db migrate` first"},
      {"backtest " + Db() + " --data postgresql:ORCL:1d", 1, "Run `wyckoff db migrate` first"},
      // Malformed stored-bars names.
      {"backtest " + Db() + " --data postgresql:ORCL", 2, "is not postgresql:SYMBOL:TIMEFRAME"},
      {"backtest --data postgresql://localhost/wyckoff", 2,
       "the server's URL names the database, not the bars"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args);
    const Outcome r = Wyckoff(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_EQ(r.out, "");
    ExpectOneErrorLine(r);
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  EXPECT_EQ(SqlValue("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

TEST_F(DbCliTest, UnknownStoredBarsAreBadInput) {
  ASSERT_EQ(Wyckoff("db migrate " + Db()).exit_code, 0);

  const Outcome r = Wyckoff("backtest " + Db() + " --data postgresql:NOPE:1d");

  EXPECT_EQ(r.exit_code, 2);
  ExpectOneErrorLine(r);
  EXPECT_THAT(r.err, HasSubstr("no bars of NOPE 1d are stored"));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM backtest_runs"), "0");
}

}  // namespace
}  // namespace wyckoff::db
