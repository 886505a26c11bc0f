#include "wyckoff/engine/prefetch_source.h"

namespace wyckoff::engine {

PrefetchingBarSource::PrefetchingBarSource(std::unique_ptr<BarSource> source)
    : source_(std::move(source)), intraday_(source_->intraday()) {
  current_.bars.reserve(kBatch);
  reader_ = std::thread([this] { Read(); });
}

PrefetchingBarSource::~PrefetchingBarSource() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  reader_.join();
}

void PrefetchingBarSource::Read() {
  Batch batch;
  while (true) {
    batch.bars.clear();
    batch.bars.reserve(kBatch);
    Bar bar;
    while (batch.bars.size() < kBatch) {
      Result<bool> got = source_->Next(bar);
      if (!got) {
        batch.error = got.error();
        batch.last = true;
        break;
      }
      if (!*got) {
        batch.last = true;
        break;
      }
      batch.bars.push_back(bar);
    }
    batch.intraday = source_->intraday();
    batch.progress = source_->progress();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return stop_ || !ready_.has_value(); });
    if (stop_) break;
    const bool last = batch.last;
    ready_.emplace(std::move(batch));
    batch = Batch{};
    changed_.notify_all();
    if (last) break;
  }
}

void PrefetchingBarSource::TakeBatch() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return ready_.has_value(); });
  current_ = std::move(*ready_);
  ready_.reset();
  changed_.notify_all();
  next_ = 0;
  intraday_ = current_.intraday;
}

Result<bool> PrefetchingBarSource::Next(Bar& bar) {
  while (next_ == current_.bars.size()) {
    if (done_) return false;
    if (current_.last) {
      done_ = true;
      if (current_.error) return tl::unexpected(*current_.error);
      return false;
    }
    TakeBatch();
  }
  bar = current_.bars[next_++];
  return true;
}

std::int64_t PrefetchingBarSource::skipped_rows() const {
  // Read once the reader has finished (the engine asks at the end of the run).
  return done_ ? source_->skipped_rows() : 0;
}

const std::string& PrefetchingBarSource::first_skip_reason() const {
  return done_ ? source_->first_skip_reason() : BarSource::first_skip_reason();
}

}  // namespace wyckoff::engine
