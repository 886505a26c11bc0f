#include "wyckoff/serve/server.h"

#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <csignal>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace wyckoff::serve {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class Session;

// What every session shares: the service, the limits, and the list of open sessions (for the
// drain).
struct Shared {
  Service& service;
  const ServerOptions& options;
  std::atomic<bool> draining{false};
  std::atomic<int> connections{0};
  std::mutex mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
    --shared_.connections;
  }

  void Start() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.sessions[this] = weak_from_this();
    }
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

  // From the drain: close now when idle (waiting for a request no byte of which came yet);
  // otherwise the request in flight is finished and the connection closed after its answer.
  void Drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->reading_ && !self->parser_->got_some()) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void Read() {
    if (shared_.draining) return Close();
    parser_.emplace();
    parser_->body_limit(shared_.options.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    stream_.expires_after(shared_.options.timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->reading_ = false;
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::bad_descriptor) {
      return Close();
    }
    const auto start = Clock::now();
    if (ec == beast::error::timeout) {
      if (parser_->got_some()) shared_.service.CountError("timeout");
      return Close();
    }
    if (ec == http::error::body_limit) {
      shared_.service.CountError("too_large");
      return Answer(start, "POST", "other", 413,
                    "{\"error\":\"the body is larger than " +
                        std::to_string(shared_.options.body_limit) + " bytes\"}\n",
                    false);
    }
    if (ec == http::error::header_limit) {
      shared_.service.CountError("too_large");
      return Answer(start, "?", "other", 431,
                    "{\"error\":\"the request's headers are larger than " +
                        std::to_string(shared_.options.header_limit) + " bytes\"}\n",
                    false);
    }
    if (ec) {
      shared_.service.CountError("bad_request");
      return Answer(start, "?", "other", 400, "{\"error\":\"not an HTTP/1.1 request\"}\n", false);
    }
    const auto& req = parser_->get();
    const std::string method(req.method_string());
    Request request{method, std::string_view(req.target().data(), req.target().size()),
                    std::string_view(req[http::field::authorization].data(),
                                     req[http::field::authorization].size()),
                    req.body()};
    Response response = shared_.service.Handle(request);
    response_.emplace();
    response_->result(static_cast<unsigned>(response.status));
    response_->version(req.version());
    response_->set(http::field::server, "wyckoff");
    response_->set(http::field::content_type, response.content_type);
    response_->body() = std::move(response.body);
    response_->keep_alive(req.keep_alive() && !shared_.draining);
    response_->prepare_payload();
    Write(start, method, std::move(response.route));
  }

  void Answer(Clock::time_point start, std::string method, std::string route, int status,
              std::string body, bool keep_alive) {
    refused_ = !keep_alive;
    response_.emplace();
    response_->result(static_cast<unsigned>(status));
    response_->version(11);
    response_->set(http::field::server, "wyckoff");
    response_->set(http::field::content_type, "application/json");
    response_->body() = std::move(body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    Write(start, std::move(method), std::move(route));
  }

  void Write(Clock::time_point start, std::string method, std::string route) {
    stream_.expires_after(shared_.options.timeout);
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), start, method = std::move(method),
                       route = std::move(route)](beast::error_code ec, std::size_t) {
                        self->shared_.service.CountRequest(
                            route, method, self->response_->result_int(), Clock::now() - start);
                        if (ec || !self->response_->keep_alive()) return self->Close();
                        self->Read();
                      });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (!refused_) return stream_.close();
    // After refusing a request whose body was not read (413, 431, 400): read and drop what the
    // client still sends, for a while, so that closing does not reset the connection before
    // the client has read the answer.
    stream_.expires_after(std::chrono::seconds(2));
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                              if (error) return self->stream_.close();
                              self->Close();
                            });
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  bool reading_ = false;
  bool refused_ = false;  // the last answer refused a request that was not read whole
  std::array<char, 4096> discard_{};
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, Shared& shared) : ioc_(ioc), acceptor_(ioc), shared_(shared) {}

  Result<void> Open(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Fail(ErrorCode::kIo, endpoint.address().to_string() + ":" +
                                      std::to_string(endpoint.port()) +
                                      ": cannot listen: " + ec.message());
    }
    return {};
  }

  tcp::endpoint local() const { return acceptor_.local_endpoint(); }

  void Accept() {
    acceptor_.async_accept(asio::make_strand(ioc_), [self = shared_from_this()](
                                                        beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == asio::error::operation_aborted) return;
      } else if (++self->shared_.connections > self->shared_.options.max_connections) {
        --self->shared_.connections;
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), self->shared_)->Start();
      }
      if (!self->shared_.draining) self->Accept();
    });
  }

  void Stop() {
    beast::error_code ec;
    acceptor_.close(ec);
  }

 private:
  asio::io_context& ioc_;
  tcp::acceptor acceptor_;
  Shared& shared_;
};

}  // namespace

Result<void> RunServer(Service& service, const ServerOptions& options,
                       const std::function<void(const std::string&)>& ready,
                       const std::function<void()>& on_drain) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                Quoted(options.host) + " is not an IP address (such as 127.0.0.1 or ::1)");
  }
  const int threads = std::max(1, options.threads);
  asio::io_context ioc(threads);
  Shared shared{service, options};
  auto listener = std::make_shared<Listener>(ioc, shared);
  if (auto ok = listener->Open({address, options.port}); !ok) return ok;

  asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const beast::error_code& error, int) {
    if (error) return;
    shared.draining = true;
    service.SetDraining();
    listener->Stop();
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard lock(shared.mutex);
      for (auto& [raw, weak] : shared.sessions) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (auto& s : open) s->Drain();
  });

  const tcp::endpoint local = listener->local();
  const std::string shown =
      local.address().is_v6()
          ? "[" + local.address().to_string() + "]:" + std::to_string(local.port())
          : local.address().to_string() + ":" + std::to_string(local.port());
  listener->Accept();
  ready(shown);

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  if (on_drain) on_drain();
  return {};
}

}  // namespace wyckoff::serve
