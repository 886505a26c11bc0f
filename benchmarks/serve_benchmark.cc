// The service under load, as a benchmark: an in-process server (serve::RunServer, 2 threads)
// on a free loopback port, 100 symbols each warmed up with 250 bars of ORCL, then 50 rounds of
// one post of one bar per symbol, sent by 4 client threads over kept-alive connections. One
// iteration is one round of 100 posts; the counters are the latency of single posts (sent to
// answered): mean_ns, p95_ns, max_ns, and the error count (any answer but 200). The seed's
// budgets for 100 symbols (average < 2 s, p95 < 5 s) are the floors in budgets.json; our
// targets are far tighter. `scripts/load-test.sh` is the sustained, paced version.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "wyckoff/detectors/params.h"
#include "wyckoff/serve/http_client.h"
#include "wyckoff/serve/server.h"
#include "wyckoff/serve/service.h"

namespace {

using namespace wyckoff;
using Clock = std::chrono::steady_clock;

constexpr int kSymbols = 100;
constexpr int kClients = 4;
constexpr std::size_t kWarmUp = 250;

std::vector<std::string> OrclRows(std::string& header) {
  std::ifstream in(std::string(WYCKOFF_SOURCE_DIR) + "/data/daily/orcl-1995-2014.csv");
  std::vector<std::string> rows;
  std::getline(in, header);
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  return rows;
}

void BM_Serve_100Symbols(benchmark::State& state) {
  std::string header;
  const std::vector<std::string> rows = OrclRows(header);
  if (rows.size() < kWarmUp + 100) {
    state.SkipWithError("data/daily/orcl-1995-2014.csv is missing");
    return;
  }
  serve::ServiceOptions options;
  options.params = detectors::ToDetectorParams(detectors::DetectorSchema().Defaults());
  serve::Service service(options);
  std::promise<unsigned short> port;
  std::thread server([&] {
    auto ran = serve::RunServer(
        service, {.host = "127.0.0.1", .port = 0, .threads = 2}, [&](const std::string& address) {
          port.set_value(
              static_cast<unsigned short>(std::stoi(address.substr(address.rfind(':') + 1))));
        });
    if (!ran) port.set_value(0);
  });
  const unsigned short p = port.get_future().get();
  if (p == 0) {
    server.join();
    state.SkipWithError("the server did not start");
    return;
  }
  std::vector<std::unique_ptr<serve::HttpClient>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(
        std::move(*serve::HttpClient::Connect("127.0.0.1", p, std::chrono::seconds(30))));
  }
  auto name = [](int s) { return "S" + std::to_string(s); };
  std::string warm = header + "\n";
  for (std::size_t i = 0; i < kWarmUp; ++i) warm += rows[i] + "\n";
  for (int s = 0; s < kSymbols; ++s) clients[0]->Send("POST", "/v1/bars/" + name(s), warm);

  std::size_t next = kWarmUp;  // the row every symbol posts in this round
  std::vector<std::vector<double>> samples(kClients);
  std::atomic<int> errors{0};
  for (auto _ : state) {
    if (next == rows.size()) {
      state.PauseTiming();
      state.SkipWithError("ran out of ORCL rows");
      state.ResumeTiming();
      break;
    }
    const std::string body = header + "\n" + rows[next++] + "\n";
    std::vector<std::thread> senders;
    for (int c = 0; c < kClients; ++c) {
      senders.emplace_back([&, c] {
        for (int s = c; s < kSymbols; s += kClients) {
          const auto start = Clock::now();
          auto a = clients[static_cast<std::size_t>(c)]->Send("POST", "/v1/bars/" + name(s), body);
          samples[static_cast<std::size_t>(c)].push_back(
              std::chrono::duration<double, std::nano>(Clock::now() - start).count());
          if (!a || a->status != 200) ++errors;
        }
      });
    }
    for (auto& t : senders) t.join();
  }
  std::raise(SIGTERM);  // the server drains and returns
  server.join();
  std::vector<double> all;
  for (const auto& s : samples) all.insert(all.end(), s.begin(), s.end());
  std::sort(all.begin(), all.end());
  if (all.empty()) return;
  state.counters["mean_ns"] =
      std::accumulate(all.begin(), all.end(), 0.0) / static_cast<double>(all.size());
  state.counters["p95_ns"] =
      all[static_cast<std::size_t>(0.95 * static_cast<double>(all.size() - 1))];
  state.counters["max_ns"] = all.back();
  state.counters["errors"] = errors.load();
  state.counters["posts_per_second"] =
      benchmark::Counter(static_cast<double>(all.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Serve_100Symbols)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(50);

}  // namespace
