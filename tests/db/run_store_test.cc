#include "wyckoff/db/run_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "stored_results.h"
#include "test_database.h"
#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"
#include "wyckoff/engine/run_figures.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/registry.h"

namespace wyckoff::db {
namespace {

namespace fs = std::filesystem;
using engine::RunResult;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const std::string kOrcl = std::string(WYCKOFF_SOURCE_DIR) + "/data/daily/orcl-1995-2014.csv";

// Forwards the equity curve to two sinks, and calls `hook` after point number `at`.
class Tee final : public engine::EquitySink {
 public:
  Tee(engine::EquitySink* a, engine::EquitySink* b) : a_(a), b_(b) {}
  void OnStart(bool intraday) override {
    if (a_ != nullptr) a_->OnStart(intraday);
    if (b_ != nullptr) b_->OnStart(intraday);
  }
  void OnEquity(Timestamp t, Decimal cash, Decimal equity) override {
    if (a_ != nullptr) a_->OnEquity(t, cash, equity);
    if (b_ != nullptr) b_->OnEquity(t, cash, equity);
    if (++points_ == at && hook) hook();
  }
  std::int64_t at = -1;
  std::function<void()> hook;

 private:
  engine::EquitySink* a_;
  engine::EquitySink* b_;
  std::int64_t points_ = 0;
};

// A backtest of the real ORCL file, as `wyckoff backtest` runs it.
struct Backtest {
  std::string strategy;
  engine::ParamList params;

  engine::EngineConfig Config() const {
    engine::EngineConfig config;
    config.sizing.quantity = Decimal::FromInt(100);
    config.broker.commission = *engine::ParseCommission("per-share:0.005:1");
    return config;
  }

  Result<RunResult> Run(engine::EquitySink* sink) const {
    const engine::EngineConfig config = Config();
    auto made = strategies::MakeStrategy(strategy, params, config.sizing, nullptr);
    if (!made) return tl::unexpected(made.error());
    auto source = engine::CsvBarSource::Open(kOrcl, {});
    if (!source) return tl::unexpected(source.error());
    std::vector<std::unique_ptr<engine::BarSource>> sources;
    sources.push_back(std::move(*source));
    engine::BacktestEngine engine(config, {{"ORCL", false}}, **made);
    return engine.Run(sources, sink);
  }

  RunSpec Spec() const {
    return RunSpec{.strategy = strategy,
                   .symbols = {"ORCL"},
                   .timeframe = "1d",
                   .data_source = kOrcl,
                   .actor = "alice"};
  }
};

void PrintTo(const Backtest& backtest, std::ostream* os) { *os << backtest.strategy; }

const Backtest kSmaCross{"sma-cross", {{"fast", "10"}, {"slow", "30"}}};
const Backtest kWyckoff{"wyckoff", {}};

class RunStoreTest : public testing::MigratedDatabaseTest {
 protected:
  RunWriterOptions Options() {
    return RunWriterOptions{.reconnect_url = server_url(),
                            .reconnect_options = {.database = database()},
                            .actor = "alice"};
  }

  // Every result row of run `id`, over all result tables.
  std::string ResultRows(std::int64_t id) {
    const std::string where = " WHERE run_id = " + std::to_string(id) + ")";
    return SqlValue("SELECT (SELECT count(*) FROM equity_points" + where +
                    " + (SELECT count(*) FROM orders" + where + " + (SELECT count(*) FROM fills" +
                    where + " + (SELECT count(*) FROM trades" + where +
                    " + (SELECT count(*) FROM pattern_events" + where +
                    " + (SELECT count(*) FROM signals" + where);
  }

  std::string RunColumn(std::int64_t id, const std::string& column) {
    return SqlValue("SELECT " + column + " FROM backtest_runs WHERE id = " + std::to_string(id));
  }

