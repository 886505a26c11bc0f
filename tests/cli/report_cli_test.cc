// The HTML report end to end: --report on backtest, optimize and walk-forward, and
// `wyckoff report` over a finished run's folder. The page's data is compared with the files the
// same run writes. (The page in a browser: tests/browser/.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_runner.h"

namespace wyckoff::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using testing::Outcome;
using testing::Slurp;

constexpr const char* kOrcl = "data/daily/orcl-1995-2014.csv";

fs::path TempDir(const std::string& name) { return testing::FreshDir("report-cli", name); }

// The JSON the page embeds.
Json PageData(const fs::path& page) {
  const std::string html = Slurp(page);
  const std::string open = R"(<script type="application/json" id="wyckoff-data">)";
  const std::size_t at = html.find(open);
  if (at == std::string::npos) return Json();
  const std::size_t begin = at + open.size();
  return Json::parse(html.substr(begin, html.find("</script>", begin) - begin));
}

// Data rows of a CSV file (lines after the header; no field of ours holds a line break).
std::size_t CsvRows(const fs::path& file) {
  const std::string text = Slurp(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) - 1;
}

Outcome OrclWyckoff(const fs::path& dir, const std::string& more = "") {
  return testing::RunWyckoff(std::string("backtest --data ") + kOrcl +
                             " --symbol ORCL --strategy wyckoff --risk 0.01 --out " +
                             (dir / "run").string() + " --report " + (dir / "run.html").string() +
                             more);
}

