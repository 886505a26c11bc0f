// The HTTP/1.1 server of `wyckoff serve` (Boost.Beast over Asio): it reads requests, hands
// them to a Service and writes the answers, on a few threads, until SIGTERM or SIGINT.
//
//   Service service(options);
//   auto ok = RunServer(service, {.host = "127.0.0.1", .port = 8080},
//                       [](const std::string& address) { Print("listening on " + address); });
//
// Limits: a request's headers (header_limit: 431 beyond) and body (body_limit: 413 beyond);
// a client that sends too slowly or stays idle longer than `timeout` is disconnected; at most
// `max_connections` at once. SIGTERM or SIGINT: stop accepting, answer /readyz 503, close idle
// connections, finish the requests in flight (each answered with `Connection: close`), wait
// for `on_drain` (the database writer's flush), return.
// Beast stays inside server.cc: this header includes none of it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "wyckoff/core/error.h"
#include "wyckoff/serve/service.h"

namespace wyckoff::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address, not a name: loopback unless told otherwise
  unsigned short port = 0;         // 0: any free port (the ready line tells which)
  int threads = 2;
  std::size_t body_limit = 8 << 20;
  std::size_t header_limit = 8 << 10;
  std::chrono::milliseconds timeout{30'000};  // to read a request, or idle between requests
  int max_connections = 1024;
};

// Listens, calls `ready` with "HOST:PORT" once accepting, serves until SIGTERM or SIGINT, then
// drains and calls `on_drain` before returning. Errors: the address cannot be parsed, bound or
// listened on.
Result<void> RunServer(Service& service, const ServerOptions& options,
                       const std::function<void(const std::string& address)>& ready,
                       const std::function<void()>& on_drain = {});

}  // namespace wyckoff::serve
