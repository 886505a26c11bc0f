#include "wyckoff/report/html_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine_builders.h"

namespace wyckoff::report {
namespace {

namespace fs = std::filesystem;
using testing::BarBuilder;
using testing::D;

constexpr Timestamp kS = kNanosPerSecond;
constexpr std::int64_t kMar9 = 1'173'398'400;  // 2007-03-09
constexpr std::int64_t kDay = 86'400;

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The text between `from` and the first `to` after it.
std::string Between(const std::string& text, const std::string& from, const std::string& to) {
  const std::size_t a = text.find(from);
  if (a == std::string::npos) return "<" + from + " not found>";
  const std::size_t b = text.find(to, a + from.size());
  return text.substr(a + from.size(), b - a - from.size());
}

engine::RunEvent Event(std::string type, std::int64_t pattern, std::int64_t confirm,
                       std::vector<std::pair<std::string, std::string>> details) {
  engine::RunEvent e;
  e.type = std::move(type);
  e.pattern_time = pattern * kS;
  e.confirm_time = confirm * kS;
  e.level = 16.71;
  e.confidence = 62.5;
  for (auto& [name, value] : details) e.details.push_back({name, std::move(value)});
  return e;
}

// A page of two ORCL bars, an event, a trade with its bracket and two equity points.
HtmlReport SmallReport() {
  HtmlReport r("backtest", {{"ORCL", false}}, kDefaultReportBars);
  r.bars[0].Add(BarBuilder()
                    .Time(kMar9 * kS)
                    .Ohlc("16.9", "17.1", "16.57", "16.99")
                    .Volume(12'345'600)
                    .Build());
  r.bars[0].Add(BarBuilder()
                    .Time((kMar9 + 3 * kDay) * kS)
                    .Ohlc("17", "17.25", "16.8", "17.2")
                    .Volume("0.5")
                    .Build());
  r.equity.Add({kMar9, D("100000"), D("100000"), D("100000"), D("100000")});
  r.equity.Add({kMar9 + 3 * kDay, D("74192.38"), D("100025.000000000001"), D("1"), D("1")});
  static const std::vector<engine::RunEvent> events = {Event(
      "SPRING", kMar9, kMar9 + 3 * kDay, {{"range_id", "29"}, {"status", "SKIPPED: no test"}})};
  r.events = events;
  ChartTrade t;
  t.entry_time = (kMar9 + 14 * kDay) * kS;
  t.exit_time = (kMar9 + 196 * kDay) * kS;
  t.entry_price = D("18.459999");
  t.exit_price = D("21.57");
  t.quantity = D("1398");
  t.pnl = D("4347.781398");
  t.bars_held = 126;
  t.r_multiple = D("2.77123");
  t.tag = "LPS";
  t.stop = D("17.34");
  t.target = D("21.355161");
  r.trades.push_back(t);
  r.summary_json = R"({"command": "backtest", "digest": "a68e937dd4ce58a8"})";
  r.charted_run_digest = "a68e937dd4ce58a8";
  return r;
}

TEST(HtmlReportTest, DataHoldsEveryBarWithItsExactDigits) {
  const std::string json = ReportDataJson(SmallReport());
  EXPECT_EQ(
      Between(json, R"(,"volume"],"bars":)", R"(,"equity_points")"),
      "[[0,1173398400,16.9,17.1,16.57,16.99,12345600],[0,1173657600,17,17.25,16.8,17.2,0.5]]");
  EXPECT_EQ(
      Between(json, R"("symbols":)", R"(,"aggregated":false,"bar_limit")"),
      R"([{"name":"ORCL","intraday":false,"bars":2,"rows":2,"aggregated":false,"period":0}])");
  EXPECT_EQ(Between(json, R"("equity_columns":)", R"(,"event_columns")"),
            R"(["time","cash","equity"],"equity":[[1173398400,100000,100000],)"
            R"([1173657600,74192.38,100025.000000000001]])");
  EXPECT_NE(json.find(R"("aggregated":false,"bar_limit":1000000,)"), std::string::npos);
}

TEST(HtmlReportTest, DataHoldsEventsAndTradesAsRecorded) {
  const std::string json = ReportDataJson(SmallReport());
  EXPECT_EQ(Between(json, R"("event_columns":)", R"(,"trades")"),
            R"(["symbol","type","pattern_time","confirm_time","level","confidence","range_id",)"
            R"("status"],"events":[[0,"SPRING",1173398400,1173657600,16.71,62.5,"29",)"
            R"("SKIPPED: no test"]])");
  EXPECT_EQ(Between(json, R"("trades":)", R"(,"ranges")"),
            R"([{"symbol":0,"direction":"LONG","entry_time":1174608000,"exit_time":1190332800,)"
            R"("entry_price":18.459999,"exit_price":21.57,"quantity":1398,"pnl":4347.781398,)"
            R"("fees":0,"bars_held":126,"r_multiple":2.7712,"tag":"LPS","stop":17.34,)"
            R"("target":21.355161}])");
  EXPECT_NE(json.find(R"("charted_run_digest":"a68e937dd4ce58a8","summary":{"command":)"
                      R"("backtest","digest":"a68e937dd4ce58a8"}})"),
            std::string::npos);
}

TEST(HtmlReportTest, DataParsesWithOneElementPerBarEventTradeAndPoint) {
  HtmlReport r = SmallReport();
  std::vector<engine::RunEvent> events(r.events.begin(), r.events.end());
  events.push_back(events.front());
  events.back().type = "NOTE";
  events.back().details = {{"reason", "every bar has volume 0"}};
  r.events = events;
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReportDataJson(r));
  EXPECT_EQ(j["format"], "wyckoff-report/1");
  EXPECT_EQ(j["kind"], "backtest");
  EXPECT_EQ(j["title"], "backtest: ORCL");
  EXPECT_EQ(j["chart_library"], "lightweight-charts 5.2.1");
  EXPECT_EQ(j["bars"].size(), 2u);
  EXPECT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["trades"].size(), 1u);
  EXPECT_EQ(j["equity"].size(), 2u);
  EXPECT_EQ(j["equity_points"], 2);
  // A detail only some events have is a column of all, empty where absent (as in events.csv).
  EXPECT_EQ(j["event_columns"].dump(),
            R"(["symbol","type","pattern_time","confirm_time","level","confidence","range_id",)"
            R"("status","reason"])");
  EXPECT_EQ(j["events"][1].dump(),
            R"([0,"NOTE",1173398400,1173657600,16.71,62.5,"","","every bar has volume 0"])");
  EXPECT_FALSE(j.contains("windows"));
  EXPECT_FALSE(j.contains("search"));
}

