#include "wyckoff/serve/load.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <numeric>
#include <thread>

#include "wyckoff/engine/bar_source.h"
#include "wyckoff/serve/http_client.h"

namespace wyckoff::serve {
namespace {

using Clock = std::chrono::steady_clock;

// A file's header and its bar rows as written (validated by the CSV reader first).
struct Replay {
  std::string header;
  std::vector<std::string> rows;
};

Result<Replay> ReadReplay(const std::string& path) {
  auto source = engine::CsvBarSource::Open(path, {});
  if (!source) return tl::unexpected(source.error());
  auto bars = engine::ReadAll(**source);
  if (!bars) return tl::unexpected(bars.error());
  std::ifstream in(path, std::ios::binary);
  Replay replay;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (replay.header.empty()) {
      replay.header = line;
    } else {
      replay.rows.push_back(std::move(line));
    }
  }
  if (replay.rows.size() != bars->size()) {
    return Fail(ErrorCode::kInvalidArgument,
                EscapeControl(path) + ": has line ends inside fields; cannot replay it row by row");
  }
  return replay;
}

LatencySummary Summarize(std::vector<double> seconds) {
  LatencySummary s;
  if (seconds.empty()) return s;
  std::sort(seconds.begin(), seconds.end());
  s.count = static_cast<std::int64_t>(seconds.size());
  s.mean = std::accumulate(seconds.begin(), seconds.end(), 0.0) / static_cast<double>(s.count);
  s.p50 = Percentile(seconds, 50);
  s.p95 = Percentile(seconds, 95);
  s.p99 = Percentile(seconds, 99);
  s.max = seconds.back();
  return s;
}

// The value of an unlabelled sample `name` in a Prometheus text exposition, or -1.
double Sample(const std::string& text, const std::string& name) {
  std::size_t at = 0;
  while ((at = text.find(name + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n')
      return std::strtod(text.c_str() + at + name.size(), nullptr);
    at += name.size();
  }
  return -1;
}

struct Job {
  int symbol = 0;
  std::string body;
  std::int64_t bars = 0;
};

}  // namespace

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const std::size_t index = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

Result<LoadOutcome> RunLoad(const LoadOptions& o) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(o.host, ec);
  if (ec || !address.is_loopback()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the host " + Quoted(o.host) + " is not a loopback address (127.0.0.1 or ::1)");
  }
  if (o.data.empty()) return Fail(ErrorCode::kInvalidArgument, "no bar files to replay");
  std::vector<Replay> replays;
  for (const auto& path : o.data) {
    auto replay = ReadReplay(path);
    if (!replay) return tl::unexpected(replay.error());
    replays.push_back(std::move(*replay));
  }
  {
    auto probe = HttpClient::Connect(o.host, o.port, o.timeout);
    if (!probe) return tl::unexpected(probe.error());
  }
  std::vector<std::pair<std::string, std::string>> headers;
  if (!o.token.empty()) headers.emplace_back("Authorization", "Bearer " + o.token);

  const int symbols = o.symbols;
  std::vector<std::size_t> next_row(static_cast<std::size_t>(symbols), 0);
  std::vector<char> in_flight(static_cast<std::size_t>(symbols), 0);
  std::vector<std::vector<double>> symbol_latency(static_cast<std::size_t>(symbols));
  std::vector<double> window_latency;
  std::vector<double> all_latency;
  std::int64_t window_requests = 0, window_errors = 0;
  LoadOutcome out;

  std::mutex mutex;
  std::condition_variable wake, done_cv;
  std::deque<Job> queue;
  bool stopping = false;
  int busy = 0;

  auto name = [](int i) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "LOAD%03d", i);
    return std::string(buf);
  };

  auto worker = [&] {
    auto client = HttpClient::Connect(o.host, o.port, o.timeout);
    while (true) {
      Job job;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;
        job = std::move(queue.front());
        queue.pop_front();
        ++busy;
      }
      const auto start = Clock::now();
      Result<HttpAnswer> answer =
          client ? (*client)->Send("POST", "/v1/bars/" + name(job.symbol), job.body, headers)
                 : Result<HttpAnswer>(tl::unexpected(client.error()));
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      std::lock_guard lock(mutex);
      --busy;
      in_flight[static_cast<std::size_t>(job.symbol)] = 0;
      ++out.requests;
      ++window_requests;
      const int status = answer ? answer->status : 0;
      ++out.statuses[status];
      if (status == 200) {
        out.bars += job.bars;
        all_latency.push_back(seconds);
        window_latency.push_back(seconds);
        symbol_latency[static_cast<std::size_t>(job.symbol)].push_back(seconds);
      } else {
        ++out.errors;
        ++window_errors;
        if (out.first_error.empty()) {
          out.first_error =
              answer ? std::to_string(status) + " " + answer->body : answer.error().message;
          while (!out.first_error.empty() && out.first_error.back() == '\n') {
            out.first_error.pop_back();
          }
        }
      }
      done_cv.notify_all();
    }
  };

  std::vector<std::thread> pool;
  for (int i = 0; i < std::max(1, o.connections); ++i) pool.emplace_back(worker);

  auto metrics_client = HttpClient::Connect(o.host, o.port, o.timeout);
  const auto begin = Clock::now();
  const int windows = std::max(1, o.windows);
  const auto window_length = o.duration / windows;
  int window = 0;
  auto next_window = begin + window_length;
  bool exhausted = false;
  std::int64_t scheduled = 0;
  for (std::int64_t tick = 0;; ++tick) {
    const auto tick_time = begin + tick * o.interval;
    if (tick_time - begin >= o.duration || exhausted || scheduled >= o.max_requests) break;
    std::this_thread::sleep_until(tick_time);
    {
      std::lock_guard lock(mutex);
      exhausted = true;
      for (int s = 0; s < symbols && scheduled < o.max_requests; ++s) {
        const Replay& replay = replays[static_cast<std::size_t>(s) % replays.size()];
        std::size_t& row = next_row[static_cast<std::size_t>(s)];
        if (row >= replay.rows.size()) continue;
        exhausted = false;
        if (in_flight[static_cast<std::size_t>(s)]) {
          ++out.late;
          continue;
        }
        const std::size_t take = static_cast<std::size_t>(
            row == 0 && o.warmup_bars > 0 ? o.warmup_bars : o.bars_per_request);
        const std::size_t end = std::min(replay.rows.size(), row + take);
        Job job{s, replay.header + "\n", static_cast<std::int64_t>(end - row)};
        for (; row < end; ++row) job.body += replay.rows[row] + "\n";
        in_flight[static_cast<std::size_t>(s)] = 1;
        queue.push_back(std::move(job));
        ++scheduled;
      }
    }
    wake.notify_all();
    // Sustained mode: at each window's end, the window's figures and the service's own.
    const auto next_tick = begin + (tick + 1) * o.interval;
    if (windows > 1 && next_tick >= next_window && window < windows) {
      {
        std::unique_lock lock(mutex);
        done_cv.wait(lock, [&] { return queue.empty() && busy == 0; });
      }
      LoadWindow w;
      w.end = std::chrono::duration<double>(Clock::now() - begin).count();
      {
        std::lock_guard lock(mutex);
        w.requests = window_requests;
        w.errors = window_errors;
        w.latency = Summarize(std::move(window_latency));
        window_latency.clear();
        window_requests = window_errors = 0;
      }
      if (metrics_client) {
        if (auto m = (*metrics_client)->Send("GET", "/metrics"); m && m->status == 200) {
          w.resident_bytes = Sample(m->body, "process_resident_memory_bytes");
          w.threads = Sample(m->body, "process_threads");
        }
      }
      out.windows.push_back(w);
      ++window;
      next_window += window_length;
    }
  }
  {
    std::unique_lock lock(mutex);
    done_cv.wait(lock, [&] { return queue.empty() && busy == 0; });
    stopping = true;
  }
  wake.notify_all();
  for (auto& t : pool) t.join();
  out.elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  out.requests_per_second = out.elapsed > 0 ? static_cast<double>(out.requests) / out.elapsed : 0;
  out.bars_per_second = out.elapsed > 0 ? static_cast<double>(out.bars) / out.elapsed : 0;
  out.error_rate =
      out.requests > 0 ? static_cast<double>(out.errors) / static_cast<double>(out.requests) : 0;
  out.latency = Summarize(all_latency);
  std::vector<double> per_symbol;
  for (const auto& l : symbol_latency) {
    if (!l.empty()) {
      per_symbol.push_back(std::accumulate(l.begin(), l.end(), 0.0) /
                           static_cast<double>(l.size()));
    }
  }
  out.per_symbol = Summarize(std::move(per_symbol));
  // Level: the last window against the first (the first after the warm-up posts when there are
  // three or more windows).
  if (out.windows.size() >= 2) {
    const LoadWindow& first = out.windows[out.windows.size() >= 3 ? 1 : 0];
    const LoadWindow& last = out.windows.back();
    char why[256];
    if (last.threads != first.threads) {
      std::snprintf(why, sizeof why, "threads went from %.0f to %.0f", first.threads, last.threads);
      out.flat = false;
    } else if (last.resident_bytes > first.resident_bytes * 1.2 + 16e6) {
      std::snprintf(why, sizeof why, "resident memory grew from %.1f MB to %.1f MB",
                    first.resident_bytes / 1e6, last.resident_bytes / 1e6);
      out.flat = false;
    } else if (last.latency.p95 > 2 * first.latency.p95 + 0.001) {
      std::snprintf(why, sizeof why, "p95 latency grew from %.3f ms to %.3f ms",
                    first.latency.p95 * 1e3, last.latency.p95 * 1e3);
      out.flat = false;
    }
    if (!out.flat) out.not_flat = why;
  }
  return out;
}

}  // namespace wyckoff::serve
