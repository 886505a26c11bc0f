// StoreWriter: `wyckoff serve --db`. Stores the events and signals each post confirmed in
// PostgreSQL (db::StoreServiceBatch through app::DatabaseSession) without holding up the
// request path: a post only puts its events in a bounded queue (one place per post); one
// thread with its own connection drains the queue in order.
//
//   StoreWriter writer(service, {.database = {.url = url}, .capacity = 10000});
//   if (auto ok = writer.Start(); !ok) ...          // connects once, or fails
//   service.SetEventSink(&writer);
//   ... serve ...
//   writer.Close(std::chrono::seconds(30));          // stores what is queued
//
// A failed write (the connection lost, the server restarted) drops the connection, marks the
// database down (wyckoff_database_up 0, /readyz 503), waits `retry` and tries again, on a new
// connection, the same batch: nothing queued is dropped, and a batch whose COMMIT reached the
// server before the connection was lost is not written twice (db::StoreServiceBatch looks for
// its audit entry). When the queue is full, Reserve says no and the post is refused with 503
// before anything of it is applied.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "wyckoff/app/database.h"
#include "wyckoff/core/error.h"
#include "wyckoff/serve/service.h"

namespace wyckoff::serve {

struct StoreWriterOptions {
  app::DatabaseOptions database;         // url, actor
  std::size_t capacity = 10000;          // posts whose events may wait in the queue at once
  std::chrono::milliseconds retry{500};  // between attempts while the database is down
  std::chrono::milliseconds ping{1000};  // an idle connection is checked this often
};

class StoreWriter final : public EventSink {
 public:
  StoreWriter(Service& service, StoreWriterOptions options);
  ~StoreWriter() override;
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  // Connects (an error when the module cannot be loaded or the server refuses) and starts the
  // writing thread.
  Result<void> Start();
  // Stops taking posts, writes what is queued, waiting at most `timeout` for the database;
  // returns the number of posts whose events could not be stored (0 normally).
  std::int64_t Close(std::chrono::milliseconds timeout);

  bool Reserve() override;
  void Submit(const std::string& symbol, bool intraday, std::vector<engine::RunEvent> events,
              std::vector<bool> signals) override;

  // Waits until nothing is queued or reserved, at most `timeout`; true when so.
  bool WaitIdle(std::chrono::milliseconds timeout);
  // Batches stored so far (each a post with at least one event).
  std::int64_t stored() const;

 private:
  void Run();
  // Connects when there is no session; false when the database is unreachable.
  bool EnsureSession();
  void MarkDown(const Error& error);
  void PublishPending();

  Service& service_;
  StoreWriterOptions options_;
  std::string key_prefix_;
  std::unique_ptr<app::Database> database_;
  app::DatabaseSession* session_ = nullptr;

  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the writer: work, or stop
  std::condition_variable idle_;  // WaitIdle: the queue emptied
  std::deque<db::ServiceBatch> queue_;
  std::size_t reserved_ = 0;
  std::int64_t next_key_ = 0;
  std::int64_t stored_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool front_failed_ = false;  // the queue's first batch failed once: check before rewriting
  std::string last_error_;
  std::thread thread_;
};

}  // namespace wyckoff::serve
