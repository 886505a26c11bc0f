// serve::Service without the network: posted bars in any chunking give exactly `detect`'s
// events; bad bodies, wrong order and missing tokens are refused whole; the metrics count what
// went through.
#include "wyckoff/serve/service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "csv_lines.h"
#include "engine_builders.h"
#include "wyckoff/app/detect.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/report/report.h"
#include "wyckoff/serve/store_writer.h"

namespace wyckoff::serve {
namespace {

using Json = nlohmann::json;

ServiceOptions Defaults() {
  ServiceOptions o;
  o.params = detectors::ToDetectorParams(detectors::DetectorSchema().Defaults());
  return o;
}

using testing::CsvLines;

Response Post(Service& s, const std::string& symbol, const std::string& body,
              std::string_view authorization = {}) {
  const std::string target = "/v1/bars/" + symbol;
  return s.Handle({"POST", target, authorization, body});
}

Response Get(Service& s, const std::string& target) { return s.Handle({"GET", target, {}, {}}); }

// events.csv of `wyckoff detect` on one file (app::RunDetect, what the command runs).
std::string DetectEventsCsv(const std::string& path, const std::string& symbol) {
  app::DetectRequest request{{}, detectors::DetectorSchema().Defaults(), ""};
  request.data.data.push_back(*app::ParseDataRef(path));
  request.data.symbols.push_back(symbol);
  auto outcome = app::RunDetect(request);
  EXPECT_TRUE(outcome.has_value()) << (outcome ? "" : outcome.error().message);
  return report::EventsCsv(outcome->symbols, outcome->scan.events, outcome->scan.intraday);
}

// The value of the sample `line` (name and labels, as exposed) in a Prometheus exposition.
double Sample(const std::string& metrics, const std::string& line) {
  std::istringstream in(metrics);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(line + " ", 0) == 0) return std::stod(l.substr(line.size() + 1));
  }
  ADD_FAILURE() << "no sample " << line;
  return -1;
}

class ChunkedPosting : public ::testing::TestWithParam<std::size_t> {};

TEST_P(ChunkedPosting, GivesExactlyDetectsEventsForEveryFile) {
  const std::size_t chunk = GetParam();
  for (const auto& [file, symbol] :
       std::vector<std::pair<std::string, std::string>>{{"daily/orcl-1995-2014.csv", "ORCL"},
                                                        {"daily/ko-1997-1998.csv", "KO"},
                                                        {"daily/pep-1997-1998.csv", "PEP"},
                                                        {"daily/yhoo-1996-2015.csv", "YHOO"}}) {
    Service service(Defaults());
    const CsvLines lines = testing::ReadCsvLines(testing::DataPath(file));
    const std::size_t step = chunk == 0 ? lines.rows.size() : chunk;
    Json confirmed = Json::array();
    for (std::size_t from = 0; from < lines.rows.size(); from += step) {
      Response r = Post(service, symbol, testing::CsvBody(lines, from, from + step));
      ASSERT_EQ(r.status, 200) << file << " at row " << from << ": " << r.body;
      Json answer = Json::parse(r.body);
      ASSERT_EQ(answer["accepted"], std::min(step, lines.rows.size() - from));
      for (auto& e : answer["events"]) confirmed.push_back(e);
    }
    const std::string expected = DetectEventsCsv(testing::DataPath(file), symbol);
    Response csv = Get(service, "/v1/symbols/" + symbol + "/events.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body, expected) << file << " in chunks of " << step;
    // The JSON of the events: the same records, field by field, and the same as the answers
    // to the posts together.
    Response json = Get(service, "/v1/symbols/" + symbol + "/events");
    ASSERT_EQ(json.status, 200);
    EXPECT_EQ(Json::parse(json.body), confirmed);
    std::istringstream rows(expected);
    std::string header_line;
    std::getline(rows, header_line);
    EXPECT_EQ(confirmed.size(),
              static_cast<std::size_t>(std::count(expected.begin(), expected.end(), '\n') - 1));
    EXPECT_GT(confirmed.size(), 0u) << file;
  }
}

INSTANTIATE_TEST_SUITE_P(Chunks, ChunkedPosting, ::testing::Values(1, 7, 250, 0));

TEST(Service, EventsJsonHasTheFieldsOfEventsCsvInItsOrder) {
  Service service(Defaults());
  const CsvLines lines = testing::ReadCsvLines(testing::DataPath("daily/orcl-1995-2014.csv"));
  ASSERT_EQ(Post(service, "ORCL", testing::CsvBody(lines, 0, 300)).status, 200);
  Response r = Get(service, "/v1/symbols/ORCL/events");
  nlohmann::ordered_json events = nlohmann::ordered_json::parse(r.body);
  ASSERT_FALSE(events.empty());
  std::vector<std::string> keys;
  for (const auto& [key, value] : events[0].items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"symbol",         "type",
                                            "pattern_time",   "confirm_time",
                                            "level",          "confidence",
                                            "range_id",       "range_kind",
                                            "phase_before",   "phase_after",
                                            "support",        "resistance",
                                            "jump_target",    "conservative_target",
                                            "extreme",        "penetration",
                                            "volume_ratio",   "spread_ratio",
                                            "close_position", "bars",
                                            "signal",         "entry",
                                            "stop",           "target",
                                            "reward_risk",    "tradeable",
                                            "not_tradeable",  "reason",
                                            "status"}));
  EXPECT_EQ(events[0]["type"], "RANGE_ACTIVE");
  EXPECT_EQ(events[0]["confirm_time"], "1995-05-04");
  EXPECT_EQ(events[0]["level"], "2.06984");
}

