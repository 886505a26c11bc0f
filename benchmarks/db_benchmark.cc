// PostgreSQL benchmarks: the store's query shapes on a loaded database, and COPY throughput.
//
// The server comes from $WYCKOFF_BENCH_DB (or $WYCKOFF_TEST_DB, which
// `scripts/pg-test-server.sh run -- ...` exports); without either, every benchmark skips with
// "no database configured: set WYCKOFF_BENCH_DB". Each process creates a fresh database of
// its own (CREATE DATABASE bench_PID_RANDOM), so concurrent runs never collide, migrates it,
// loads the SQL of fixtures::SyntheticDataSql (100,000 bars over 10 symbols, 20,000 pattern
// events, 20,000 signals, 50,000 audit entries, 2,000 runs with their trades, orders and
// fills), ANALYZEs it, and drops it at exit. Before timing a query, EXPLAIN must show the index
// meant for it (the table in wyckoff/db/queries.h); the benchmark skips, with the plan, when it
// does not.
//
// NOTE: the work happens in the server, so every benchmark uses real time (its name ends in
// /real_time): for the iteration count and for rates. Process CPU time would be a fraction of it.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"
#include "wyckoff/db/connection.h"
#include "wyckoff/db/migrations.h"
#include "wyckoff/db/queries.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/db/runs.h"
#include "wyckoff/db/service_store.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/fixtures/database_seed.h"
#include "wyckoff/fixtures/random_walk.h"
#include "wyckoff/strategies/pattern_records.h"
#include "wyckoff/strategies/sma_cross.h"

