// `wyckoff serve --db` against a real PostgreSQL server: serve::StoreWriter stores exactly the
// events and signals the service answered, one audit entry per post with events; a connection
// killed mid-stream (pg_terminate_backend) or a database refusing connections for a while
// loses nothing and writes nothing twice; the database metrics and /readyz say so.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "csv_lines.h"
#include "test_database.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/serve/http_client.h"
#include "wyckoff/serve/store_writer.h"

namespace wyckoff::serve {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

using testing::CsvLines;

// The value of the sample `line` in a Prometheus exposition; -1 when absent.
double Sample(const std::string& metrics, const std::string& line) {
  std::istringstream in(metrics);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(line + " ", 0) == 0) return std::stod(l.substr(line.size() + 1));
  }
  return -1;
}

class StoreWriterDbTest : public db::testing::MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    setenv("WYCKOFF_PG_MODULE", WYCKOFF_PG_MODULE_PATH, 1);
    ServiceOptions o;
    o.params = detectors::ToDetectorParams(detectors::DetectorSchema().Defaults());
    service_ = std::make_unique<Service>(std::move(o));
  }
  void TearDown() override {
    writer_.reset();
    service_.reset();
    MigratedDatabaseTest::TearDown();
  }

  // This test's database: WYCKOFF_TEST_DB with its database name replaced.
  std::string Url() {
    static const std::regex kPath(R"(^([a-z]+://[^/?]*)(/[^?]*)?)");
    return std::regex_replace(server_url(), kPath, "$1/" + database(),
                              std::regex_constants::format_first_only);
  }

  void StartWriter(std::size_t capacity = 10000) {
    writer_ = std::make_unique<StoreWriter>(
        *service_, StoreWriterOptions{.database = {.url = Url(), .actor = "serve-test"},
                                      .capacity = capacity,
                                      .retry = 50ms,
                                      .ping = 50ms});
    auto started = writer_->Start();
    ASSERT_TRUE(started) << started.error().message;
    service_->SetEventSink(writer_.get());
  }

  Response Post(const std::string& symbol, const std::string& body) {
    return service_->Handle({"POST", "/v1/bars/" + symbol, {}, body});
  }
  Response Get(const std::string& target) { return service_->Handle({"GET", target, {}, {}}); }

  void AdminSql(const std::string& sql) {
    auto done = db::ExecuteSql(admin(), sql);
    ASSERT_TRUE(done) << done.error().message;
  }

  // Kills every other session on this test's database (the writer's).
  void KillWriterConnections() {
    Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  }

  // The service's events of `symbol` as rows: type|time|confirm_time|confidence|support.
  std::vector<std::string> ServiceEvents(const std::string& symbol, bool signals) {
    Response r = Get("/v1/symbols/" + symbol + (signals ? "/signals" : "/events"));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    for (const Json& e : Json::parse(r.body)) {
      out.push_back(e["type"].get<std::string>() + "|" + e["pattern_time"].get<std::string>() +
                    "|" + e["confirm_time"].get<std::string>() + "|" +
                    e["signal"].get<std::string>() + "|" + e["stop"].get<std::string>());
    }
    return out;
  }

  // The stored pattern_events (or the events behind the stored signals) of `symbol`, in the
  // order stored, in the same form.
  std::vector<std::string> StoredEvents(const std::string& symbol, bool signals) {
    const std::string sql =
        "SET TIME ZONE 'UTC'; SELECT e.type, to_char(e.time, 'YYYY-MM-DD'), "
        "to_char(e.confirm_time, 'YYYY-MM-DD'), e.details->>'signal', e.details->>'stop' "
        "FROM pattern_events e " +
        std::string(signals ? "JOIN signals s ON s.pattern_event_id = e.id " : "") +
        "WHERE e.symbol = '" + symbol + "' AND e.run_id IS NULL ORDER BY e.id";
    std::vector<std::string> out;
    for (const db::SqlRow& row : Sql(sql)) {
      out.push_back(*row[0] + "|" + *row[1] + "|" + *row[2] + "|" + *row[3] + "|" + *row[4]);
    }
    return out;
  }

  std::unique_ptr<Service> service_;
  std::unique_ptr<StoreWriter> writer_;
};