TEST(HtmlReportTest, SymbolsCannotEndTheScriptElement) {
  const std::string name = "A</script><script>alert(1)</script>&\"KO, Inc\"";
  HtmlReport r("backtest", {{name, false}}, kDefaultReportBars);
  r.bars[0].Add(BarBuilder().Time(kMar9 * kS).Build());
  r.trades.push_back({.tag = "<b>LPS</b>"});
  const std::string json = ReportDataJson(r);
  EXPECT_EQ(
      Between(json, R"("symbols":[{"name":)", R"(,"intraday")"),
      R"("A\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u0026\"KO, Inc\"")");
  EXPECT_EQ(Count(json, "<"), 0u);
  EXPECT_EQ(Count(json, ">"), 0u);
  EXPECT_EQ(Count(json, "&"), 0u);
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(json);
  EXPECT_EQ(j["symbols"][0]["name"], name);
  EXPECT_EQ(j["trades"][0]["tag"], "<b>LPS</b>");
  EXPECT_EQ(j["title"], "backtest: " + name);
  const std::string page = HtmlReportPage(r);
  // The data, the library and the page's script: three script elements, three ends.
  EXPECT_EQ(Count(page, "<script"), 3u);
  EXPECT_EQ(Count(page, "</script>"), 3u);
  EXPECT_EQ(Between(page, "<title>", "</title>"),
            "backtest: A&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;KO, "
            "Inc&quot;");
}

TEST(HtmlReportTest, InvalidUtf8BecomesReplacementCharacters) {
  HtmlReport r("backtest", {{"caf\xe9", false}}, kDefaultReportBars);
  r.bars[0].Add(BarBuilder().Time(kMar9 * kS).Build());
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReportDataJson(r));
  EXPECT_EQ(j["symbols"][0]["name"], "caf\xef\xbf\xbd");
}