  // Terminates the server session `pid` and waits until it is gone.
  void Terminate(int pid) {
    auto done =
        ExecuteSql(admin(), "SELECT pg_terminate_backend(" + std::to_string(pid) + ", 5000)");
    ASSERT_TRUE(done) << done.error().message;
    ASSERT_EQ((*done)[0][0], "t");
  }
};

class StoredRunTest : public RunStoreTest, public ::testing::WithParamInterface<Backtest> {};

TEST_P(StoredRunTest, ReadsBackEqualToTheReportFiles) {
  const Backtest& backtest = GetParam();
  testing::TempDir out;
  report::EquityCsvWriter csv;
  ASSERT_TRUE(csv.Open(out.path().string()));
  auto writer = RunWriter::Start(conn(), backtest.Spec(), Options());
  ASSERT_TRUE(writer) << writer.error().message;
  Tee tee(&csv, writer->get());

  auto run = backtest.Run(&tee);
  ASSERT_TRUE(run) << run.error().message;
  auto stored = (*writer)->Complete(*run);
  ASSERT_TRUE(stored) << stored.error().message;
  report::RunInfo info{.strategy = backtest.strategy, .params = backtest.params};
  ASSERT_TRUE(report::WriteReport(out.path().string(), *run, info, csv));

  const std::int64_t id = (*writer)->run_id();
  ASSERT_GT(run->trades.size(), 0u);
  EXPECT_EQ(testing::StoredTradesCsv(conn(), id), testing::Slurp(out.path() / "trades.csv"));
  EXPECT_EQ(testing::StoredFillsCsv(conn(), id), testing::Slurp(out.path() / "fills.csv"));
  EXPECT_EQ(testing::StoredOrdersCsv(conn(), id), testing::Slurp(out.path() / "orders.csv"));
  EXPECT_EQ(testing::StoredEquityCsv(conn(), id), testing::Slurp(out.path() / "equity.csv"));
  EXPECT_EQ(RunColumn(id, "status"), "COMPLETED");
  EXPECT_EQ(RunColumn(id, "digest"), run->digest);
  EXPECT_EQ(RunColumn(id, "net_pnl"), run->metrics.net_profit.ToString());
  EXPECT_EQ(RunColumn(id, "final_equity"), run->final_value.ToString());
  EXPECT_EQ(RunColumn(id, "trade_count"), std::to_string(run->trades.size()));
  EXPECT_EQ(RunColumn(id, "metrics->>'final_cash'"), run->final_cash.ToString());
  // The metrics column holds the figures summary.json lists (engine::RunFigures), no fewer.
  EXPECT_EQ(SqlValue("SELECT count(*) FROM backtest_runs, jsonb_object_keys(metrics) WHERE id = " +
                     std::to_string(id)),
            std::to_string(engine::RunFigures(*run).size()));
  EXPECT_EQ(RunColumn(id, "metrics->>'closed_trades'"), std::to_string(run->trades.size()));
  EXPECT_EQ(RunColumn(id, "metrics->>'max_drawdown_amount'"),
            run->metrics.max_drawdown_amount.ToString());
  EXPECT_EQ(SqlValue("SELECT count(*) FROM pattern_events WHERE run_id = " + std::to_string(id)),
            std::to_string(run->events.size()));
  auto audit = QueryAudit(conn(), "alice", kActionRunCompleted, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_THAT((*audit)[0].payload_json, HasSubstr("\"digest\": \"" + run->digest + "\""));
  EXPECT_EQ(SqlValue("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                     "(SELECT oid FROM pg_database WHERE datname = current_database())"),
            "0");  // the run's lock is released
}

INSTANTIATE_TEST_SUITE_P(Strategies, StoredRunTest, ::testing::Values(kSmaCross, kWyckoff),
                         [](const auto& param_info) {
                           return param_info.param.strategy == "sma-cross" ? std::string("SmaCross")
                                                                           : std::string("Wyckoff");
                         });

TEST_F(RunStoreTest, TradeSignalsGoToSignalsLinkedToTheirPatternEvent) {
  auto writer = RunWriter::Start(conn(), kWyckoff.Spec(), Options());
  ASSERT_TRUE(writer) << writer.error().message;
  RunResult run;
  run.symbols = {{"ORCL", false}};
  engine::RunEvent spring{.symbol = 0,
                          .type = "SPRING",
                          .pattern_time = *ParseDate("2001-02-05"),
                          .confirm_time = *ParseDate("2001-02-07"),
                          .level = 12.25,
                          .confidence = 82.5,
                          .details = {{"phase_after", "C"},
                                      {"support", "12.25"},
                                      {"note", "tab\there, line\nthere, back\\slash \"quoted\""},
                                      {"signal", "LONG"},
                                      {"entry", "12.5"},
                                      {"stop", "11.9"},
                                      {"target", "15"},
                                      {"status", "TRADED"}}};
  engine::RunEvent skipped = spring;
  skipped.details.back().value = "SKIPPED: already in a position";
  engine::RunEvent sc{.symbol = 0, .type = "SC", .details = {{"signal", ""}, {"status", ""}}};
  run.events = {spring, skipped, sc};

  auto stored = (*writer)->Complete(run);

  ASSERT_TRUE(stored) << stored.error().message;
  const std::vector<SqlRow> events =
      Sql("SELECT type, phase, price, range_low, confidence, details->>'note', "
          "(EXTRACT(EPOCH FROM confirm_time) * 1000000)::int8 FROM pattern_events ORDER BY id");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_THAT(events[0], ElementsAre("SPRING", "C", "12.25", "12.25", "82.5",
                                     "tab\there, line\nthere, back\\slash \"quoted\"",
                                     std::to_string(*ParseDate("2001-02-07") / 1000)));
  EXPECT_THAT(
      Sql("SELECT s.side, s.status, s.entry_price, s.stop_price, s.target_price, "
          "s.strategy, e.type, s.details->>'status' FROM signals s "
          "JOIN pattern_events e ON e.id = s.pattern_event_id ORDER BY s.id"),
      ElementsAre(ElementsAre("BUY", "FILLED", "12.5", "11.9", "15", "wyckoff", "SPRING", "TRADED"),
                  ElementsAre("BUY", "CANCELLED", "12.5", "11.9", "15", "wyckoff", "SPRING",
                              "SKIPPED: already in a position")));
}

TEST_F(RunStoreTest, KillingTheSessionWhileEquityStreamsLeavesNothingAndFailsTheRun) {
  auto session = ConnectAgain();
  ASSERT_TRUE(session) << session.error().message;
  auto writer = RunWriter::Start(*session, kSmaCross.Spec(), Options());
  ASSERT_TRUE(writer) << writer.error().message;
  const std::int64_t id = (*writer)->run_id();
  Tee tee(writer->get(), nullptr);
  tee.at = 2000;  // of 5036 points
  tee.hook = [&] { Terminate((*writer)->backend_pid()); };

  auto run = kSmaCross.Run(&tee);
  ASSERT_TRUE(run) << run.error().message;  // the engine does not know
  auto stored = (*writer)->Complete(*run);
  ASSERT_FALSE(stored);
  auto failed = (*writer)->Fail(stored.error().message);

  EXPECT_EQ(stored.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(stored.error().message, HasSubstr("run " + std::to_string(id)));
  EXPECT_EQ(stored.error().message.find('\n'), std::string::npos);
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(ResultRows(id), "0");
  EXPECT_EQ(RunColumn(id, "status"), "FAILED");
  EXPECT_EQ(RunColumn(id, "error_message"), stored.error().message);
  EXPECT_EQ(RunColumn(id, "digest"), "");
  auto audit = QueryAudit(conn(), "alice", kActionRunFailed, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].entity_id, std::to_string(id));
}

class KillBeforeStepTest : public RunStoreTest,
                           public ::testing::WithParamInterface<std::string> {};

TEST_P(KillBeforeStepTest, LeavesNoResultsAndTheRunFailedFromANewSession) {
  auto session = ConnectAgain();
  ASSERT_TRUE(session) << session.error().message;
  RunWriterOptions options = Options();
  int pid = 0;
  options.before_step = [&](std::string_view step) {
    if (step == GetParam()) Terminate(pid);
  };
  auto writer = RunWriter::Start(*session, kWyckoff.Spec(), options);
  ASSERT_TRUE(writer) << writer.error().message;
  pid = (*writer)->backend_pid();
  const std::int64_t id = (*writer)->run_id();
  auto run = kWyckoff.Run(writer->get());
  ASSERT_TRUE(run) << run.error().message;
  ASSERT_FALSE(run->events.empty());

  auto stored = (*writer)->Complete(*run);
  ASSERT_FALSE(stored);
  auto failed = (*writer)->Fail("killed before " + GetParam());

  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(ResultRows(id), "0");
  EXPECT_EQ(RunColumn(id, "status"), "FAILED");
  EXPECT_EQ(RunColumn(id, "error_message"), "killed before " + GetParam());
  auto audit = QueryAudit(conn(), "alice", kActionRunFailed, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  EXPECT_EQ(audit->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Steps, KillBeforeStepTest,
                         ::testing::Values("equity", "orders", "fills", "trades", "events",
                                           "commit"));

TEST_F(RunStoreTest, AbandonedRunIsFailedByTheNextSessionAndRunsInFlightAreNot) {
  auto dying = ConnectAgain();
  auto living = ConnectAgain();
  ASSERT_TRUE(dying && living);
  auto abandoned = RunWriter::Start(*dying, kSmaCross.Spec(), Options());
  auto in_flight = RunWriter::Start(*living, kSmaCross.Spec(), Options());
  ASSERT_TRUE(abandoned && in_flight);
  auto own = CreateRun(conn(), kSmaCross.Spec());  // this session's own run is in flight too
  ASSERT_TRUE(own) << own.error().message;
  const std::int64_t abandoned_id = (*abandoned)->run_id();
  (*abandoned)->OnStart(false);
  (*abandoned)->OnEquity(*ParseDate("2020-01-02"), Decimal::FromInt(1), Decimal::FromInt(1));
  Terminate((*abandoned)->backend_pid());
  abandoned->reset();  // the process "dies" without Fail

  auto marked = FailAbandonedRuns(conn(), "bob");
  auto again = FailAbandonedRuns(conn(), "bob");

  ASSERT_TRUE(marked) << marked.error().message;
  EXPECT_THAT(*marked, ElementsAre(abandoned_id));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_THAT(*again, IsEmpty());
  EXPECT_EQ(RunColumn(abandoned_id, "status"), "FAILED");
  EXPECT_EQ(RunColumn(abandoned_id, "error_message"), kAbandonedRunReason);
  EXPECT_EQ(ResultRows(abandoned_id), "0");
  EXPECT_EQ(RunColumn((*in_flight)->run_id(), "status"), "RUNNING");
  EXPECT_EQ(RunColumn(*own, "status"), "RUNNING");
  auto audit = QueryAudit(conn(), "bob", kActionRunFailed, 0);
  ASSERT_TRUE(audit) << audit.error().message;
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].entity_id, std::to_string(abandoned_id));
}

TEST_F(RunStoreTest, ASymbolIndexOutsideTheRunIsRefusedAndNothingIsStored) {
  auto writer = RunWriter::Start(conn(), kSmaCross.Spec(), Options());
  ASSERT_TRUE(writer) << writer.error().message;
  RunResult run;
  run.symbols = {{"ORCL", false}};
  run.events = {engine::RunEvent{.symbol = 3, .type = "SPRING"}};

  auto stored = (*writer)->Complete(run);
  auto failed = (*writer)->Fail(stored ? "" : stored.error().message);

  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(stored.error().message, "an event names symbol index 3 of a run with 1 symbols");
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(RunColumn((*writer)->run_id(), "status"), "FAILED");
}

TEST_F(RunStoreTest, StoredBarsReplayAsASource) {
  std::vector<Bar> bars;
  {
    auto csv = engine::CsvBarSource::Open(kOrcl, {});
    ASSERT_TRUE(csv);
    auto all = engine::ReadAll(**csv);
    ASSERT_TRUE(all);
    bars = *all;
  }
  ASSERT_TRUE(ImportBars(conn(), "ORCL", "1d", bars, {.actor = "alice"}));
  auto ref = ParseStoredBars("postgresql:ORCL:1d");
  ASSERT_TRUE(ref && *ref);

  auto source = OpenStoredBars(conn(), **ref);
  auto missing = OpenStoredBars(conn(), {"KO", "1d"});

  ASSERT_TRUE(source) << source.error().message;
  EXPECT_FALSE((*source)->intraday());
  auto replayed = engine::ReadAll(**source);
  ASSERT_TRUE(replayed);
  ASSERT_EQ(replayed->size(), bars.size());
  EXPECT_EQ(replayed->back().time, bars.back().time);
  EXPECT_EQ(replayed->back().close.ToString(), bars.back().close.ToString());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("no bars of KO 1d are stored"));
}

TEST(StoredBarsTest, ParsesOnlyPostgresqlSymbolTimeframe) {
  auto file = ParseStoredBars("data/daily/orcl.csv");
  auto good = ParseStoredBars("postgresql:ORCL:5m");

  ASSERT_TRUE(file);
  EXPECT_EQ(*file, std::nullopt);
  ASSERT_TRUE(good && *good);
  EXPECT_EQ((*good)->symbol, "ORCL");
  EXPECT_EQ((*good)->timeframe, "5m");
  for (const char* bad : {"postgresql:ORCL", "postgresql::1d", "postgresql:ORCL:",
                          "postgresql://localhost/wyckoff", "postgresql:A:B:C"}) {
    auto parsed = ParseStoredBars(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(parsed.error().message, HasSubstr("is not postgresql:SYMBOL:TIMEFRAME"));
  }
}

class UnmigratedRunStoreTest : public testing::DatabaseTest {};

TEST_F(UnmigratedRunStoreTest, StartSaysToMigrate) {
  auto writer = RunWriter::Start(conn(), kSmaCross.Spec());
  auto abandoned = FailAbandonedRuns(conn(), "alice");

  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(writer.error().message, HasSubstr("Run `wyckoff db migrate` first"));
  ASSERT_FALSE(abandoned);
  EXPECT_THAT(abandoned.error().message, HasSubstr("Run `wyckoff db migrate` first"));
}

}  // namespace
}  // namespace wyckoff::db