const std::string kFile = std::string(WYCKOFF_SOURCE_DIR) + "/data/daily/orcl-1995-2014.csv";

TEST_F(StoreWriterDbTest, StoresExactlyTheEventsAndSignalsAnswered) {
  StartWriter();
  const CsvLines lines = testing::ReadCsvLines(kFile);
  int posts_with_events = 0;
  for (std::size_t from = 0; from < lines.rows.size(); from += 100) {
    Response r = Post("ORCL", testing::CsvBody(lines, from, from + 100));
    ASSERT_EQ(r.status, 200) << r.body;
    if (!Json::parse(r.body)["events"].empty()) ++posts_with_events;
  }
  ASSERT_TRUE(writer_->WaitIdle(30s));
  const auto events = ServiceEvents("ORCL", false);
  const auto signals = ServiceEvents("ORCL", true);
  ASSERT_GT(events.size(), 5u);
  ASSERT_GT(signals.size(), 0u);
  EXPECT_EQ(StoredEvents("ORCL", false), events);
  EXPECT_EQ(StoredEvents("ORCL", true), signals);
  EXPECT_EQ(SqlValue("SELECT count(DISTINCT timeframe) || ':' || min(timeframe) FROM "
                     "pattern_events"),
            "1:1d");
  EXPECT_EQ(SqlValue("SELECT count(*) FROM signals WHERE status = 'ACTIVE' AND strategy = "
                     "'serve' AND run_id IS NULL AND side IN ('BUY', 'SELL')"),
            std::to_string(signals.size()));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM audit_log WHERE action = 'service.events_stored' AND "
                     "actor = 'serve-test' AND entity_type = 'service_batch'"),
            std::to_string(posts_with_events));
  EXPECT_EQ(SqlValue("SELECT sum((payload->>'events')::int) FROM audit_log WHERE action = "
                     "'service.events_stored'"),
            std::to_string(events.size()));
  const std::string metrics = service_->Metrics();
  EXPECT_EQ(
      Sample(metrics, "wyckoff_database_query_duration_seconds_count{query=\"store_events\"}"),
      posts_with_events);
  EXPECT_EQ(Sample(metrics, "wyckoff_database_up"), 1);
  EXPECT_EQ(Sample(metrics, "wyckoff_database_pending_writes"), 0);
  EXPECT_EQ(Get("/readyz").status, 200);
}

TEST_F(StoreWriterDbTest, AConnectionKilledMidStreamLosesNothingAndWritesNothingTwice) {
  StartWriter();
  const CsvLines lines = testing::ReadCsvLines(kFile);
  int kills = 0;
  for (std::size_t from = 0; from < lines.rows.size(); from += 20) {
    Response r = Post("ORCL", testing::CsvBody(lines, from, from + 20));
    ASSERT_EQ(r.status, 200) << r.body;
    if ((from / 20) % 3 == 1) {  // every third post, whatever the writer is doing
      KillWriterConnections();
      ++kills;
    }
    std::this_thread::sleep_for(5ms);  // the writer works while posts go on
  }
  ASSERT_GT(kills, 50);
  ASSERT_TRUE(writer_->WaitIdle(60s));
  EXPECT_EQ(StoredEvents("ORCL", false), ServiceEvents("ORCL", false));
  EXPECT_EQ(StoredEvents("ORCL", true), ServiceEvents("ORCL", true));
  EXPECT_EQ(SqlValue("SELECT count(*) - count(DISTINCT entity_id) FROM audit_log WHERE action = "
                     "'service.events_stored'"),
            "0");
  EXPECT_EQ(Sample(service_->Metrics(), "wyckoff_database_pending_writes"), 0);
  // The kills did hit the writer: failed attempts, each followed by a reconnection.
  EXPECT_GE(Sample(service_->Metrics(), "wyckoff_errors_total{kind=\"database\"}"), 10);
}

