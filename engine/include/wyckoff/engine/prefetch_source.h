// PrefetchingBarSource: reads another source on its own thread, a batch of bars ahead, so that
// parsing a file and running the engine use two cores.
//
//   std::unique_ptr<BarSource> source = std::make_unique<PrefetchingBarSource>(std::move(csv));
//   engine.Run(...);                     // the same bars, the same errors, in the same order
//
// The bars, errors and skipped-row counts are exactly the wrapped source's: the reader thread
// stops at the first error, and the consumer sees that error after the bars before it. Memory:
// two batches of kBatch bars. The thread ends when the source is exhausted, fails, or is
// destroyed.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {

class PrefetchingBarSource final : public BarSource {
 public:
  static constexpr std::size_t kBatch = 4096;

  explicit PrefetchingBarSource(std::unique_ptr<BarSource> source);
  ~PrefetchingBarSource() override;
  PrefetchingBarSource(const PrefetchingBarSource&) = delete;
  PrefetchingBarSource& operator=(const PrefetchingBarSource&) = delete;

  Result<bool> Next(Bar& bar) override;
  bool intraday() const override { return intraday_; }
  std::int64_t skipped_rows() const override;
  const std::string& first_skip_reason() const override;
  // The wrapped source's, as of the batch being consumed (the reader is a batch or two ahead).
  ReadProgress progress() const override { return current_.progress; }

 private:
  struct Batch {
    std::vector<Bar> bars;
    ReadProgress progress;  // the source's after these bars
    bool intraday = false;
    bool last = false;           // the source ended (or failed) after these bars
    std::optional<Error> error;  // the failure after these bars
  };
  void Read();  // the reader thread
  void TakeBatch();

  std::unique_ptr<BarSource> source_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Batch> ready_;  // filled by the reader, taken by the consumer
  bool stop_ = false;
  Batch current_;  // the consumer's batch
  std::size_t next_ = 0;
  bool done_ = false;
  bool intraday_ = false;
  std::thread reader_;
};

}  // namespace wyckoff::engine