namespace wyckoff::db {
namespace {

// The benchmarks' database, set up on first use and dropped when the process exits.
class BenchDatabase {
 public:
  static BenchDatabase& Get() {
    static BenchDatabase instance;
    return instance;
  }
  ~BenchDatabase() {
    conn_.reset();
    if (admin_ && !name_.empty()) {
      auto dropped = ExecuteSql(*admin_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      if (!dropped)
        std::fprintf(stderr, "cannot drop %s: %s\n", name_.c_str(),
                     dropped.error().message.c_str());
    }
  }

  // The seeded database's session, or nullptr when there is none (see error()).
  Connection* conn() { return conn_ ? &*conn_ : nullptr; }
  const std::string& error() const { return error_; }

 private:
  BenchDatabase() { error_ = SetUp(); }

  // Returns the reason there is no database, or "".
  std::string SetUp() {
    std::string url;
    for (const char* name : {"WYCKOFF_BENCH_DB", "WYCKOFF_TEST_DB"}) {
      const char* value = std::getenv(name);
      if (value != nullptr && *value != '\0' && url.empty()) url = value;
    }
    if (url.empty()) return "no database configured: set WYCKOFF_BENCH_DB";
    auto admin = Connect(url);
    if (!admin) return admin.error().message;
    admin_.emplace(std::move(*admin));
    const std::string name = "bench_" + std::to_string(getpid()) + "_" +
                             std::to_string(std::random_device{}() % 1'000'000);
    if (auto created = ExecuteSql(*admin_, "CREATE DATABASE " + name); !created) {
      return created.error().message;
    }
    name_ = name;
    auto conn = Connect(url, {.database = name_});
    if (!conn) return conn.error().message;
    if (auto applied = Migrate(*conn, DefaultMigrationsDir(), "bench"); !applied) {
      return applied.error().message;
    }
    auto seed = fixtures::SyntheticDataSql({});
    if (!seed) return seed.error().message;
    for (const std::string& sql : {*seed, std::string("ANALYZE")}) {
      if (auto done = ExecuteSql(*conn, sql); !done) return done.error().message;
    }
    conn_.emplace(std::move(*conn));
    return "";
  }

  std::optional<Connection> admin_;
  std::optional<Connection> conn_;
  std::string name_;
  std::string error_;
};

// The seeded database's session, or nullptr after skipping the benchmark with the reason.
Connection* Database(benchmark::State& state) {
  BenchDatabase& db = BenchDatabase::Get();
  if (db.conn() == nullptr) state.SkipWithError(db.error().c_str());
  return db.conn();
}

Timestamp Now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Skips the benchmark unless the plan of `shape` uses `index` and scans no `table`
// sequentially. True when the plan is as intended.
bool PlanUses(benchmark::State& state, Connection& conn, QueryShape shape, const QueryArgs& args,
              const std::string& index, const std::string& table) {
  auto plan = ExplainQuery(conn, shape, args);
  if (!plan) {
    state.SkipWithError(("EXPLAIN failed: " + plan.error().message).c_str());
    return false;
  }
  if (plan->find(index) == std::string::npos ||
      plan->find("Seq Scan on " + table) != std::string::npos) {
    state.SkipWithError(("the plan does not use " + index + ": " + *plan).c_str());
    return false;
  }
  return true;
}

// Times `query` (which returns a Result of a row list, or of one value) after checking the plan.
// The `rows` counter is the number of rows one call returns.
template <typename Query>
void TimeQuery(benchmark::State& state, QueryShape shape, const QueryArgs& args,
               const std::string& index, const std::string& table, Query query) {
  Connection* conn = Database(state);
  if (conn == nullptr || !PlanUses(state, *conn, shape, args, index, table)) return;
  std::size_t rows = 0;
  for (auto _ : state) {
    auto result = query(*conn);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    if constexpr (requires { result->size(); }) {
      rows = result->size();
    } else {
      rows = 1;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

// 100 daily bars of one symbol among 100,000.
void BM_Db_OhlcvRange(benchmark::State& state) {
  const Timestamp from = *ParseDate("2000-01-01");
  const QueryArgs args{.symbol = fixtures::SyntheticSymbol(3),
                       .timeframe = "1d",
                       .from = from,
                       .to = from + 100 * kNanosPerDay};
  TimeQuery(
      state, QueryShape::kBarsInRange, args, "bars_symbol_timeframe_time_key", "bars",
      [&](Connection& conn) { return LoadBars(conn, args.symbol, "1d", args.from, args.to); });
}
BENCHMARK(BM_Db_OhlcvRange)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The last 30 days of one symbol's springs.
void BM_Db_PatternLookup(benchmark::State& state) {
  const QueryArgs args{
      .symbol = fixtures::SyntheticSymbol(3), .type = "SPRING", .from = Now() - 30 * kNanosPerDay};
  TimeQuery(state, QueryShape::kRecentPatterns, args, "pattern_events_symbol_type_time_idx",
            "pattern_events", [&](Connection& conn) {
              return RecentPatterns(conn, args.symbol, args.type, args.from);
            });
}
BENCHMARK(BM_Db_PatternLookup)->Unit(benchmark::kMicrosecond)->UseRealTime();

// One symbol's active signals, newest first.
void BM_Db_SignalHistory(benchmark::State& state) {
  const QueryArgs args{.symbol = fixtures::SyntheticSymbol(3)};
  TimeQuery(state, QueryShape::kActiveSignals, args, "signals_symbol_status_created_idx", "signals",
            [&](Connection& conn) { return ActiveSignals(conn, args.symbol); });
}
BENCHMARK(BM_Db_SignalHistory)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The last 7 days of one actor's completed runs in the audit log.
void BM_Db_AuditQuery(benchmark::State& state) {
  const QueryArgs args{.actor = "actor-07",
                       .action = std::string(kActionRunCompleted),
                       .from = Now() - 7 * kNanosPerDay};
  TimeQuery(state, QueryShape::kAuditByActorAction, args, "audit_log_actor_action_time_idx",
            "audit_log",
            [&](Connection& conn) { return QueryAudit(conn, args.actor, args.action, args.from); });
}
BENCHMARK(BM_Db_AuditQuery)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The portfolio aggregates of one run (total P&L, win rate, open positions).
void BM_Db_Aggregate(benchmark::State& state) {
  const QueryArgs args{.run_id = 1242};
  TimeQuery(state, QueryShape::kPortfolioSummary, args, "trades_pkey", "trades",
            [&](Connection& conn) { return GetPortfolioSummary(conn, args.run_id); });
}
BENCHMARK(BM_Db_Aggregate)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The runs still RUNNING (the partial index).
void BM_Db_RunningRuns(benchmark::State& state) {
  TimeQuery(state, QueryShape::kRunningRuns, {}, "backtest_runs_running_idx", "backtest_runs",
            [](Connection& conn) { return RunningRuns(conn); });
}
BENCHMARK(BM_Db_RunningRuns)->Unit(benchmark::kMicrosecond)->UseRealTime();

// COPY throughput through the db API: one iteration imports 10,000 bars of a new symbol with
// db::ImportBars (COPY into bars, the audit entry, one transaction); the bars are deleted
// again, and vacuumed away, outside the timing.
void BM_Db_CopyBars(benchmark::State& state) {
  Connection* conn = Database(state);
  if (conn == nullptr) return;
  const std::vector<Bar> bars = fixtures::RandomWalkBars({.bars = 10'000, .seed = 5});
  for (auto _ : state) {
    auto imported = ImportBars(*conn, "COPYBENCH", "1d", bars, {.actor = "bench"});
    state.PauseTiming();
    auto deleted = ExecuteSql(*conn, "DELETE FROM bars WHERE symbol = 'COPYBENCH'");
    // The deleted rows' index entries would make the next import's uniqueness checks visit
    // dead rows, which an import of new bars never meets: VACUUM removes them.
    if (deleted) deleted = ExecuteSql(*conn, "VACUUM bars");
    state.ResumeTiming();
    if (!imported || !deleted) {
      state.SkipWithError((imported ? deleted.error() : imported.error()).message.c_str());
      break;
    }
  }
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * bars.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Db_CopyBars)->Unit(benchmark::kMillisecond)->UseRealTime();

// A finished backtest and its equity curve, to be stored again and again.
struct StoredFixture {
  engine::RunResult run;
  struct Point {
    Timestamp time;
    Decimal cash, equity;
  };
  std::vector<Point> equity;
  bool intraday = false;
  std::size_t Rows() const {
    return equity.size() + run.trades.size() + run.fills.size() + run.orders.size();
  }
};

class CollectEquity final : public engine::EquitySink {
 public:
  explicit CollectEquity(StoredFixture& out) : out_(out) {}
  void OnStart(bool intraday) override { out_.intraday = intraday; }
  void OnEquity(Timestamp time, Decimal cash, Decimal equity) override {
    out_.equity.push_back({time, cash, equity});
  }

 private:
  StoredFixture& out_;
};

// sma-cross(10, 30) over `bars` random-walk bars every `interval`; aborts on an engine error
// (a broken fixture must not time an empty run).
StoredFixture BacktestFixture(std::size_t bars_count, Timestamp interval) {
  StoredFixture fixture;
  const std::vector<Bar> bars =
      fixtures::RandomWalkBars({.bars = bars_count, .seed = 11, .interval = interval});
  std::vector<std::unique_ptr<engine::BarSource>> sources;
  sources.push_back(std::make_unique<engine::SpanBarSource>(bars, interval < kNanosPerDay));
  strategies::SmaCrossStrategy strategy(10, 30);
  engine::EngineConfig config;
  config.sizing.quantity = Decimal::FromInt(10);
  CollectEquity sink(fixture);
  auto run = engine::BacktestEngine(config, {{"STORE", interval < kNanosPerDay}}, strategy)
                 .Run(sources, &sink);
  if (!run || run->trades.empty() || fixture.equity.size() != bars_count) {
    std::fprintf(
        stderr, "store fixture: %s\n",
        run ? "the backtest made no trades or no equity curve" : run.error().message.c_str());
    std::abort();
  }
  fixture.run = std::move(*run);
  return fixture;
}

// The store's write path: one iteration is one run stored whole, as `backtest --db` does
// (RunWriter::Start creates the RUNNING run; the equity curve streams by COPY point by point;
// Complete COPYs the orders, fills and trades, marks the run COMPLETED and commits). The
// `rows_per_second` counter counts every row written (equity points, orders, fills, trades).
void StoreRuns(benchmark::State& state, const StoredFixture& fixture, const char* timeframe) {
  Connection* conn = Database(state);
  if (conn == nullptr) return;
  const RunSpec spec{.strategy = "sma-cross",
                     .symbols = {"STORE"},
                     .timeframe = timeframe,
                     .data_source = "benchmark",
                     .actor = "bench"};
  for (auto _ : state) {
    auto writer = RunWriter::Start(*conn, spec, {.reconnect = false, .actor = "bench"});
    if (!writer) {
      state.SkipWithError(writer.error().message.c_str());
      break;
    }
    (*writer)->OnStart(fixture.intraday);
    for (const StoredFixture::Point& p : fixture.equity) {
      (*writer)->OnEquity(p.time, p.cash, p.equity);
    }
    if (auto done = (*writer)->Complete(fixture.run); !done) {
      state.SkipWithError(done.error().message.c_str());
      break;
    }
  }
  state.counters["rows"] = static_cast<double>(fixture.Rows());
  state.counters["rows_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * fixture.Rows()), benchmark::Counter::kIsRate);
}

// 20 years of daily bars (5,040): the equity curve and the trades of one backtest.
void BM_Db_StoreRun_Daily20y(benchmark::State& state) {
  static const StoredFixture fixture = BacktestFixture(5040, kNanosPerDay);
  StoreRuns(state, fixture, "1d");
}
BENCHMARK(BM_Db_StoreRun_Daily20y)->Unit(benchmark::kMillisecond)->UseRealTime();

// One year of 1-minute bars (252 sessions x 390 minutes = 98,280 equity points).
void BM_Db_StoreRun_Minute1y(benchmark::State& state) {
  static const StoredFixture fixture = BacktestFixture(252 * 390, 60 * kNanosPerSecond);
  StoreRuns(state, fixture, "1m");
}
BENCHMARK(BM_Db_StoreRun_Minute1y)->Unit(benchmark::kMillisecond)->UseRealTime();

// A confirmed spring as the detectors report it: the record `wyckoff serve --db` saves.
engine::RunEvent SpringRecord() {
  detectors::PatternEvent spring;
  spring.type = detectors::EventType::kSpring;
  spring.symbol = "KO";
  spring.pattern_index = 4200;
  spring.confirm_index = 4201;
  spring.pattern_time = 1'199'145'600LL * kNanosPerSecond;  // 2008-01-01
  spring.confirm_time = spring.pattern_time + kNanosPerDay;
  spring.range_id = 17;
  spring.phase_before = detectors::Phase::kB;
  spring.phase_after = detectors::Phase::kC;
  spring.level = 41.25;
  spring.extreme = 40.61;
  spring.penetration = 0.0155;
  spring.volume_ratio = 0.42;
  spring.spread_ratio = 1.3;
  spring.close_position = 0.71;
  spring.bars = 1;
  spring.confidence = 78;
  spring.direction = detectors::Direction::kLong;
  spring.entry = 41.4;
  spring.stop = 40.5;
  spring.target = 44.9;
  spring.reward_risk = 3.9;
  spring.not_tradeable = detectors::NotTradeable::kNone;
  return strategies::ToRunEvent(spring, 0, detectors::DetectorParams{});
}

// Saving what one post to `wyckoff serve --db` confirmed: one event (and, for a signal, its
// signals row) with its audit entry, in one transaction (db::StoreServiceBatch, what the
// service's writer thread does per batch). NFR1's breakdown allows 150 ms for it.
void SaveOneEvent(benchmark::State& state, bool signal) {
  Connection* conn = Database(state);
  if (conn == nullptr) return;
  ServiceBatch batch{.key = "",
                     .actor = "bench",
                     .symbol = "KO",
                     .timeframe = "1d",
                     .events = {SpringRecord()},
                     .signals = {signal}};
  // Keys are unique per batch (the audit entry's entity_id) and per process.
  const std::string prefix =
      "bench:" + std::to_string(getpid()) + (signal ? ":signal:" : ":event:");
  std::int64_t n = 0;
  for (auto _ : state) {
    batch.key = prefix + std::to_string(n++);  // tens of nanoseconds beside a transaction
    auto stored = StoreServiceBatch(*conn, batch, /*after_failure=*/false);
    if (!stored) {
      state.SkipWithError(stored.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(stored);
  }
}

void BM_Db_SavePatternEvent(benchmark::State& state) { SaveOneEvent(state, false); }
BENCHMARK(BM_Db_SavePatternEvent)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_Db_SaveSignal(benchmark::State& state) { SaveOneEvent(state, true); }
BENCHMARK(BM_Db_SaveSignal)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace wyckoff::db
