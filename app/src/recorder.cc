#include "wyckoff/app/recorder.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace wyckoff::app {

RunRecorder::RunRecorder(std::unique_ptr<RunStore> store) : store_(std::move(store)) {}

RunRecorder::~RunRecorder() = default;

Result<std::unique_ptr<RunRecorder>> RunRecorder::Start(Database& database,
                                                        const db::RunSpec& spec) {
  auto session = database.Session();
  if (!session) return tl::unexpected(session.error());
  auto abandoned = (*session)->FailAbandonedRuns(database.options().actor);
  if (!abandoned) return tl::unexpected(abandoned.error());
  db::RunWriterOptions options;  // built field by field: g++ 12 warns on the designated form
  options.reconnect_url = database.options().url;
  options.actor = database.options().actor;
  auto store = (*session)->StartRun(spec, options);
  if (!store) return tl::unexpected(store.error());
  return std::unique_ptr<RunRecorder>(new RunRecorder(std::move(*store)));
}

std::int64_t RunRecorder::run_id() const { return store_->run_id(); }

engine::EquitySink* RunRecorder::equity() { return store_->equity(); }

Error RunRecorder::Failed(const Error& error) {
  auto marked = store_->Fail(error.message);
  if (marked) return error;
  return {error.code, error.message + " (and the run could not be marked FAILED: " +
                          marked.error().message + ")"};
}

Result<std::int64_t> RunRecorder::Finish(const Result<void>& outcome,
                                         const std::function<Result<void>(RunStore&)>& store) {
  if (!outcome) return tl::unexpected(Failed(outcome.error()));
  if (auto stored = store(*store_); !stored) return tl::unexpected(Failed(stored.error()));
  return store_->run_id();
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