TEST(Service, SignalsAreTheTradeableSignalEvents) {
  Service service(Defaults());
  const CsvLines lines = testing::ReadCsvLines(testing::DataPath("daily/orcl-1995-2014.csv"));
  ASSERT_EQ(Post(service, "ORCL", testing::CsvBody(lines, 0, lines.rows.size())).status, 200);
  Json events = Json::parse(Get(service, "/v1/symbols/ORCL/events").body);
  Json expected = Json::array();
  for (const auto& e : events) {
    if (e["tradeable"] == "true" && e["signal"] != "") expected.push_back(e);
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(Json::parse(Get(service, "/v1/symbols/ORCL/signals").body), expected);
  Json symbols = Json::parse(Get(service, "/v1/symbols").body);
  ASSERT_EQ(symbols.size(), 1u);
  EXPECT_EQ(symbols[0]["symbol"], "ORCL");
  EXPECT_EQ(symbols[0]["bars"], lines.rows.size());
  EXPECT_EQ(symbols[0]["events"], events.size());
  EXPECT_EQ(symbols[0]["signals"], expected.size());
}

const std::string kGood =
    "Date,Open,High,Low,Close,Volume\n2000-01-03,10,11,9,10,100\n2000-01-04,10,11,9,10.5,100\n";

TEST(Service, BadRowIsA400WithTheReadersLineAndNothingIsApplied) {
  Service service(Defaults());
  ASSERT_EQ(Post(service, "X", kGood).status, 200);
  Response r = Post(service, "X",
                    "Date,Open,High,Low,Close,Volume\n2000-01-05,10,11,9,10,100\n"
                    "2000-01-06,10,9,11,10,100\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "{\"error\":\"line 3: high 9 is below low 11\"}\n");
  // The good first row of the refused body was not applied: it can be posted now.
  Response again =
      Post(service, "X", "Date,Open,High,Low,Close,Volume\n2000-01-05,10,11,9,10,100\n");
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Json::parse(again.body)["bars"], 3);

  EXPECT_EQ(Post(service, "X", "").body, "{\"error\":\"the body is empty\"}\n");
  EXPECT_EQ(Post(service, "X", "Date,Open,High,Low,Close,Volume\n").body,
            "{\"error\":\"no bars: the body has a header only\"}\n");
  EXPECT_EQ(Post(service, "X", "Date,Open,High,Low,Volume\n2000-01-09,1,1,1,1\n").body,
            "{\"error\":\"line 1: header has no Close column\"}\n");
  EXPECT_EQ(Post(service, "X", "Date,Open,High,Low,Close,Volume\n2000-01-09,1e6,1,1,1,1\n").body,
            "{\"error\":\"line 2: open: \\\"1e6\\\" uses exponent notation; write the number in "
            "plain decimal digits\"}\n");
  // Rows out of order inside one body are a bad body, as in a file.
  EXPECT_EQ(Post(service, "X",
                 "Date,Open,High,Low,Close,Volume\n2000-01-10,10,11,9,10,100\n"
                 "2000-01-10,10,11,9,10,100\n")
                .body,
            "{\"error\":\"line 3: time 2000-01-10 is not after the previous bar's 2000-01-10\"}\n");
  EXPECT_EQ(Json::parse(Get(service, "/v1/symbols").body)[0]["bars"], 3);
  EXPECT_EQ(Post(service, "bad/name", kGood).body,
            "{\"error\":\"symbol \\\"bad/name\\\" has a character other than A-Z a-z 0-9 . - _ ^ "
            "=\"}\n");
}

TEST(Service, BarsNotAfterTheSymbolsLastBarAreA409) {
  Service service(Defaults());
  ASSERT_EQ(Post(service, "X", kGood).status, 200);
  Response r = Post(service, "X", kGood);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body,
            "{\"error\":\"line 2: time 2000-01-03 is not after the previous bar's 2000-01-04\"}\n");
  Response ok = Post(service, "X", "Date,Open,High,Low,Close,Volume\n\n2000-01-05,10,11,9,10,1\n");
  EXPECT_EQ(ok.status, 200) << ok.body;
  Response late =
      Post(service, "X", "Date,Open,High,Low,Close,Volume\n\n2000-01-05,10,11,9,10,1\n");
  EXPECT_EQ(late.body,
            "{\"error\":\"line 3: time 2000-01-05 is not after the previous bar's 2000-01-05\"}\n");
  // Another symbol has its own clock.
  EXPECT_EQ(Post(service, "Y", kGood).status, 200);
}

