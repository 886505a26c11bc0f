#include "wyckoff/serve/service.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <vector>

#include "process_metrics.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/report/report.h"
#include "wyckoff/strategies/pattern_scan.h"

namespace wyckoff::serve {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

// Every event type events.csv can list, in the enum's order (detectors::EventType).
constexpr int kEventTypes = static_cast<int>(detectors::EventType::kLastPointOfSupply) + 1;

// Per bar: buckets from 1 us to 2.5 s around NFR1's budget of 1 s per bar.
const prometheus::Histogram::BucketBoundaries kBarBuckets = {
    1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 2.5};
// Requests and database queries: 100 us to 10 s (the database alert is at 200 ms).
const prometheus::Histogram::BucketBoundaries kRequestBuckets = {
    1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10};
// Batch runs: 1 ms to 10 minutes.
const prometheus::Histogram::BucketBoundaries kRunBuckets = {0.001, 0.01, 0.1, 0.5, 1,   2.5,
                                                             5,     10,   30,  60,  300, 600};

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

// A trade signal the detectors gave that is still open: neither its stop nor its target was
// reached by a later bar.
struct ActiveSignal {
  bool is_long = true;
  double stop = 0;
  double target = 0;
};

struct SymbolState {
  SymbolState(const detectors::DetectorParams& params, std::string symbol)
      : name(symbol), scanner(params, std::move(symbol), 0) {}
  std::mutex mutex;
  std::string name;
  strategies::SymbolScanner scanner;
  std::vector<engine::RunEvent> events;
  std::vector<std::size_t> signals;  // indices into events of the trade signals
  std::vector<ActiveSignal> active;
  Bar last;
  bool has_last = false;
  bool intraday = false;
  std::int64_t bars = 0;
};

bool IsSymbolChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == '^' || c == '=';
}

// Empty when `symbol` is an acceptable name, else why not.
std::string SymbolProblem(std::string_view symbol) {
  if (symbol.empty()) return "the symbol is empty";
  if (symbol.size() > 32) return "symbol " + Quoted(symbol) + " is longer than 32 characters";
  for (char c : symbol) {
    if (!IsSymbolChar(c)) {
      return "symbol " + Quoted(symbol) + " has a character other than A-Z a-z 0-9 . - _ ^ =";
    }
  }
  return "";
}

// Equal in time that depends on the lengths only, not on where the texts differ.
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0;
}

std::string Significant(double v) {
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The fields of an events.csv row, as that file writes them.
Json EventJson(const std::string& symbol, const engine::RunEvent& e, bool intraday) {
  Json j;
  j["symbol"] = symbol;
  j["type"] = e.type;
  j["pattern_time"] = FormatTimestamp(e.pattern_time, !intraday);
  j["confirm_time"] = FormatTimestamp(e.confirm_time, !intraday);
  j["level"] = Significant(e.level);
  j["confidence"] = Significant(e.confidence);
  for (const auto& [name, value] : e.details) j[name] = value.Text();
  return j;
}

Response JsonAnswer(int status, const Json& body, std::string route) {
  return {status, "application/json", body.dump() + "\n", std::move(route)};
}

Response ErrorAnswer(int status, std::string message, std::string route) {
  return JsonAnswer(status, Json{{"error", std::move(message)}}, std::move(route));
}

}  // namespace

