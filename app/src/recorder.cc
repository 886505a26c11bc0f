#include "wyckoff/app/recorder.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "wyckoff/db/connection.h"
#include "wyckoff/db/run_store.h"

namespace wyckoff::app {

RunRecorder::RunRecorder(std::unique_ptr<db::RunWriter> writer) : writer_(std::move(writer)) {}

RunRecorder::~RunRecorder() = default;

Result<std::unique_ptr<RunRecorder>> RunRecorder::Start(Database& database,
                                                        const db::RunSpec& spec) {
  auto conn = database.Connection();
  if (!conn) return tl::unexpected(conn.error());
  auto abandoned = db::FailAbandonedRuns(**conn, database.options().actor);
  if (!abandoned) return tl::unexpected(abandoned.error());
  db::RunWriterOptions options;  // built field by field: g++ 12 warns on the designated form
  options.reconnect_url = database.options().url;
  options.actor = database.options().actor;
  auto writer = db::RunWriter::Start(**conn, spec, options);
  if (!writer) return tl::unexpected(writer.error());
  return std::unique_ptr<RunRecorder>(new RunRecorder(std::move(*writer)));
}

std::int64_t RunRecorder::run_id() const { return writer_->run_id(); }

engine::EquitySink* RunRecorder::equity() { return writer_.get(); }

Error RunRecorder::Failed(const Error& error) {
  auto marked = writer_->Fail(error.message);
  if (marked) return error;
  return {error.code, error.message + " (and the run could not be marked FAILED: " +
                          marked.error().message + ")"};
}

Result<std::int64_t> RunRecorder::Finish(const Result<void>& outcome,
                                         const std::function<Result<void>(db::RunWriter&)>& store) {
  if (!outcome) return tl::unexpected(Failed(outcome.error()));
  if (auto stored = store(*writer_); !stored) return tl::unexpected(Failed(stored.error()));
  return writer_->run_id();
}

std::string JoinTimeframes(const std::vector<std::string>& timeframes) {
  std::vector<std::string> distinct;
  for (const auto& tf : timeframes) {
    if (std::find(distinct.begin(), distinct.end(), tf) == distinct.end()) distinct.push_back(tf);
  }
  std::string out;
  for (const auto& tf : distinct) out += (out.empty() ? "" : ",") + tf;
  return out;
}

std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& pairs) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [name, value] : pairs) j[name] = value;
  return j.dump();
}

}  // namespace wyckoff::app