TEST(Service, TokenGuardsPostsOnly) {
  ServiceOptions o = Defaults();
  o.token = "s3cret";
  Service service(o);
  const std::string unauthorized =
      "{\"error\":\"a bearer token is required (Authorization: Bearer TOKEN)\"}\n";
  for (std::string_view header :
       {"", "Bearer", "Bearer s3cre", "Bearer s3cret2", "bearer s3cret", "Basic s3cret"}) {
    Response r = Post(service, "X", kGood, header);
    EXPECT_EQ(r.status, 401) << header;
    EXPECT_EQ(r.body, unauthorized);
  }
  EXPECT_EQ(Get(service, "/v1/symbols").body, "[]\n");
  EXPECT_EQ(Post(service, "X", kGood, "Bearer s3cret").status, 200);
  EXPECT_EQ(Get(service, "/v1/symbols/X/events").status, 200);
}

TEST(Service, RoutesAndMethods) {
  Service service(Defaults());
  EXPECT_EQ(Get(service, "/healthz").body, "{\"status\":\"ok\"}\n");
  EXPECT_EQ(Get(service, "/readyz").body, "{\"status\":\"ready\"}\n");
  Response missing = Get(service, "/v1/symbols/NOPE/events");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "{\"error\":\"no bars were posted for symbol \\\"NOPE\\\"\"}\n");
  Response route = Get(service, "/v2/x");
  EXPECT_EQ(route.status, 404);
  EXPECT_EQ(route.body, "{\"error\":\"no route GET \\\"/v2/x\\\"\"}\n");
  Response method = Get(service, "/v1/bars/X");
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.body, "{\"error\":\"method GET is not allowed on /v1/bars/{symbol}\"}\n");
  EXPECT_EQ(service.Handle({"POST", "/metrics", {}, {}}).status, 405);
  EXPECT_EQ(service.Handle({"HEAD", "/healthz", {}, {}}).body,
            "{\"error\":\"method HEAD is not allowed on /healthz\"}\n");
  service.SetDraining();
  Response draining = Get(service, "/readyz");
  EXPECT_EQ(draining.status, 503);
  EXPECT_EQ(draining.body, "{\"status\":\"draining\"}\n");
}

TEST(Service, MaxSymbolsIsA429) {
  ServiceOptions o = Defaults();
  o.max_symbols = 2;
  Service service(o);
  EXPECT_EQ(Post(service, "A", kGood).status, 200);
  EXPECT_EQ(Post(service, "B", kGood).status, 200);
  Response r = Post(service, "C", kGood);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(
      r.body,
      "{\"error\":\"the service holds 2 symbols, its limit; \\\"C\\\" is not one of them\"}\n");
}