TEST(ReportCliTest, BacktestPageHoldsWhatTheRunsFilesHold) {
  const fs::path dir = TempDir("backtest");
  const Outcome r = OrclWyckoff(dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json page = PageData(dir / "run.html");
  const Json summary = Json::parse(Slurp(dir / "run" / "summary.json"));
  EXPECT_EQ(page["kind"], "backtest");
  EXPECT_EQ(page["title"], "backtest: ORCL");
  EXPECT_EQ(page["symbols"].dump(),
            R"([{"name":"ORCL","intraday":false,"bars":5036,"rows":5036,"aggregated":false,)"
            R"("period":0}])");
  ASSERT_EQ(page["bars"].size(), 5036u);
  EXPECT_EQ(page["bars"][0].dump(), "[0,789091200,2.179012,2.191358,2.117284,2.117284,36301200]");
  EXPECT_EQ(page["equity"].size(), CsvRows(dir / "run" / "equity.csv"));
  EXPECT_EQ(page["events"].size(), CsvRows(dir / "run" / "events.csv"));
  EXPECT_EQ(page["events"].size(), 106u);
  EXPECT_EQ(page["summary"], summary);
  EXPECT_EQ(page["charted_run_digest"], summary["digest"]);
  // The README's 2007 trade, with the bracket of its entry order.
  ASSERT_EQ(page["trades"].size(), 1u);
  EXPECT_EQ(page["trades"][0].dump(),
            R"({"symbol":0,"direction":"LONG","entry_time":1174608000,"exit_time":1190332800,)"
            R"("entry_price":18.459999,"exit_price":21.57,"quantity":1398,"pnl":4347.781398,)"
            R"("fees":0,"bars_held":126,"r_multiple":2.77,"tag":"LPS","stop":17.337238,)"
            R"("target":21.355161})");
  // One range per RANGE_ACTIVE event; the README's range 29, from its first bar to its SOS.
  ASSERT_EQ(page["ranges"].size(), 31u);
  Json range29;
  for (const Json& range : page["ranges"]) {
    if (range["range_id"] == 29) range29 = range;
  }
  EXPECT_EQ(range29.dump(),
            R"({"symbol":0,"range_id":29,"start":1168300800,"active":1171929600,)"
            R"("end":1174435200,"end_reason":"SOS","segments":[{"time":1168300800,)"
            R"("support":16.712868,"resistance":17.747872,"kind":"ACCUMULATION","phase":"A"},)"
            R"({"time":1173657600,"support":16.712868,"resistance":17.873441,)"
            R"("kind":"ACCUMULATION","phase":"C"}]})");
}

TEST(ReportCliTest, ReportCommandRemakesTheBacktestPageFromTheFolder) {
  const fs::path dir = TempDir("from-folder");
  ASSERT_EQ(OrclWyckoff(dir).exit_code, 0);
  const Outcome r = testing::RunWyckoff("report --run " + (dir / "run").string() + " --data " +
                                        kOrcl + " --out " + (dir / "again.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + (dir / "again.html").string() +
                       ": backtest, 5036 bars, 106 events, 1 trade\n");
  const Json live = PageData(dir / "run.html"), again = PageData(dir / "again.html");
  for (const char* part : {"symbols", "bars", "equity", "trades", "ranges", "summary",
                           "charted_run_digest", "aggregated"}) {
    EXPECT_EQ(again[part], live[part]) << part;
  }
  // The columns of events.csv, which keeps 6 significant digits of levels and confidences.
  EXPECT_EQ(again["event_columns"], live["event_columns"]);
  ASSERT_EQ(again["events"].size(), live["events"].size());
  for (std::size_t i = 0; i < live["events"].size(); ++i) {
    const Json &a = again["events"][i], &b = live["events"][i];
    ASSERT_EQ(a.size(), b.size()) << i;
    for (std::size_t c = 0; c < b.size(); ++c) {
      if (c == 4 || c == 5) {
        ASSERT_EQ(a[c].is_number(), b[c].is_number()) << i;
        if (b[c].is_number()) {
          EXPECT_NEAR(a[c].get<double>(), b[c].get<double>(), 1e-5 * std::abs(b[c].get<double>()))
              << i;
        }
      } else {
        EXPECT_EQ(a[c], b[c]) << i << " column " << c;
      }
    }
  }
}

TEST(ReportCliTest, ReportCommandReadsQuotedSymbolsOfAUniverse) {
  const fs::path dir = TempDir("quoted");
  const Outcome run = testing::RunWyckoff(
      "backtest --data data/daily/ko-1997-1998.csv --data data/daily/pep-1997-1998.csv "
      "--symbol 'KO, \"Inc\"' --symbol 'PEP <b>' --strategy sma-cross --out " +
      (dir / "run").string() + " --report " + (dir / "run.html").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Outcome r = testing::RunWyckoff(
      "report --run " + (dir / "run").string() +
      " --data data/daily/ko-1997-1998.csv --data data/daily/pep-1997-1998.csv --out " +
      (dir / "again.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json live = PageData(dir / "run.html"), again = PageData(dir / "again.html");
  EXPECT_EQ(again["symbols"][0]["name"], "KO, \"Inc\"");
  EXPECT_EQ(again["symbols"][1]["name"], "PEP <b>");
  EXPECT_EQ(again["trades"].size(), CsvRows(dir / "run" / "trades.csv"));
  EXPECT_EQ(again["trades"].size(), 11u);
  for (const char* part : {"symbols", "bars", "equity", "trades", "summary"}) {
    EXPECT_EQ(again[part], live[part]) << part;
  }
}

TEST(ReportCliTest, ReportCommandRefusesBarsOfAnotherRun) {
  const fs::path dir = TempDir("other-bars");
  ASSERT_EQ(OrclWyckoff(dir).exit_code, 0);
  const Outcome r = testing::RunWyckoff("report --run " + (dir / "run").string() +
                                        " --data data/daily/ko-1997-1998.csv --out " +
                                        (dir / "ko.html").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "error: the data has 356 bars and the run had 5036 (" +
                       (dir / "run" / "summary.json").string() + "): give the run's own files\n");
  EXPECT_FALSE(fs::exists(dir / "ko.html"));
  const Outcome none =
      testing::RunWyckoff("report --run " + (dir / "nothing").string() + " --data " + kOrcl +
                          " --out " + (dir / "x.html").string());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "error: " + (dir / "nothing" / "summary.json").string() +
                          ": cannot read: No such file or directory\n");
}

TEST(ReportCliTest, OptimizePageChartsTheBestCombinationAndEveryCombination) {
  const fs::path dir = TempDir("optimize");
  const Outcome r = testing::RunWyckoff(
      std::string("optimize --data ") + kOrcl +
      " --strategy sma-cross --grid fast=5:20:5 --grid slow=20,30,50 --jobs 1 --out " +
      (dir / "run").string() + " --report " + (dir / "run.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json page = PageData(dir / "run.html");
  const Json summary = Json::parse(Slurp(dir / "run" / "summary.json"));
  EXPECT_EQ(page["kind"], "optimize");
  EXPECT_EQ(page["summary"], summary);
  EXPECT_EQ(page["search"]["objective"], "sharpe");
  EXPECT_EQ(page["search"]["parameters"].dump(), R"(["fast","slow"])");
  EXPECT_EQ(page["search"]["results"].size(), CsvRows(dir / "run" / "results.csv"));
  EXPECT_EQ(page["search"]["results"].size(), 11u);
  EXPECT_EQ(page["search"]["results"][0]["parameters"].dump(), R"({"fast":"10","slow":"30"})");
  // The best combination run again: the same run as the search's.
  EXPECT_EQ(page["charted_run_digest"], summary["best"]["digest"]);
  EXPECT_EQ(page["charted_run_digest"], "9c7a3fe613e939a0");
  EXPECT_EQ(page["trades"].size(), 97u);
  EXPECT_EQ(page["equity"].size(), 5036u);
}

TEST(ReportCliTest, WalkForwardPageHoldsTheWindowsAndTheStitchedRun) {
  const fs::path dir = TempDir("walk-forward");
  const Outcome r = testing::RunWyckoff(
      std::string("walk-forward --data ") + kOrcl +
      " --strategy sma-cross --grid fast=5:20:5 --grid slow=20,30,50 --train 2y --test 6m "
      "--jobs 1 --out " +
      (dir / "run").string() + " --report " + (dir / "run.html").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json page = PageData(dir / "run.html");
  const Json summary = Json::parse(Slurp(dir / "run" / "summary.json"));
  EXPECT_EQ(page["kind"], "walk-forward");
  EXPECT_EQ(page["summary"], summary);
  ASSERT_EQ(page["windows"].size(), summary["windows"].size());
  EXPECT_EQ(page["windows"].size(), CsvRows(dir / "run" / "windows.csv"));
  EXPECT_EQ(page["windows"][0].dump(),
            R"({"window":1,"train_first":789091200,"train_last":852163200,)"
            R"("test_first":852249600,"test_last":867801600})");
  EXPECT_EQ(summary["windows"][0]["train"].dump(), R"(["1995-01-03","1997-01-02"])");
  EXPECT_EQ(summary["windows"][0]["test"].dump(), R"(["1997-01-03","1997-07-02"])");
  EXPECT_EQ(page["equity"].size(), CsvRows(dir / "run" / "oos_equity.csv"));
  EXPECT_EQ(page["trades"].size(), CsvRows(dir / "run" / "oos_trades.csv"));
  EXPECT_EQ(page["trades"][0]["window"], 1);
}

TEST(ReportCliTest, RunsBeyondReportBarsAreAggregated) {
  const fs::path dir = TempDir("aggregated");
  const Outcome r =
      testing::RunWyckoff(std::string("backtest --data ") + kOrcl + " --symbol ORCL --report " +
                          (dir / "run.html").string() + " --report-bars 1000");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json page = PageData(dir / "run.html");
  // 5036 days: 1044 weeks are still more than 1000, 4-week periods fit.
  EXPECT_EQ(page["aggregated"], true);
  EXPECT_EQ(page["bar_limit"], 1000);
  EXPECT_EQ(page["symbols"].dump(),
            R"([{"name":"ORCL","intraday":false,"bars":5036,"rows":261,"aggregated":true,)"
            R"("period":2419200}])");
  EXPECT_EQ(page["bars"].size(), 261u);
  EXPECT_EQ(page["equity_period"], 2419200);
  EXPECT_EQ(page["equity_points"], 5036);
  EXPECT_EQ(page["equity"].size(), 261u);
  const Outcome small = testing::RunWyckoff(std::string("backtest --data ") + kOrcl +
                                            " --report x.html --report-bars 99");
  EXPECT_EQ(small.exit_code, 2);
}

TEST(ReportCliTest, AnUnwritablePageFailsTheRunAndLeavesNoFiles) {
  const fs::path dir = TempDir("unwritable");
  const Outcome r = testing::RunWyckoff(std::string("backtest --data ") + kOrcl + " --out " +
                                        (dir / "run").string() + " --report " +
                                        (dir / "missing" / "run.html").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + (dir / "missing" / "run.html").string() +
                       ": cannot write: No such file or directory\n");
  EXPECT_TRUE(fs::is_empty(dir / "run"));  // created for equity.csv, which is removed again
}

}  // namespace
}  // namespace wyckoff::cli