struct Service::Impl {
  explicit Impl(ServiceOptions o)
      : options(std::move(o)),
        params(options.params),
        registry(std::make_shared<prometheus::Registry>()) {
    auto& bars_family = prometheus::BuildCounter()
                            .Name("wyckoff_bars_processed_total")
                            .Help("Bars run through the detectors")
                            .Register(*registry);
    bars_processed = &bars_family.Add({});
    auto& latency = prometheus::BuildHistogram()
                        .Name("wyckoff_signal_generation_duration_seconds")
                        .Help("Time to run one bar through the detectors (NFR1: under 1 s)")
                        .Register(*registry);
    signal_latency = &latency.Add({}, kBarBuckets);
    auto& detections = prometheus::BuildCounter()
                           .Name("wyckoff_pattern_detections_total")
                           .Help("Pattern events confirmed, by type (events.csv's type)")
                           .Register(*registry);
    for (int t = 0; t < kEventTypes; ++t) {
      const auto type = static_cast<detectors::EventType>(t);
      detections_by_type[static_cast<std::size_t>(t)] =
          &detections.Add({{"type", std::string(detectors::EventTypeName(type))}});
    }
    auto& signals_family = prometheus::BuildCounter()
                               .Name("wyckoff_signals_total")
                               .Help("Tradeable signals confirmed")
                               .Register(*registry);
    signals_total = &signals_family.Add({});
    auto& active_family = prometheus::BuildGauge()
                              .Name("wyckoff_active_signals")
                              .Help("Tradeable signals whose stop or target no later bar reached")
                              .Register(*registry);
    active_signals = &active_family.Add({});
    auto& symbols_family = prometheus::BuildGauge()
                               .Name("wyckoff_symbols")
                               .Help("Symbols the service holds state for")
                               .Register(*registry);
    symbols_gauge = &symbols_family.Add({});
    query_latency = &prometheus::BuildHistogram()
                         .Name("wyckoff_database_query_duration_seconds")
                         .Help("Database statements of the service, by query")
                         .Register(*registry);
    auto& database_up_family = prometheus::BuildGauge()
                                   .Name("wyckoff_database_up")
                                   .Help("1 when the database is reachable (0 without --db)")
                                   .Register(*registry);
    database_up = &database_up_family.Add({});
    auto& pending_family = prometheus::BuildGauge()
                               .Name("wyckoff_database_pending_writes")
                               .Help("Accepted events not yet stored")
                               .Register(*registry);
    pending_writes = &pending_family.Add({});
    auto& backtest_family = prometheus::BuildHistogram()
                                .Name("wyckoff_backtest_duration_seconds")
                                .Help(
                                    "Backtests run by the service (none yet; batch runs write "
                                    "theirs with --metrics-file)")
                                .Register(*registry);
    backtest_duration = &backtest_family.Add({}, kRunBuckets);
    errors = &prometheus::BuildCounter()
                  .Name("wyckoff_errors_total")
                  .Help("Requests refused or failed, by kind")
                  .Register(*registry);
    for (const char* kind :
         {"bad_request", "unauthorized", "out_of_order", "too_large", "not_found",
          "too_many_symbols", "timeout", "database", "store_full"}) {
      errors->Add({{"kind", kind}});
    }
    requests = &prometheus::BuildCounter()
                    .Name("wyckoff_http_requests_total")
                    .Help("HTTP requests answered, by route, method and status")
                    .Register(*registry);
    request_latency = &prometheus::BuildHistogram()
                           .Name("wyckoff_http_request_duration_seconds")
                           .Help("Time from a request's last byte read to its answer, by route")
                           .Register(*registry);
  }

  Response Handle(const Request& r);
  std::string Metrics() const {
    std::vector<prometheus::MetricFamily> families = registry->Collect();
    for (auto& f : ProcessMetrics()) families.push_back(std::move(f));
    return prometheus::TextSerializer().Serialize(families);
  }
  Response PostBars(const Request& r, std::string_view symbol);
  Response SymbolEvents(std::string_view symbol, bool signals_only, bool csv);
  Response Symbols();
  SymbolState* Find(std::string_view symbol);
  // The symbol's state, made when new; null when there are max_symbols already.
  SymbolState* FindOrMake(std::string_view symbol);

  ServiceOptions options;
  detectors::DetectorParams params;
  std::shared_ptr<prometheus::Registry> registry;
  prometheus::Counter* bars_processed;
  prometheus::Histogram* signal_latency;
  std::array<prometheus::Counter*, kEventTypes> detections_by_type{};
  prometheus::Counter* signals_total;
  prometheus::Gauge* active_signals;
  prometheus::Gauge* symbols_gauge;
  prometheus::Family<prometheus::Histogram>* query_latency;
  prometheus::Gauge* database_up;
  prometheus::Gauge* pending_writes;
  prometheus::Histogram* backtest_duration;
  prometheus::Family<prometheus::Counter>* errors;
  prometheus::Family<prometheus::Counter>* requests;
  prometheus::Family<prometheus::Histogram>* request_latency;