TEST(HtmlReportTest, RunsAboveTheLimitAreAggregatedAndSaySo) {
  HtmlReport r("backtest", {{"A", false}, {"B", false}}, 10);  // 5 bars per symbol
  for (int d = 0; d < 14; ++d) {  // two weeks of daily bars from Monday 2024-01-01
    const Timestamp t = (1'704'067'200 + d * kDay) * kS;
    r.bars[0].Add(BarBuilder().Time(t).Ohlc("10", "12", "9", "11").Volume(1).Build());
    r.equity.Add({ToSeconds(t), D("100"), D("100"), D("100"), D("100")});
  }
  r.bars[1].Add(BarBuilder().Time(1'704'067'200 * kS).Build());
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReportDataJson(r));
  EXPECT_EQ(j["aggregated"], true);
  EXPECT_EQ(j["bar_limit"], 10);
  EXPECT_EQ(
      j["symbols"][0].dump(),
      R"({"name":"A","intraday":false,"bars":14,"rows":2,"aggregated":true,"period":604800})");
  EXPECT_EQ(j["symbols"][1].dump(),
            R"({"name":"B","intraday":false,"bars":1,"rows":1,"aggregated":false,"period":0})");
  EXPECT_EQ(j["bars"].dump(),
            "[[0,1704067200,10,12,9,11,7],[0,1704672000,10,12,9,11,7],"
            "[1,1704067200,1,1,1,1,1000]]");
  EXPECT_EQ(j["equity_aggregated"], true);
  EXPECT_EQ(j["equity_period"], 604800);  // 14 daily points, at most 10: weeks
  EXPECT_EQ(j["equity_points"], 14);
  EXPECT_EQ(j["equity_columns"].dump(), R"(["time","cash","equity","low","high"])");
  EXPECT_EQ(j["equity"].dump(), "[[1704067200,100,100,100,100],[1704672000,100,100,100,100]]");
}

TEST(HtmlReportTest, TradesTakeTheBracketOfTheirEntryOrder) {
  engine::RunResult run;
  run.symbols = {{"ORCL", false}};
  engine::Order entry{.id = 1,
                      .request = engine::OrderRequest::Market(0, engine::Side::kBuy, D("1398"))};
  entry.request.stop_loss = D("17.337238");
  entry.request.take_profit = D("21.355161");
  engine::Order target{.id = 3,
                       .request = engine::OrderRequest::Market(0, engine::Side::kSell, D("1398"))};
  target.parent = 1;
  run.orders = {entry, target};
  run.fills = {{.order = 1, .symbol = 0, .time = 10 * kS, .side = engine::Side::kBuy},
               {.order = 3, .symbol = 0, .time = 20 * kS, .side = engine::Side::kSell}};
  engine::Trade t{
      .symbol = 0, .entry_time = 10 * kS, .exit_time = 20 * kS, .entry_index = 1, .exit_index = 5};
  t.tag = "LPS";
  engine::Trade unbracketed = t;
  unbracketed.entry_time = 30 * kS;  // no entry fill at that time
  run.trades = {t, unbracketed};
  const std::vector<ChartTrade> trades = ChartTradesOf(run);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].stop->ToString() + " " + trades[0].target->ToString(), "17.337238 21.355161");
  EXPECT_EQ(trades[0].tag, "LPS");
  EXPECT_EQ(trades[0].bars_held, 4);
  EXPECT_FALSE(trades[1].stop.has_value());
  EXPECT_FALSE(trades[1].target.has_value());
}

TEST(HtmlReportTest, RangesRunFromTheirStartToTheEventThatEndsThem) {
  auto levels = [](std::string id, std::string s, std::string r, std::string kind,
                   std::string phase) {
    return std::vector<std::pair<std::string, std::string>>{
        {"range_id", id},       {"range_kind", kind}, {"phase_before", "B"},
        {"phase_after", phase}, {"support", s},       {"resistance", r}};
  };
  std::vector<engine::RunEvent> events = {
      Event("SC", 50, 51, levels("0", "", "", "ACCUMULATION", "A")),  // no range: ignored
      Event("RANGE_ACTIVE", 100, 160, levels("29", "16.71", "17.87", "ACCUMULATION", "A")),
      Event("ST", 170, 171, levels("29", "16.71", "17.87", "ACCUMULATION", "B")),
      Event("SPRING", 180, 181, levels("29", "16.71", "17.87", "ACCUMULATION", "C")),
      Event("ST", 185, 186, levels("29", "16.71", "17.87", "ACCUMULATION", "C")),  // no change
      Event("SOS", 190, 190, levels("29", "16.7", "17.9", "ACCUMULATION", "D")),
      Event("LPS", 191, 192, levels("29", "16.7", "17.9", "ACCUMULATION", "E")),  // after the end
      Event("RANGE_ACTIVE", 300, 350, levels("30", "20", "22.5", "DISTRIBUTION", "A")),
  };
  events.back().symbol = 1;
  const std::vector<ChartRange> ranges = RangesOf(events);
  ASSERT_EQ(ranges.size(), 2u);
  const ChartRange& a = ranges[0];
  EXPECT_EQ(a.symbol, 0);
  EXPECT_EQ(a.range_id, 29);
  EXPECT_EQ(a.start, 100 * kS);
  EXPECT_EQ(a.active, 160 * kS);
  EXPECT_EQ(a.end, 190 * kS);
  EXPECT_EQ(a.end_reason, "SOS");
  ASSERT_EQ(a.segments.size(), 3u);
  EXPECT_EQ(a.segments[0].from, 100 * kS);
  EXPECT_EQ(a.segments[0].phase, "A");
  EXPECT_EQ(a.segments[0].support, 16.71);
  EXPECT_EQ(a.segments[0].resistance, 17.87);
  EXPECT_EQ(a.segments[1].from, 171 * kS);
  EXPECT_EQ(a.segments[1].phase, "B");
  EXPECT_EQ(a.segments[2].from, 181 * kS);
  EXPECT_EQ(a.segments[2].phase, "C");
  const ChartRange& b = ranges[1];
  EXPECT_EQ(b.symbol, 1);
  EXPECT_EQ(b.range_id, 30);
  EXPECT_FALSE(b.end.has_value());
  ASSERT_EQ(b.segments.size(), 1u);
  EXPECT_EQ(b.segments[0].kind, "DISTRIBUTION");
  const nlohmann::ordered_json j = [&] {
    HtmlReport r("backtest", {{"A", false}, {"B", false}}, kDefaultReportBars);
    r.events = events;
    return nlohmann::ordered_json::parse(ReportDataJson(r));
  }();
  EXPECT_EQ(j["ranges"][0].dump(),
            R"({"symbol":0,"range_id":29,"start":100,"active":160,"end":190,"end_reason":"SOS",)"
            R"("segments":[{"time":100,"support":16.71,"resistance":17.87,"kind":"ACCUMULATION",)"
            R"("phase":"A"},{"time":171,"support":16.71,"resistance":17.87,"kind":"ACCUMULATION",)"
            R"("phase":"B"},{"time":181,"support":16.71,"resistance":17.87,"kind":"ACCUMULATION",)"
            R"("phase":"C"}]})");
}

