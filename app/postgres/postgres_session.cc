// libwyckoff-pg.so: app::DatabaseSession over wyckoff::db (libpqxx). app::Database loads this
// module the first time a command needs a database; it exports one symbol,
// wyckoff_database_driver (postgres.map), and nothing of its copies of the project's code.
#include <memory>
#include <utility>

#include "wyckoff/app/database_session.h"
#include "wyckoff/db/connection.h"
#include "wyckoff/db/service_store.h"
#include "wyckoff/db/walk_forward_store.h"

namespace wyckoff::app {
namespace {

class PostgresRunStore final : public RunStore {
 public:
  explicit PostgresRunStore(std::unique_ptr<db::RunWriter> writer) : writer_(std::move(writer)) {}
  std::int64_t run_id() const override { return writer_->run_id(); }
  engine::EquitySink* equity() override { return writer_.get(); }
  Result<void> Complete(const engine::RunResult& run) override { return writer_->Complete(run); }
  Result<void> CompleteWalkForward(const engine::WalkForwardResult& wf,
                                   const engine::ParamGrid& grid) override {
    return db::CompleteWalkForward(*writer_, wf, grid);
  }
  Result<void> Fail(std::string_view reason) override { return writer_->Fail(reason); }

 private:
  std::unique_ptr<db::RunWriter> writer_;
};

class PostgresSession final : public DatabaseSession {
 public:
  explicit PostgresSession(db::Connection conn) : conn_(std::move(conn)) {}

  const std::string& description() const override { return conn_.description(); }

  Result<std::unique_ptr<engine::BarSource>> OpenStoredBars(const db::StoredBars& bars) override {
    return db::OpenStoredBars(conn_, bars);
  }
  Result<db::ImportSummary> ImportBars(std::string_view symbol, std::string_view timeframe,
                                       const std::vector<Bar>& bars,
                                       const db::ImportOptions& options) override {
    return db::ImportBars(conn_, symbol, timeframe, bars, options);
  }

  Result<std::vector<std::int64_t>> FailAbandonedRuns(std::string_view actor) override {
    return db::FailAbandonedRuns(conn_, actor);
  }
  Result<std::unique_ptr<RunStore>> StartRun(const db::RunSpec& spec,
                                             const db::RunWriterOptions& options) override {
    auto writer = db::RunWriter::Start(conn_, spec, options);
    if (!writer) return tl::unexpected(writer.error());
    return std::make_unique<PostgresRunStore>(std::move(*writer));
  }

  Result<std::vector<std::string>> Migrate(const std::filesystem::path& dir,
                                           std::string_view actor) override {
    return db::Migrate(conn_, dir, actor);
  }
  Result<db::MigrationStatus> GetMigrationStatus(const std::filesystem::path& dir) override {
    return db::GetMigrationStatus(conn_, dir);
  }
  Result<std::vector<db::RunSummary>> RecentRuns(int limit) override {
    return db::RecentRuns(conn_, limit);
  }
  Result<db::StoredRun> GetRun(std::int64_t run_id) override { return db::GetRun(conn_, run_id); }
  Result<std::vector<db::StoredTrade>> RunTrades(std::int64_t run_id) override {
    return db::RunTrades(conn_, run_id);
  }
  Result<db::ServiceBatchStored> StoreServiceBatch(const db::ServiceBatch& batch,
                                                   bool after_failure) override {
    return db::StoreServiceBatch(conn_, batch, after_failure);
  }
  Result<void> Ping() override { return db::Ping(conn_); }

 private:
  db::Connection conn_;
};

class PostgresDriver final : public DatabaseDriver {
 public:
  Result<std::unique_ptr<DatabaseSession>> Connect(std::string_view url) const override {
    auto conn = db::Connect(url);
    if (!conn) return tl::unexpected(conn.error());
    return std::make_unique<PostgresSession>(std::move(*conn));
  }
};

}  // namespace
}  // namespace wyckoff::app

extern "C" const wyckoff::app::DatabaseDriver* wyckoff_database_driver() {
  static const wyckoff::app::PostgresDriver driver;
  return &driver;
}
