// Service: what `wyckoff serve` does with a request, without the network. Bars posted for a
// symbol go through the same pipeline as `wyckoff detect` (strategies::SymbolScanner), one
// detector state per symbol, as they arrive; the events and signals they confirm are kept,
// answered and counted in Prometheus metrics.
//
//   Service service({.params = detectors::ToDetectorParams(values), .token = "s3cret"});
//   Response r = service.Handle({.method = "POST", .target = "/v1/bars/ORCL",
//                                .authorization = "Bearer s3cret", .body = csv});
//   // r.status == 200, r.body == {"symbol":"ORCL","accepted":3,...}
//
// The server (server.h) calls Handle from several threads at once: symbols are independent
// (one lock each), and requests for one symbol are applied one after the other.
// Prometheus stays inside service.cc: this header includes none of it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/detectors/params.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::serve {

struct ServiceOptions {
  detectors::DetectorParams params;  // checked (detectors::DetectorSchema().Check)
  std::string token;                 // POST needs `Authorization: Bearer TOKEN` when not empty
  BarRules rules;                    // --allow-nonpositive-prices
  int max_symbols = 10000;           // symbols beyond this are refused (memory stays bounded)
};

struct Request {
  std::string_view method;         // GET, POST, ...
  std::string_view target;         // path and query
  std::string_view authorization;  // the Authorization header, or empty
  std::string_view body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string route;  // the route's pattern, for metrics ("/v1/bars/{symbol}", "other")
};

// Where the events a post confirmed go to be stored (`--db`: serve::StoreWriter).
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Takes a place in the queue for one post, before anything of it is applied; false when the
  // queue is full: the post is then refused with 503 and nothing of it is applied.
  virtual bool Reserve() = 0;
  // Fills the place Reserve took with the post's events, in the order the detectors confirmed
  // them (signals[i]: events[i] is a trade signal). No events: the place is given back.
  // Called under the symbol's lock, so one symbol's posts are queued in the order applied.
  virtual void Submit(const std::string& symbol, bool intraday,
                      std::vector<engine::RunEvent> events, std::vector<bool> signals) = 0;
};

// What the store (the database writer) is doing, for /readyz and the metrics.
enum class StoreState { kNone, kUp, kDown };

class Service {
 public:
  explicit Service(ServiceOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Answers one request. Never throws for bad input: 400 (a bad body, with the reader's `line
  // N: reason`), 401, 404, 405, 409 (bars not after the symbol's last bar), 429 (too many
  // symbols); nothing of a refused body is applied.
  Response Handle(const Request& request);

  // Counts a request's outcome (route, method, status) and its duration: the server calls it
  // for every answer, those it made itself (413, 408) included.
  void CountRequest(std::string_view route, std::string_view method, int status,
                    std::chrono::nanoseconds duration);
  // Counts an error the server met (kind: "timeout", "too_large", "bad_request").
  void CountError(std::string_view kind);

  // /readyz answers 503 from now on (the server is draining).
  void SetDraining();
  // Where a database writer reports its state; the database metrics.
  void SetStoreState(StoreState state);
  void ObserveQuery(std::string_view query, std::chrono::nanoseconds duration);
  void SetPendingWrites(std::int64_t pending);
  // Posts' events go to `sink` from now on (set before serving; null: kept in memory only).
  void SetEventSink(EventSink* sink);

  // The Prometheus text exposition of every metric (GET /metrics).
  std::string Metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wyckoff::serve
