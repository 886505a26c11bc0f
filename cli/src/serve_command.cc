// `wyckoff serve` and `wyckoff load`: flags to a serve::Service, a server and a load run; the
// ready line and the load report.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "sources.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/serve/load.h"
#include "wyckoff/serve/server.h"
#include "wyckoff/serve/service.h"
#include "wyckoff/serve/store_writer.h"

namespace wyckoff::cli {
namespace {

struct HostPort {
  std::string host;
  unsigned short port = 0;
};

// HOST:PORT or [IPv6]:PORT.
Result<HostPort> ParseHostPort(const std::string& flag, const std::string& text) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                flag + ": expected HOST:PORT such as 127.0.0.1:8080, got " + Quoted(text));
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return bad();
  std::string host = text.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']') return bad();
    host = host.substr(1, host.size() - 2);
  }
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return Fail(ErrorCode::kInvalidArgument,
                flag + ": the port " + Quoted(port) + " is not a number from 0 to 65535");
  }
  return HostPort{host, static_cast<unsigned short>(std::stoi(port))};
}

// 500ms, 30s, 5m, 1h.
Result<std::chrono::milliseconds> ParseDuration(const std::string& flag, const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  long long factor = unit == "ms"  ? 1
                     : unit == "s" ? 1000
                     : unit == "m" ? 60'000
                     : unit == "h" ? 3'600'000
                                   : 0;
  if (digits == 0 || digits > 9 || factor == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                flag + ": expected a duration such as 500ms, 30s, 5m or 1h, got " + Quoted(text));
  }
  const long long value = std::stoll(text.substr(0, digits)) * factor;
  if (value == 0) return Fail(ErrorCode::kInvalidArgument, flag + ": the duration must be above 0");
  return std::chrono::milliseconds(value);
}

// The token of --token-file: its first line, without surrounding spaces.
Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kInvalidArgument,
                "--token-file: " + EscapeControl(path) + ": cannot read: " + std::strerror(errno));
  }
  std::string line;
  std::getline(in, line);
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "--token-file: " + EscapeControl(path) + ": the first line holds no token");
  }
  return line.substr(first, last - first + 1);
}

std::string Millis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", seconds * 1e3);
  return buf;
}

nlohmann::ordered_json LatencyJson(const serve::LatencySummary& s) {
  return {{"count", s.count},      {"mean_ms", s.mean * 1e3}, {"p50_ms", s.p50 * 1e3},
          {"p95_ms", s.p95 * 1e3}, {"p99_ms", s.p99 * 1e3},   {"max_ms", s.max * 1e3}};
}

}  // namespace

int RunServe(const ServeOptions& o) {
  auto listen = ParseHostPort("--listen", o.listen);
  if (!listen) return ReportError(listen.error());
  auto timeout = ParseDuration("--timeout", o.timeout);
  if (!timeout) return ReportError(timeout.error());
  ParamValues params = detectors::DetectorSchema().Defaults();
  if (auto ok = ApplySettings(params, o.params); !ok) return ReportError(ok.error());
  if (auto ok = detectors::DetectorSchema().Check(params); !ok) return ReportError(ok.error());
  serve::ServiceOptions service_options;
  service_options.params = detectors::ToDetectorParams(params);
  if (!o.token_file.empty()) {
    auto token = ReadToken(o.token_file);
    if (!token) return ReportError(token.error());
    service_options.token = std::move(*token);
  }
  service_options.rules.allow_nonpositive_prices = o.allow_nonpositive_prices;
  service_options.max_symbols = o.max_symbols;
  serve::Service service(std::move(service_options));
  std::unique_ptr<serve::StoreWriter> writer;
  if (o.db_given) {
    auto retry = ParseDuration("--db-retry", o.db_retry);
    if (!retry) return ReportError(retry.error());
    writer = std::make_unique<serve::StoreWriter>(
        service, serve::StoreWriterOptions{.database = {.url = o.db, .actor = o.actor},
                                           .capacity = static_cast<std::size_t>(o.db_queue),
                                           .retry = *retry});
    if (auto ok = writer->Start(); !ok) return ReportError(ok.error());
    service.SetEventSink(writer.get());
  }
  serve::ServerOptions server{.host = listen->host,
                              .port = listen->port,
                              .threads = o.threads,
                              .body_limit = static_cast<std::size_t>(o.max_body),
                              .timeout = *timeout,
                              .max_connections = o.max_connections};
  auto ran = serve::RunServer(service, server, [](const std::string& address) {
    std::cout << "wyckoff serve: listening on http://" << address << std::endl;
  });
  if (!ran) return ReportError(ran.error());
  if (writer) {
    // What is queued is written before exiting; a database that stays down 30 s loses it.
    const std::int64_t lost = writer->Close(std::chrono::seconds(30));
    if (lost > 0) {
      std::cerr << "error: the database stayed unreachable: the events of " << lost
                << " posts were not stored\n";
      return kExitFailure;
    }
  }
  std::cerr << "wyckoff serve: stopped\n";
  return kExitOk;
}

