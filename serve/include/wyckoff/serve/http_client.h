// A small blocking HTTP/1.1 client over one keep-alive connection (Boost.Beast): what `wyckoff
// load` and the tests use to talk to `wyckoff serve`.
//
//   auto client = HttpClient::Connect("127.0.0.1", 8080, std::chrono::seconds(10));
//   Result<HttpAnswer> a = (*client)->Send("POST", "/v1/bars/ORCL", csv, {{"Authorization", "Bearer
//   t"}});
//   // a->status == 200, a->body == "{...}"
//
// A dropped connection is reopened once per request; a request that may have reached the
// server is sent again only when it is a GET or HEAD. Beast stays inside http_client.cc.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wyckoff/core/error.h"

namespace wyckoff::serve {

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::string content_type;
};

class HttpClient {
 public:
  // Errors: `host` is not an IP address, the connection is refused or times out.
  static Result<std::unique_ptr<HttpClient>> Connect(std::string host, unsigned short port,
                                                     std::chrono::milliseconds timeout);
  ~HttpClient();

  Result<HttpAnswer> Send(std::string_view method, std::string_view target,
                          std::string_view body = {},
                          const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wyckoff::serve
