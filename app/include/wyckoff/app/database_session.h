// DatabaseSession: everything the commands do with a database, behind one interface.
//
// The program does not link PostgreSQL support: libpqxx, libpq and the twenty-odd libraries
// they pull (TLS, Kerberos, LDAP) would be loaded and relocated by every command, `--help`
// included. The implementation is the module libwyckoff-pg.so (app/postgres/, linking
// wyckoff::db), which app::Database loads the first time a command needs a database:
//
//   Database database({.url = url});
//   Result<DatabaseSession*> session = database.Session();   // loads the module, connects
//   auto imported = (*session)->ImportBars("ORCL", "1d", bars, options);
//
// The value types (db::RunSpec, db::StoredRun, ...) are wyckoff::db_names', shared by both
// sides. Errors are db::'s, unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/error.h"
#include "wyckoff/db/bars.h"
#include "wyckoff/db/migrations.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/db/runs.h"
#include "wyckoff/db/service_store.h"
#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {
class ParamGrid;
struct WalkForwardResult;
}  // namespace wyckoff::engine

namespace wyckoff::app {

// One run being recorded (db::RunWriter): RUNNING until Complete or Fail.
class RunStore {
 public:
  virtual ~RunStore() = default;
  virtual std::int64_t run_id() const = 0;
  // Streams the equity curve into the run while it goes.
  virtual engine::EquitySink* equity() = 0;
  // Stores a backtest's results and marks the run COMPLETED (db::RunWriter::Complete).
  virtual Result<void> Complete(const engine::RunResult& run) = 0;
  // Stores a walk-forward run's windows and stitched results (db::CompleteWalkForward).
  virtual Result<void> CompleteWalkForward(const engine::WalkForwardResult& wf,
                                           const engine::ParamGrid& grid) = 0;
  // Marks the run FAILED with `reason` (db::RunWriter::Fail).
  virtual Result<void> Fail(std::string_view reason) = 0;
};

// One connection to the server, used by one thread at a time.
class DatabaseSession {
 public:
  virtual ~DatabaseSession() = default;
  // `DBNAME on HOST:PORT as USER`; never the password.
  virtual const std::string& description() const = 0;

  virtual Result<std::unique_ptr<engine::BarSource>> OpenStoredBars(const db::StoredBars& bars) = 0;
  virtual Result<db::ImportSummary> ImportBars(std::string_view symbol, std::string_view timeframe,
                                               const std::vector<Bar>& bars,
                                               const db::ImportOptions& options) = 0;

  virtual Result<std::vector<std::int64_t>> FailAbandonedRuns(std::string_view actor) = 0;
  virtual Result<std::unique_ptr<RunStore>> StartRun(const db::RunSpec& spec,
                                                     const db::RunWriterOptions& options) = 0;

  virtual Result<std::vector<std::string>> Migrate(const std::filesystem::path& dir,
                                                   std::string_view actor) = 0;
  virtual Result<db::MigrationStatus> GetMigrationStatus(const std::filesystem::path& dir) = 0;
  virtual Result<std::vector<db::RunSummary>> RecentRuns(int limit) = 0;
  virtual Result<db::StoredRun> GetRun(std::int64_t run_id) = 0;
  virtual Result<std::vector<db::StoredTrade>> RunTrades(std::int64_t run_id) = 0;

  // `wyckoff serve --db`: one post's events and signals and their audit entry
  // (db::StoreServiceBatch), and a round trip to tell whether the connection is alive.
  virtual Result<db::ServiceBatchStored> StoreServiceBatch(const db::ServiceBatch& batch,
                                                           bool after_failure) = 0;
  virtual Result<void> Ping() = 0;
};

// What the module exports: `extern "C" const DatabaseDriver* wyckoff_database_driver()`.
class DatabaseDriver {
 public:
  virtual ~DatabaseDriver() = default;
  // db::Connect.
  virtual Result<std::unique_ptr<DatabaseSession>> Connect(std::string_view url) const = 0;
};

inline constexpr const char* kDatabaseDriverSymbol = "wyckoff_database_driver";
using DatabaseDriverEntry = const DatabaseDriver* (*)();

}  // namespace wyckoff::app