int RunLoad(const LoadOptions& o) {
  auto service = ParseHostPort("--service", o.service);
  if (!service) return ReportError(service.error());
  serve::LoadOptions options;
  options.host = service->host;
  options.port = service->port;
  options.symbols = o.symbols;
  auto interval = ParseDuration("--interval", o.interval);
  if (!interval) return ReportError(interval.error());
  auto duration = ParseDuration("--duration", o.duration);
  if (!duration) return ReportError(duration.error());
  auto timeout = ParseDuration("--timeout", o.timeout);
  if (!timeout) return ReportError(timeout.error());
  options.interval = *interval;
  options.duration = *duration;
  options.timeout = *timeout;
  options.data = o.data;
  options.bars_per_request = o.bars_per_request;
  options.warmup_bars = o.warmup_bars;
  options.connections = o.connections;
  options.max_requests = o.max_requests;
  options.windows = o.sustained ? o.windows : 1;
  if (!o.token_file.empty()) {
    auto token = ReadToken(o.token_file);
    if (!token) return ReportError(token.error());
    options.token = std::move(*token);
  }
  auto outcome = serve::RunLoad(options);
  if (!outcome) return ReportError(outcome.error());
  const serve::LoadOutcome& r = *outcome;
  // The seed's budgets for 100 symbols: average under 2 s, p95 under 5 s, errors under 1%.
  std::string failed;
  if (r.latency.mean >= 2.0)
    failed = "average latency " + Millis(r.latency.mean) + " ms is not under 2 s";
  if (r.latency.p95 >= 5.0)
    failed = "p95 latency " + Millis(r.latency.p95) + " ms is not under 5 s";
  if (r.error_rate >= 0.01) {
    failed = "error rate " + std::to_string(r.error_rate * 100) +
             "% is not under 1% (first: " + r.first_error + ")";
  }
  if (r.requests == 0) failed = "no request was made";
  if (!r.flat) failed = "the sustained run did not stay level: " + r.not_flat;
  if (o.json) {
    nlohmann::ordered_json j;
    j["symbols"] = o.symbols;
    j["requests"] = r.requests;
    j["errors"] = r.errors;
    j["error_rate"] = r.error_rate;
    j["bars"] = r.bars;
    j["late"] = r.late;
    j["elapsed_s"] = r.elapsed;
    j["requests_per_second"] = r.requests_per_second;
    j["bars_per_second"] = r.bars_per_second;
    j["latency"] = LatencyJson(r.latency);
    j["per_symbol"] = LatencyJson(r.per_symbol);
    nlohmann::ordered_json statuses = nlohmann::ordered_json::object();
    for (const auto& [status, count] : r.statuses) statuses[std::to_string(status)] = count;
    j["statuses"] = statuses;
    nlohmann::ordered_json windows = nlohmann::ordered_json::array();
    for (const auto& w : r.windows) {
      windows.push_back({{"end_s", w.end},
                         {"requests", w.requests},
                         {"errors", w.errors},
                         {"latency", LatencyJson(w.latency)},
                         {"resident_bytes", w.resident_bytes},
                         {"threads", w.threads}});
    }
    j["windows"] = windows;
    j["flat"] = r.flat;
    j["passed"] = failed.empty();
    std::cout << j.dump(2) << "\n";
  } else {
    std::printf(
        "%lld requests from %d symbols in %.1f s: %.1f requests/s, %.1f bars/s, %lld "
        "errors (%.3f%%), %lld late\n",
        static_cast<long long>(r.requests), o.symbols, r.elapsed, r.requests_per_second,
        r.bars_per_second, static_cast<long long>(r.errors), r.error_rate * 100,
        static_cast<long long>(r.late));
    std::printf("latency per request (ms): mean %s  p50 %s  p95 %s  p99 %s  max %s\n",
                Millis(r.latency.mean).c_str(), Millis(r.latency.p50).c_str(),
                Millis(r.latency.p95).c_str(), Millis(r.latency.p99).c_str(),
                Millis(r.latency.max).c_str());
    std::printf("per symbol, mean of its requests (ms): p50 %s  p95 %s  max %s\n",
                Millis(r.per_symbol.p50).c_str(), Millis(r.per_symbol.p95).c_str(),
                Millis(r.per_symbol.max).c_str());
    for (const auto& w : r.windows) {
      std::printf(
          "window to %7.1f s: %lld requests, %lld errors, p95 %s ms, RSS %.1f MB, %.0f "
          "threads\n",
          w.end, static_cast<long long>(w.requests), static_cast<long long>(w.errors),
          Millis(w.latency.p95).c_str(), w.resident_bytes / 1e6, w.threads);
    }
    std::fflush(stdout);
  }
  if (!failed.empty()) {
    std::cerr << "error: " << failed << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace wyckoff::cli
