#include "wyckoff/serve/store_writer.h"

#include <unistd.h>

#include <iostream>

namespace wyckoff::serve {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

StoreWriter::StoreWriter(Service& service, StoreWriterOptions options)
    : service_(service), options_(std::move(options)) {
  // Unique per process and batch: the audit entry's entity_id, by which a retry finds out
  // whether an earlier attempt committed.
  key_prefix_ = "serve:" +
                std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()) +
                ":" + std::to_string(getpid()) + ":";
}

StoreWriter::~StoreWriter() { Close(std::chrono::milliseconds(0)); }

Result<void> StoreWriter::Start() {
  database_ = std::make_unique<app::Database>(options_.database);
  auto session = database_->Session();
  if (!session) return tl::unexpected(session.error());
  session_ = *session;
  service_.SetStoreState(StoreState::kUp);
  PublishPending();
  thread_ = std::thread([this] { Run(); });
  return {};
}

std::int64_t StoreWriter::Close(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return static_cast<std::int64_t>(queue_.size());
    stopping_ = true;
    deadline_ = Clock::now() + timeout;
  }
  wake_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  return static_cast<std::int64_t>(queue_.size() + reserved_);
}

bool StoreWriter::Reserve() {
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() + reserved_ >= options_.capacity) return false;
  ++reserved_;
  return true;
}

void StoreWriter::Submit(const std::string& symbol, bool intraday,
                         std::vector<engine::RunEvent> events, std::vector<bool> signals) {
  {
    std::lock_guard lock(mutex_);
    --reserved_;
    if (!events.empty()) {
      queue_.push_back(db::ServiceBatch{.key = key_prefix_ + std::to_string(++next_key_),
                                        .actor = options_.database.actor,
                                        .symbol = symbol,
                                        .timeframe = intraday ? "intraday" : "1d",
                                        .events = std::move(events),
                                        .signals = std::move(signals)});
    }
  }
  PublishPending();
  wake_.notify_one();
  idle_.notify_all();
}

bool StoreWriter::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && reserved_ == 0; });
}

std::int64_t StoreWriter::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

void StoreWriter::PublishPending() {
  std::int64_t pending = 0;
  {
    std::lock_guard lock(mutex_);
    for (const auto& b : queue_) pending += static_cast<std::int64_t>(b.events.size());
  }
  service_.SetPendingWrites(pending);
}

void StoreWriter::MarkDown(const Error& error) {
  if (error.message != last_error_) {
    std::cerr << "wyckoff serve: database: " << error.message << " (retrying)\n";
    last_error_ = error.message;
  }
  session_ = nullptr;
  database_.reset();
  service_.SetStoreState(StoreState::kDown);
  service_.CountError("database");
}

bool StoreWriter::EnsureSession() {
  if (session_ != nullptr) return true;
  database_ = std::make_unique<app::Database>(options_.database);
  auto session = database_->Session();
  if (!session) {
    MarkDown(session.error());
    return false;
  }
  session_ = *session;
  last_error_.clear();
  service_.SetStoreState(StoreState::kUp);
  return true;
}

void StoreWriter::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (queue_.empty()) {
      if (stopping_) return;
      const bool woken =
          wake_.wait_for(lock, options_.ping, [&] { return stopping_ || !queue_.empty(); });
      if (woken) continue;
      // Idle: check the connection, so that /readyz and wyckoff_database_up tell the truth.
      lock.unlock();
      if (EnsureSession()) {
        const auto start = Clock::now();
        auto alive = session_->Ping();
        service_.ObserveQuery("ping", Clock::now() - start);
        if (!alive) MarkDown(alive.error());
      }
      lock.lock();
      continue;
    }
    if (stopping_ && Clock::now() >= deadline_) return;
    const db::ServiceBatch* batch = &queue_.front();
    const bool check = front_failed_;
    lock.unlock();  // the front stays in the queue (only this thread pops) until it is stored
    bool done = false;
    if (EnsureSession()) {
      const auto start = Clock::now();
      auto stored = session_->StoreServiceBatch(*batch, check);
      service_.ObserveQuery("store_events", Clock::now() - start);
      if (stored) {
        done = true;
      } else {
        MarkDown(stored.error());
      }
    }
    lock.lock();
    if (done) {
      queue_.pop_front();
      front_failed_ = false;
      ++stored_;
      lock.unlock();
      PublishPending();
      idle_.notify_all();
      lock.lock();
    } else {
      front_failed_ = true;
      wake_.wait_for(lock, options_.retry, [&] { return stopping_ && Clock::now() >= deadline_; });
    }
  }
}

}  // namespace wyckoff::serve