  std::shared_mutex symbols_mutex;
  std::map<std::string, std::unique_ptr<SymbolState>, std::less<>> symbols;
  std::atomic<bool> draining{false};
  std::atomic<StoreState> store{StoreState::kNone};
  EventSink* sink = nullptr;
};

Service::Service(ServiceOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Service::~Service() = default;

Response Service::Handle(const Request& request) { return impl_->Handle(request); }

void Service::CountRequest(std::string_view route, std::string_view method, int status,
                           std::chrono::nanoseconds duration) {
  impl_->requests
      ->Add({{"route", std::string(route)},
             {"method", std::string(method)},
             {"status", std::to_string(status)}})
      .Increment();
  impl_->request_latency->Add({{"route", std::string(route)}}, kRequestBuckets)
      .Observe(Seconds(duration));
}

void Service::CountError(std::string_view kind) {
  impl_->errors->Add({{"kind", std::string(kind)}}).Increment();
}

void Service::SetDraining() { impl_->draining = true; }

void Service::SetStoreState(StoreState state) {
  impl_->store = state;
  impl_->database_up->Set(state == StoreState::kUp ? 1 : 0);
}

void Service::ObserveQuery(std::string_view query, std::chrono::nanoseconds duration) {
  impl_->query_latency->Add({{"query", std::string(query)}}, kRequestBuckets)
      .Observe(Seconds(duration));
}

void Service::SetEventSink(EventSink* sink) { impl_->sink = sink; }

void Service::SetPendingWrites(std::int64_t pending) {
  impl_->pending_writes->Set(static_cast<double>(pending));
}

std::string Service::Metrics() const { return impl_->Metrics(); }

Response Service::Impl::Handle(const Request& r) {
  std::string_view path = r.target.substr(0, r.target.find('?'));
  const bool get = r.method == "GET";
  auto only = [&](bool allowed, const char* route, auto answer) -> Response {
    if (!allowed) {
      return ErrorAnswer(405, "method " + std::string(r.method) + " is not allowed on " + route,
                         route);
    }
    return answer();
  };
  if (path == "/healthz") {
    return only(get, "/healthz", [] { return JsonAnswer(200, {{"status", "ok"}}, "/healthz"); });
  }
  if (path == "/readyz") {
    return only(get, "/readyz", [&] {
      if (draining) return JsonAnswer(503, {{"status", "draining"}}, "/readyz");
      if (store == StoreState::kDown) {
        return JsonAnswer(503, {{"status", "database unreachable"}}, "/readyz");
      }
      return JsonAnswer(200, {{"status", "ready"}}, "/readyz");
    });
  }
  if (path == "/metrics") {
    return only(get, "/metrics", [&] {
      return Response{200, "text/plain; version=0.0.4; charset=utf-8", Metrics(), "/metrics"};
    });
  }
  if (path == "/v1/symbols") {
    return only(get, "/v1/symbols", [&] { return Symbols(); });
  }
  constexpr std::string_view kBars = "/v1/bars/";
  if (path.starts_with(kBars)) {
    return only(r.method == "POST", "/v1/bars/{symbol}",
                [&] { return PostBars(r, path.substr(kBars.size())); });
  }
  constexpr std::string_view kSymbols = "/v1/symbols/";
  if (path.starts_with(kSymbols)) {
    std::string_view rest = path.substr(kSymbols.size());
    for (auto [suffix, route, signals, csv] :
         {std::tuple{std::string_view("/events"), "/v1/symbols/{symbol}/events", false, false},
          std::tuple{std::string_view("/events.csv"), "/v1/symbols/{symbol}/events.csv", false,
                     true},
          std::tuple{std::string_view("/signals"), "/v1/symbols/{symbol}/signals", true, false}}) {
      if (rest.ends_with(suffix)) {
        std::string_view symbol = rest.substr(0, rest.size() - suffix.size());
        return only(get, route, [&] { return SymbolEvents(symbol, signals, csv); });
      }
    }
  }
  errors->Add({{"kind", "not_found"}}).Increment();
  return ErrorAnswer(404, "no route " + std::string(r.method) + " " + Quoted(path), "other");
}

SymbolState* Service::Impl::Find(std::string_view symbol) {
  std::shared_lock lock(symbols_mutex);
  auto it = symbols.find(symbol);
  return it == symbols.end() ? nullptr : it->second.get();
}

SymbolState* Service::Impl::FindOrMake(std::string_view symbol) {
  if (SymbolState* found = Find(symbol)) return found;
  std::unique_lock lock(symbols_mutex);
  auto it = symbols.find(symbol);
  if (it != symbols.end()) return it->second.get();
  if (static_cast<int>(symbols.size()) >= options.max_symbols) return nullptr;
  auto made = std::make_unique<SymbolState>(params, std::string(symbol));
  SymbolState* state = made.get();
  symbols.emplace(std::string(symbol), std::move(made));
  symbols_gauge->Set(static_cast<double>(symbols.size()));
  return state;
}

Response Service::Impl::PostBars(const Request& r, std::string_view symbol) {
  const char* route = "/v1/bars/{symbol}";
  if (!options.token.empty() &&
      !ConstantTimeEqual(r.authorization, std::string("Bearer ") + options.token)) {
    errors->Add({{"kind", "unauthorized"}}).Increment();
    return ErrorAnswer(401, "a bearer token is required (Authorization: Bearer TOKEN)", route);
  }
  if (std::string problem = SymbolProblem(symbol); !problem.empty()) {
    errors->Add({{"kind", "bad_request"}}).Increment();
    return ErrorAnswer(400, problem, route);
  }
  // The whole body is read and checked before anything of it is applied.
  auto source = engine::CsvBarSource::OpenText(
      r.body, {.on_bad_row = engine::BadRowPolicy::kStop, .rules = options.rules});
  if (!source) {
    errors->Add({{"kind", "bad_request"}}).Increment();
    return ErrorAnswer(400, source.error().message, route);
  }
  std::vector<Bar> bars;
  std::int64_t first_line = 0;
  Bar bar;
  while (true) {
    Result<bool> got = (*source)->Next(bar);
    if (!got) {
      errors->Add({{"kind", "bad_request"}}).Increment();
      return ErrorAnswer(400, got.error().message, route);
    }
    if (!*got) break;
    if (bars.empty()) first_line = (*source)->line_number();
    bars.push_back(bar);
  }
  SymbolState* state = FindOrMake(symbol);
  if (state == nullptr) {
    errors->Add({{"kind", "too_many_symbols"}}).Increment();
    return ErrorAnswer(429,
                       "the service holds " + std::to_string(options.max_symbols) +
                           " symbols, its limit; " + Quoted(symbol) + " is not one of them",
                       route);
  }
  std::lock_guard lock(state->mutex);
  const bool intraday = state->intraday || (*source)->intraday();
  if (state->has_last) {
    if (auto ok = CheckBar(bars.front(), &state->last, options.rules, intraday); !ok) {
      errors->Add({{"kind", "out_of_order"}}).Increment();
      return ErrorAnswer(409, "line " + std::to_string(first_line) + ": " + ok.error().message,
                         route);
    }
  }
  if (sink != nullptr && !sink->Reserve()) {
    errors->Add({{"kind", "store_full"}}).Increment();
    return ErrorAnswer(503,
                       "the database writer's queue is full; nothing of the body was applied, "
                       "post it again later",
                       route);
  }
  state->intraday = intraday;
  const std::size_t first_event = state->events.size();
  // The hot path: per bar, the detectors, the open signals and one histogram observation.
  double opened = 0, closed = 0;
  for (const Bar& b : bars) {
    const auto start = Clock::now();
    if (!state->active.empty()) {
      const double high = b.high.ToDouble(), low = b.low.ToDouble();
      std::erase_if(state->active, [&](const ActiveSignal& s) {
        const bool done =
            s.is_long ? (low <= s.stop || high >= s.target) : (high >= s.stop || low <= s.target);
        closed += done ? 1 : 0;
        return done;
      });
    }
    const int n = state->scanner.OnBar(b, state->events, nullptr);
    for (int i = 0; i < n; ++i) {
      const detectors::PatternEvent& e = state->scanner.last_events()[static_cast<std::size_t>(i)];
      detections_by_type[static_cast<std::size_t>(e.type)]->Increment();
      if (e.tradeable() && e.direction != detectors::Direction::kNone) {
        state->signals.push_back(state->events.size() - static_cast<std::size_t>(n - i));
        state->active.push_back({e.direction == detectors::Direction::kLong, e.stop, e.target});
        opened += 1;
      }
    }
    signal_latency->Observe(Seconds(Clock::now() - start));
  }
  state->last = bars.back();
  state->has_last = true;
  state->bars += static_cast<std::int64_t>(bars.size());
  bars_processed->Increment(static_cast<double>(bars.size()));
  if (opened > 0) signals_total->Increment(opened);
  active_signals->Increment(opened - closed);
  if (sink != nullptr) {
    std::vector<engine::RunEvent> stored(
        state->events.begin() + static_cast<std::ptrdiff_t>(first_event), state->events.end());
    std::vector<bool> is_signal(stored.size(), false);
    for (auto it = std::lower_bound(state->signals.begin(), state->signals.end(), first_event);
         it != state->signals.end(); ++it) {
      is_signal[*it - first_event] = true;
    }
    sink->Submit(state->name, intraday, std::move(stored), std::move(is_signal));
  }

  Json events = Json::array(), signals = Json::array();
  auto next_signal = std::lower_bound(state->signals.begin(), state->signals.end(), first_event);
  for (std::size_t i = first_event; i < state->events.size(); ++i) {
    Json e = EventJson(state->name, state->events[i], intraday);
    if (next_signal != state->signals.end() && *next_signal == i) {
      signals.push_back(e);
      ++next_signal;
    }
    events.push_back(std::move(e));
  }
  Json answer;
  answer["symbol"] = state->name;
  answer["accepted"] = bars.size();
  answer["bars"] = state->bars;
  answer["last_time"] = FormatTimestamp(state->last.time, !intraday);
  answer["events"] = std::move(events);
  answer["signals"] = std::move(signals);
  return JsonAnswer(200, answer, route);
}

Response Service::Impl::SymbolEvents(std::string_view symbol, bool signals_only, bool csv) {
  const char* route = signals_only ? "/v1/symbols/{symbol}/signals"
                      : csv        ? "/v1/symbols/{symbol}/events.csv"
                                   : "/v1/symbols/{symbol}/events";
  SymbolState* state = Find(symbol);
  if (state == nullptr) {
    errors->Add({{"kind", "not_found"}}).Increment();
    return ErrorAnswer(404, "no bars were posted for symbol " + Quoted(symbol), route);
  }
  std::lock_guard lock(state->mutex);
  if (csv) {
    return {200, "text/csv; charset=utf-8",
            report::EventsCsv({{state->name, state->intraday}}, state->events, state->intraday),
            route};
  }
  Json out = Json::array();
  if (signals_only) {
    for (std::size_t i : state->signals) {
      out.push_back(EventJson(state->name, state->events[i], state->intraday));
    }
  } else {
    for (const auto& e : state->events) out.push_back(EventJson(state->name, e, state->intraday));
  }
  return JsonAnswer(200, out, route);
}

Response Service::Impl::Symbols() {
  std::vector<SymbolState*> all;
  {
    std::shared_lock lock(symbols_mutex);
    for (const auto& [name, state] : symbols) all.push_back(state.get());
  }
  Json out = Json::array();
  for (SymbolState* s : all) {
    std::lock_guard lock(s->mutex);
    out.push_back({{"symbol", s->name},
                   {"bars", s->bars},
                   {"last_time", FormatTimestamp(s->last.time, !s->intraday)},
                   {"events", s->events.size()},
                   {"signals", s->signals.size()},
                   {"active_signals", s->active.size()}});
  }
  return JsonAnswer(200, out, "/v1/symbols");
}

}  // namespace wyckoff::serve
