// RunRecorder: a run's life in the database, the same for backtests, walk-forward runs and
// (later) the service: RUNNING while it goes, then COMPLETED with its results, or FAILED with
// the reason, in the audit log either way.
//
//   Result<std::unique_ptr<RunRecorder>> recorder = RunRecorder::Start(database, spec);
//   engine.Run(sources, (*recorder)->equity());                 // equity streams in
//   Result<std::int64_t> id = (*recorder)->Finish(run_status, [&](RunStore& store) {
//     return store.Complete(*run);                              // results, one transaction
//   });
//
// Starting marks every run whose session has ended FAILED first (FailAbandonedRuns).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wyckoff/app/database.h"
#include "wyckoff/db/runs.h"
#include "wyckoff/engine/backtest_engine.h"

namespace wyckoff::app {

class RunRecorder {
 public:
  // Connects through `database`, fails abandoned runs and records `spec` as RUNNING.
  // Errors: the database's.
  static Result<std::unique_ptr<RunRecorder>> Start(Database& database, const db::RunSpec& spec);
  ~RunRecorder();

  std::int64_t run_id() const;
  // Streams the equity curve into the run while it goes.
  engine::EquitySink* equity();

  // When `outcome` is an error (the run failed), marks the run FAILED with it and returns it.
  // Otherwise stores the results with `store` and marks the run COMPLETED, returning the run's
  // id; when storing fails, marks the run FAILED with that error and returns it. When the run
  // cannot even be marked FAILED, the returned error says so too.
  Result<std::int64_t> Finish(const Result<void>& outcome,
                              const std::function<Result<void>(RunStore&)>& store);

 private:
  explicit RunRecorder(std::unique_ptr<RunStore> store);
  Error Failed(const Error& error);

  std::unique_ptr<RunStore> store_;
};

// The `timeframe` of a run over sources of these timeframes ("1d", "intraday" or a stored
// TIMEFRAME): the distinct ones joined by commas, in order.
std::string JoinTimeframes(const std::vector<std::string>& timeframes);

// A JSON object of (name, text) pairs, in order.
std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace wyckoff::app