TEST(HtmlReportTest, PageCarriesTheLibraryWithItsLicenceAndRequestsNothing) {
  const std::string page = HtmlReportPage(SmallReport());
  EXPECT_EQ(page.rfind("<!doctype html>", 0), 0u);
  EXPECT_EQ(Count(page, R"(<script type="application/json" id="wyckoff-data">)"), 1u);
  EXPECT_EQ(Count(page, "TradingView Lightweight Charts\xe2\x84\xa2 v5.2.1"), 1u);
  EXPECT_EQ(Count(page, "Licensed under Apache License 2.0"), 1u);
  EXPECT_EQ(Count(page, " src="), 0u);  // no script, image or frame from elsewhere
  EXPECT_EQ(Count(page, "<link"), 0u);
  EXPECT_EQ(Count(page, "default-src 'none'"), 1u);  // and the page may not fetch anything
  EXPECT_EQ(Count(page, "WYCKOFF:"), 0u);            // every marker filled in
}

TEST(HtmlReportTest, WalkForwardAndOptimizeDataHaveTheirParts) {
  HtmlReport wf("walk-forward", {{"A", false}}, kDefaultReportBars);
  wf.windows.push_back({100 * kS, 199 * kS, 200 * kS, 249 * kS});
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReportDataJson(wf));
  EXPECT_EQ(j["windows"].dump(), R"([{"window":1,"train_first":100,"train_last":199,)"
                                 R"("test_first":200,"test_last":249}])");
  HtmlReport opt("optimize", {{"A", false}}, kDefaultReportBars);
  opt.objective = "net_profit";
  opt.searched = {"fast", "slow"};
  opt.results.push_back(
      {7, {{"fast", "10"}, {"slow", "30"}}, 2646.0652, D("2646.0652"), 97, std::nullopt, 0.023});
  j = nlohmann::ordered_json::parse(ReportDataJson(opt));
  EXPECT_EQ(j["search"].dump(),
            R"({"objective":"net_profit","parameters":["fast","slow"],"results":[{"rank":1,)"
            R"("index":7,"parameters":{"fast":"10","slow":"30"},"score":2646.0652,)"
            R"("net_profit":2646.0652,"trades":97,"sharpe":null,"max_drawdown":0.023}]})");
}

TEST(HtmlReportTest, WritesThePageUnderATemporaryNameUntilCommitted) {
  const fs::path dir = fs::temp_directory_path() / "wyckoff-html-report-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "run.html").string();
  auto file = WriteHtmlReport(path, SmallReport());
  ASSERT_TRUE(file.has_value()) << file.error().message;
  EXPECT_FALSE(fs::exists(path));
  ASSERT_TRUE(file->Commit());
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), HtmlReportPage(SmallReport()));

  auto missing = WriteHtmlReport((dir / "no" / "run.html").string(), SmallReport());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().message,
            (dir / "no" / "run.html").string() + ": cannot write: No such file or directory");

  HtmlReport bad = SmallReport();
  bad.summary_json = "[1]";
  auto refused = WriteHtmlReport(path, bad);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message, "the report's summary is not a JSON object");
}

}  // namespace
}  // namespace wyckoff::report
