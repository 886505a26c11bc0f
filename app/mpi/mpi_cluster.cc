// libwyckoff-mpi.so: app::Cluster over Boost.MPI (Open MPI). app::JoinCluster loads this
// module only in a process started by an MPI launcher; it exports one symbol,
// wyckoff_cluster_driver (mpi.map).
//
// The protocol (tags below), all in MPI_COMM_WORLD; only each process's main thread calls MPI:
//   rank r > 0 -> 0   kHello    tasks, threads, fingerprint; or an error (Abandon)
//   0 -> rank r       kBatch    [begin, end): run these tasks
//   rank r > 0 -> 0   kResults  begin, end, the encoded results; then waits for the next batch
//   0 -> rank r       kStop     no more work (the answer to a hello or to results)
// Rank 0 answers every message from a loop that polls (MPI_Iprobe) and waits up to a
// millisecond between polls (kPoll), so that it leaves the CPU to the threads running its own
// batches. The other ranks block in MPI_Recv only between batches.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/status.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "wyckoff/app/cluster.h"

namespace wyckoff::app {
namespace {

namespace mpi = boost::mpi;

enum Tag : int { kHello = 1, kBatch = 2, kResults = 3, kStop = 4 };

// How long rank 0 waits between polls for messages when nothing happened (it wakes at once
// when its own batch is done). A batch's answer waits at most this long; a poll costs a few
// microseconds of CPU, so polling every millisecond costs under 1% of a core.
constexpr std::chrono::milliseconds kPoll{1};

// Little helpers for the messages' fixed headers (every rank runs the same program).
void PutU64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
std::uint64_t GetU64(std::string_view& in) {
  std::uint64_t v = 0;
  if (in.size() < sizeof v) return in = {}, 0;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return v;
}

void Send(const mpi::communicator& world, int dest, int tag, const std::string& bytes) {
  world.send(dest, tag, bytes.data(), static_cast<int>(bytes.size()));
}

// Receives the message `status` announced.
std::string Receive(const mpi::communicator& world, const mpi::status& status) {
  std::string bytes(static_cast<std::size_t>(status.count<char>().value_or(0)), '\0');
  world.recv(status.source(), status.tag(), bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

// What rank 0 says on stderr when the launcher stops it while ranks still hold work: the
// launcher ends every rank of a job when one of them dies. Async-signal-safe.
constexpr char kStopped[] =
    "error: the distributed run was stopped by its launcher before every rank returned its "
    "runs (a rank died or the job was cancelled; the launcher's message names it); no files "
    "were written\n";
extern "C" void OnStopped(int) {
  [[maybe_unused]] auto n = write(STDERR_FILENO, kStopped, sizeof kStopped - 1);
  _exit(1);
}

// Installs OnStopped for SIGTERM and SIGINT while it lives.
class StopNotice {
 public:
  StopNotice() {
    struct sigaction on {};
    on.sa_handler = OnStopped;
    sigemptyset(&on.sa_mask);
    sigaction(SIGTERM, &on, &term_);
    sigaction(SIGINT, &on, &int_);
  }
  ~StopNotice() {
    sigaction(SIGTERM, &term_, nullptr);
    sigaction(SIGINT, &int_, nullptr);
  }
  StopNotice(const StopNotice&) = delete;
  StopNotice& operator=(const StopNotice&) = delete;

 private:
  struct sigaction term_ {};
  struct sigaction int_ {};
};

// Test hook: WYCKOFF_MPI_FAULT=kill:R makes rank R kill itself (SIGKILL) when it receives its
// first batch, as a node that dies mid-run.
bool KillOnFirstBatch(int rank) {
  const char* fault = std::getenv("WYCKOFF_MPI_FAULT");
  return fault != nullptr && std::string(fault) == "kill:" + std::to_string(rank);
}

// The batches still to hand out, guided: each about its rank's share of half of what is left,
// and never fewer tasks than the rank has threads (nor more than remain).
class Batches {
 public:
  Batches(std::size_t tasks, std::size_t all_threads) : tasks_(tasks), all_threads_(all_threads) {}
  std::optional<std::pair<std::size_t, std::size_t>> Next(unsigned threads) {
    std::lock_guard lock(mutex_);
    if (stopped_ || next_ >= tasks_) return std::nullopt;
    const std::size_t left = tasks_ - next_;
    const std::size_t share = left * threads / (2 * std::max<std::size_t>(all_threads_, 1));
    const std::size_t size = std::min(left, std::max<std::size_t>(share, threads));
    const std::size_t begin = next_;
    next_ += size;
    return std::pair{begin, next_};
  }
  void Stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }

 private:
  std::mutex mutex_;
  std::size_t next_ = 0;
  const std::size_t tasks_;
  const std::size_t all_threads_;
  bool stopped_ = false;
};

class MpiCluster final : public Cluster {
 public:
  MpiCluster()
      : environment_(std::make_unique<mpi::environment>(mpi::threading::funneled, true)),
        rank_(world_.rank()),
        size_(world_.size()) {}
  ~MpiCluster() override { Finish(); }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Result<void> Coordinate(const ClusterWork& work, const TakeResults& take) override {
    settled_ = true;
    const StopNotice notice;
    const int n = size();
    std::optional<Error> error;
    auto fail = [&](Error e) {
      if (!error) error = std::move(e);
    };
    Batches batches(work.tasks, static_cast<std::size_t>(work.threads) * n);
    std::vector<unsigned> threads(n, work.threads);
    int stopped = 0;  // other ranks told to stop
    std::size_t taken = 0;
    // Rank 0's own batches, on a thread of their own; results come back through `done`.
    std::mutex mutex;
    std::deque<std::pair<std::pair<std::size_t, std::size_t>, std::string>> done;
    std::condition_variable ready;  // rank 0's own batch finished
    bool local_finished = false;
    std::thread local([&] {
      while (auto batch = batches.Next(work.threads)) {
        std::string bytes = work.run(batch->first, batch->second);
        std::lock_guard lock(mutex);
        done.emplace_back(*batch, std::move(bytes));
        ready.notify_one();
      }
      std::lock_guard lock(mutex);
      local_finished = true;
      ready.notify_one();
    });
    auto give = [&](std::size_t begin, std::size_t end, std::string_view bytes) {
      if (error) return;
      if (auto ok = take(begin, end, bytes); !ok) {
        fail(ok.error());
        batches.Stop();
        return;
      }
      taken += end - begin;
    };
    auto answer = [&](int source) {
      if (auto batch = error ? std::nullopt : batches.Next(threads[source])) {
        std::string header;
        PutU64(header, batch->first), PutU64(header, batch->second);
        Send(world_, source, kBatch, header);
        return;
      }
      Send(world_, source, kStop, {});
      ++stopped;
    };
    for (;;) {
      bool busy = false;
      std::deque<std::pair<std::pair<std::size_t, std::size_t>, std::string>> mine;
      {
        std::lock_guard lock(mutex);
        mine.swap(done);
      }
      for (auto& [batch, bytes] : mine) give(batch.first, batch.second, bytes), busy = true;
      if (auto status = world_.iprobe(mpi::any_source, mpi::any_tag)) {
        busy = true;
        const int source = status->source();
        const std::string message = Receive(world_, *status);
        std::string_view in = message;
        if (status->tag() == kHello) {
          const bool ok = GetU64(in) != 0;
          if (!ok) {
            const auto code = static_cast<ErrorCode>(GetU64(in));
            fail(Error{code, "rank " + std::to_string(source) + ": " + std::string(in)});
            batches.Stop();
          } else {
            const std::uint64_t tasks = GetU64(in);
            threads[source] = static_cast<unsigned>(std::max<std::uint64_t>(1, GetU64(in)));
            if (tasks != work.tasks || in != work.fingerprint) {
              fail(Error{ErrorCode::kInvalidArgument,
                         "rank " + std::to_string(source) + " planned " + std::to_string(tasks) +
                             " runs (fingerprint " + std::string(in) + "), rank 0 planned " +
                             std::to_string(work.tasks) + " (" + work.fingerprint +
                             "): do all ranks read the same data with the same options?"});
              batches.Stop();
            }
          }
        } else if (status->tag() == kResults) {
          const std::size_t begin = GetU64(in), end = GetU64(in);
          give(begin, end, in);
        }
        answer(source);
      }
      std::unique_lock lock(mutex);
      if (stopped == n - 1 && local_finished && done.empty()) break;
      if (!busy) ready.wait_for(lock, kPoll, [&] { return !done.empty(); });
    }
    local.join();
    if (error) return tl::unexpected(*error);
    if (taken != work.tasks) {
      return Fail(ErrorCode::kInvalidArgument, "the ranks returned " + std::to_string(taken) +
                                                   " of " + std::to_string(work.tasks) + " runs");
    }
    return {};
  }

  Result<void> Serve(const ClusterWork& work) override {
    settled_ = true;
    std::string hello;
    PutU64(hello, 1), PutU64(hello, work.tasks), PutU64(hello, work.threads);
    hello += work.fingerprint;
    Send(world_, 0, kHello, hello);
    const bool kill = KillOnFirstBatch(rank());
    for (;;) {
      const mpi::status status = world_.probe(0, mpi::any_tag);
      const std::string message = Receive(world_, status);
      if (status.tag() == kStop) return {};
      std::string_view in = message;
      const std::size_t begin = GetU64(in), end = GetU64(in);
      if (kill) raise(SIGKILL);
      std::string results;
      PutU64(results, begin), PutU64(results, end);
      results += work.run(begin, end);
      Send(world_, 0, kResults, results);
    }
  }

  void Abandon(const Error& why) override {
    if (settled_) return;
    settled_ = true;
    if (rank() != 0) {
      std::string hello;
      PutU64(hello, 0), PutU64(hello, static_cast<std::uint64_t>(why.code));
      hello += why.message;
      Send(world_, 0, kHello, hello);
      (void)Receive(world_, world_.probe(0, kStop));
      return;
    }
    // Rank 0: every other rank says hello once (and sends nothing else before an answer).
    for (int i = 1; i < size(); ++i) {
      const mpi::status status = world_.probe(mpi::any_source, kHello);
      (void)Receive(world_, status);
      Send(world_, status.source(), kStop, {});
    }
  }

  void Finish() override {
    settled_ = true;
    environment_.reset();
  }

 private:
  std::unique_ptr<mpi::environment> environment_;
  mpi::communicator world_;
  const int rank_, size_;
  bool settled_ = false;
};

class MpiDriver final : public ClusterDriver {
 public:
  Result<std::unique_ptr<Cluster>> Join() const override {
    if (mpi::environment::initialized()) {
      return Fail(ErrorCode::kInvalidArgument, "MPI was already initialised in this process");
    }
    return std::make_unique<MpiCluster>();
  }
};

}  // namespace
}  // namespace wyckoff::app

extern "C" const wyckoff::app::ClusterDriver* wyckoff_cluster_driver() {
  static const wyckoff::app::MpiDriver driver;
  return &driver;
}
