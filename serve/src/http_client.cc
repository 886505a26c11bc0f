#include "wyckoff/serve/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>

namespace wyckoff::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpClient::Impl {
  asio::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  tcp::endpoint endpoint;
  std::string host;
  std::chrono::milliseconds timeout{};
  beast::flat_buffer buffer;

  // Opens the connection; empty on success, else why not.
  std::string Open() {
    stream.emplace(ioc);
    stream->expires_after(timeout);
    beast::error_code ec;
    stream->connect(endpoint, ec);
    if (ec) return ec.message();
    stream->socket().set_option(tcp::no_delay(true), ec);
    buffer.clear();
    return "";
  }

  // One exchange; the error's text on failure. `sent` tells whether the request went out (a
  // request that did may have been applied: it is not sent again).
  std::string Exchange(const http::request<http::string_body>& request, HttpAnswer& answer,
                       bool& sent) {
    beast::error_code ec;
    stream->expires_after(timeout);
    sent = false;
    http::write(*stream, request, ec);
    if (ec) return ec.message();
    sent = true;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ull << 30);
    http::read(*stream, buffer, parser, ec);
    if (ec) return ec.message();
    answer.status = static_cast<int>(parser.get().result_int());
    answer.content_type = std::string(parser.get()[http::field::content_type]);
    answer.body = std::move(parser.get().body());
    if (!parser.get().keep_alive()) stream.reset();
    return "";
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Connect(std::string host, unsigned short port,
                                                        std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, Quoted(host) + " is not an IP address");
  impl->endpoint = tcp::endpoint(address, port);
  impl->host = host + ":" + std::to_string(port);
  impl->timeout = timeout;
  if (std::string why = impl->Open(); !why.empty()) {
    return Fail(ErrorCode::kIo, impl->host + ": cannot connect: " + why);
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpAnswer> HttpClient::Send(
    std::string_view method, std::string_view target, std::string_view body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> request;
  request.method_string(beast::string_view(method.data(), method.size()));
  request.target(beast::string_view(target.data(), target.size()));
  request.version(11);
  request.set(http::field::host, impl_->host);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST") {
    request.set(http::field::content_type, "text/csv");
    request.body() = std::string(body);
  }
  request.keep_alive(true);
  request.prepare_payload();
  HttpAnswer answer;
  std::string why;
  // A kept-alive connection the server closed meanwhile fails: reopen once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!impl_->stream) {
      if (why = impl_->Open(); !why.empty()) break;
    }
    bool sent = false;
    why = impl_->Exchange(request, answer, sent);
    if (why.empty()) return answer;
    impl_->stream.reset();
    // A request that went out may have been applied: only GET and HEAD are sent again (the
    // server closes connections idle longer than its --timeout).
    if (sent && method != "GET" && method != "HEAD") break;
  }
  return Fail(ErrorCode::kIo,
              impl_->host + ": " + std::string(method) + " " + std::string(target) + ": " + why);
}

}  // namespace wyckoff::serve