TEST(Service, MetricsCountWhatWentThrough) {
  Service service(Defaults());
  const CsvLines lines = testing::ReadCsvLines(testing::DataPath("daily/orcl-1995-2014.csv"));
  for (std::size_t from = 0; from < lines.rows.size(); from += 500) {
    ASSERT_EQ(Post(service, "ORCL", testing::CsvBody(lines, from, from + 500)).status, 200);
  }
  ASSERT_EQ(Post(service, "ORCL", kGood).status, 409);
  ASSERT_EQ(Post(service, "ORCL", "x").status, 400);
  Json events = Json::parse(Get(service, "/v1/symbols/ORCL/events").body);
  Json signals = Json::parse(Get(service, "/v1/symbols/ORCL/signals").body);
  std::map<std::string, int> by_type;
  for (const auto& e : events) ++by_type[e["type"].get<std::string>()];

  const std::string m = service.Metrics();
  const double bars = static_cast<double>(lines.rows.size());
  EXPECT_EQ(Sample(m, "wyckoff_bars_processed_total"), bars);
  EXPECT_EQ(Sample(m, "wyckoff_signal_generation_duration_seconds_count"), bars);
  EXPECT_EQ(Sample(m, "wyckoff_signal_generation_duration_seconds_bucket{le=\"+Inf\"}"), bars);
  for (const char* type :
       {"SC", "BC", "ST", "RANGE_ACTIVE", "RANGE_BROKEN_DOWN", "RANGE_BROKEN_UP", "SPRING",
        "SPRING_TEST", "SPRING_INVALIDATED", "SOS", "LPS", "UTAD", "SOW", "LPSY"}) {
    EXPECT_EQ(Sample(m, std::string("wyckoff_pattern_detections_total{type=\"") + type + "\"}"),
              by_type[type])
        << type;
  }
  EXPECT_EQ(Sample(m, "wyckoff_signals_total"), static_cast<double>(signals.size()));
  EXPECT_EQ(Sample(m, "wyckoff_active_signals"),
            Json::parse(Get(service, "/v1/symbols").body)[0]["active_signals"].get<double>());
  EXPECT_EQ(Sample(m, "wyckoff_errors_total{kind=\"out_of_order\"}"), 1);
  EXPECT_EQ(Sample(m, "wyckoff_errors_total{kind=\"bad_request\"}"), 1);
  EXPECT_EQ(Sample(m, "wyckoff_symbols"), 1);
  EXPECT_EQ(Sample(m, "wyckoff_backtest_duration_seconds_count"), 0);
  EXPECT_EQ(Sample(m, "wyckoff_database_up"), 0);
  EXPECT_GT(Sample(m, "process_resident_memory_bytes"), 0);
  EXPECT_GE(Sample(m, "process_threads"), 1);
  service.CountRequest("/v1/bars/{symbol}", "POST", 200, std::chrono::milliseconds(3));
  EXPECT_EQ(Sample(service.Metrics(),
                   "wyckoff_http_requests_total{method=\"POST\",route=\"/v1/bars/{symbol}\","
                   "status=\"200\"}"),
            1);
  EXPECT_EQ(Sample(service.Metrics(),
                   "wyckoff_http_request_duration_seconds_bucket{route=\"/v1/"
                   "bars/{symbol}\",le=\"0.0025\"}"),
            0);
  EXPECT_EQ(Sample(service.Metrics(),
                   "wyckoff_http_request_duration_seconds_bucket{route=\"/v1/"
                   "bars/{symbol}\",le=\"0.005\"}"),
            1);
}

// With --db, a post whose events cannot get a place in the writer's queue is refused with 503
// before anything of it is applied (the writer here is never started, so nothing drains).
TEST(ServiceStore, AFullQueueRefusesThePostWholeWith503) {
  Service service(Defaults());
  StoreWriter writer(service, {.capacity = 1});
  service.SetEventSink(&writer);
  const CsvLines lines = testing::ReadCsvLines(testing::DataPath("daily/ko-1997-1998.csv"));
  const std::size_t half = lines.rows.size() / 2;
  Response first = Post(service, "KO", testing::CsvBody(lines, 0, half));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_FALSE(Json::parse(first.body)["events"].empty());  // its events hold the one place
  Response refused = Post(service, "KO", testing::CsvBody(lines, half, lines.rows.size()));
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body,
            "{\"error\":\"the database writer's queue is full; nothing of the body was applied, "
            "post it again later\"}\n");
  Json symbols = Json::parse(Get(service, "/v1/symbols").body);
  EXPECT_EQ(symbols[0]["bars"], half);
  EXPECT_EQ(Sample(service.Metrics(), "wyckoff_errors_total{kind=\"store_full\"}"), 1);
  EXPECT_EQ(Sample(service.Metrics(), "wyckoff_database_pending_writes"),
            Json::parse(first.body)["events"].size());
}

}  // namespace
}  // namespace wyckoff::serve
