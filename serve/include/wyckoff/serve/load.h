// `wyckoff load`: a bounded load generator for `wyckoff serve`. Each of `symbols` virtual
// symbols replays the bars of one of the files (symbol i the file i mod n, as LOAD000,
// LOAD001, ...) to the service: every `interval` it posts its next `bars_per_request` bars,
// after a first post of `warmup_bars`. It talks to loopback only, and stops by itself after
// `duration`, `max_requests`, or when every file is replayed.
//
//   Result<LoadOutcome> outcome = RunLoad({.port = 8080, .symbols = 100, .data = {"orcl.csv"}});
//   // outcome->latency.p95, outcome->errors, outcome->bars_per_second
//
// With `windows` > 1 (sustained mode) the run is cut in that many windows; after each it reads
// the service's /metrics (process_resident_memory_bytes, process_threads) and the window's
// latency, and `flat` says whether memory, threads and latency stayed level.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::serve {

struct LoadOptions {
  std::string host = "127.0.0.1";  // a loopback address
  unsigned short port = 8080;
  int symbols = 100;
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds duration{300'000};
  std::vector<std::string> data;  // CSV bar files to replay
  int bars_per_request = 1;
  int warmup_bars = 0;  // the first post of each symbol carries this many bars (0: as the rest)
  int connections = 8;  // requests in flight at most
  std::string token;    // sent as `Authorization: Bearer TOKEN` when not empty
  std::int64_t max_requests = 1'000'000;
  int windows = 1;  // > 1: sustained mode
  std::chrono::milliseconds timeout{10'000};
};

struct LatencySummary {
  std::int64_t count = 0;
  double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;  // seconds
};

struct LoadWindow {
  double end = 0;  // seconds since the start
  std::int64_t requests = 0;
  std::int64_t errors = 0;
  LatencySummary latency;
  double resident_bytes = 0;  // the service's, at the window's end
  double threads = 0;
};

struct LoadOutcome {
  std::int64_t requests = 0;
  std::int64_t errors = 0;  // transport failures and answers other than 200
  std::int64_t bars = 0;    // bars the service accepted
  std::int64_t late = 0;    // posts skipped because the symbol's previous one was not answered
  double elapsed = 0;       // seconds
  double requests_per_second = 0;
  double bars_per_second = 0;
  double error_rate = 0;
  LatencySummary latency;     // per request
  LatencySummary per_symbol;  // over symbols: each symbol's total processing time per tick
  std::map<int, std::int64_t> statuses;  // 0: transport failure
  std::string first_error;
  std::vector<LoadWindow> windows;
  bool flat = true;  // sustained mode: memory, threads and latency stayed level
  std::string not_flat;
};

// Errors: a host that is not a loopback address, a bad file, no service at host:port.
Result<LoadOutcome> RunLoad(const LoadOptions& options);

// Nearest-rank percentile of `sorted` (ascending), p in [0, 100]; 0 when empty.
double Percentile(const std::vector<double>& sorted, double p);

}  // namespace wyckoff::serve