TEST_F(StoreWriterDbTest, ADatabaseDownIsReportedAndWhatWasAcceptedIsStoredOnceItIsBack) {
  StartWriter();
  const CsvLines lines = testing::ReadCsvLines(kFile);
  const std::size_t half = lines.rows.size() / 2;
  ASSERT_EQ(Post("ORCL", testing::CsvBody(lines, 0, half)).status, 200);
  ASSERT_TRUE(writer_->WaitIdle(30s));
  // The database refuses new connections, and the writer's is killed.
  AdminSql("ALTER DATABASE " + database() + " ALLOW_CONNECTIONS false");
  KillWriterConnections();
  for (int i = 0; i < 200 && Get("/readyz").status == 200; ++i) std::this_thread::sleep_for(20ms);
  Response ready = Get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(ready.body, "{\"status\":\"database unreachable\"}\n");
  EXPECT_EQ(Sample(service_->Metrics(), "wyckoff_database_up"), 0);
  // Posts are still accepted and answered; their events wait in the queue.
  for (std::size_t from = half; from < lines.rows.size(); from += 25) {
    ASSERT_EQ(Post("ORCL", testing::CsvBody(lines, from, from + 25)).status, 200);
  }
  std::this_thread::sleep_for(300ms);
  EXPECT_GT(Sample(service_->Metrics(), "wyckoff_database_pending_writes"), 0);
  EXPECT_GT(Sample(service_->Metrics(), "wyckoff_errors_total{kind=\"database\"}"), 0);
  EXPECT_FALSE(writer_->WaitIdle(0ms));
  // Back: everything accepted is stored, once.
  AdminSql("ALTER DATABASE " + database() + " ALLOW_CONNECTIONS true");
  ASSERT_TRUE(writer_->WaitIdle(30s));
  EXPECT_EQ(StoredEvents("ORCL", false), ServiceEvents("ORCL", false));
  EXPECT_EQ(StoredEvents("ORCL", true), ServiceEvents("ORCL", true));
  for (int i = 0; i < 200 && Get("/readyz").status != 200; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_EQ(Sample(service_->Metrics(), "wyckoff_database_up"), 1);
}

// The program: `wyckoff serve --db URL` stores what it answered, and SIGTERM writes what is
// queued before exiting 0.
TEST_F(StoreWriterDbTest, TheServeProgramStoresWhatItAnsweredAndFlushesOnSigterm) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string command =
        std::string("exec " WYCKOFF_CLI " serve --listen 127.0.0.1:0 --actor e2e --db '") + Url() +
        "'";
    execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
    _exit(127);
  }
  close(out[1]);
  FILE* ready = fdopen(out[0], "r");
  char line[256] = {};
  ASSERT_NE(std::fgets(line, sizeof line, ready), nullptr);
  std::fclose(ready);
  const std::string prefix = "wyckoff serve: listening on http://127.0.0.1:";
  ASSERT_EQ(std::string(line).rfind(prefix, 0), 0u) << line;
  const auto port = static_cast<unsigned short>(std::stoi(std::string(line).substr(prefix.size())));
  auto client = HttpClient::Connect("127.0.0.1", port, 10s);
  ASSERT_TRUE(client.has_value());
  const CsvLines lines = testing::ReadCsvLines(kFile);
  std::size_t events = 0, signals = 0;
  for (std::size_t from = 0; from < lines.rows.size(); from += 500) {
    auto a = (*client)->Send("POST", "/v1/bars/ORCL", testing::CsvBody(lines, from, from + 500));
    ASSERT_TRUE(a.has_value());
    ASSERT_EQ(a->status, 200) << a->body;
    events += Json::parse(a->body)["events"].size();
    signals += Json::parse(a->body)["signals"].size();
  }
  auto ready_answer = (*client)->Send("GET", "/readyz");
  ASSERT_TRUE(ready_answer.has_value());
  EXPECT_EQ(ready_answer->status, 200);
  client->reset();
  kill(pid, SIGTERM);
  int status = -1;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(SqlValue("SELECT count(*) FROM pattern_events WHERE symbol = 'ORCL'"),
            std::to_string(events));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM signals WHERE symbol = 'ORCL' AND strategy = 'serve'"),
            std::to_string(signals));
  EXPECT_EQ(SqlValue("SELECT sum((payload->>'events')::int) FROM audit_log WHERE actor = 'e2e' "
                     "AND action = 'service.events_stored'"),
            std::to_string(events));
}

}  // namespace
}  // namespace wyckoff::serve
