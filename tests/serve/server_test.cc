// `wyckoff serve` and `wyckoff load` as programs over loopback: the ready line, chunked posting
// equal to `wyckoff detect`, the HTTP refusals (400, 401, 409, 413, 431), slow clients, metrics
// after a known input, and the drain on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "wyckoff/serve/http_client.h"

namespace wyckoff::serve {
namespace {

using testing::FreshDir;
using testing::RunWyckoff;
using testing::Slurp;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A `wyckoff serve` child process on a free loopback port.
class Server {
 public:
  explicit Server(const std::string& args) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      const std::string command = std::string("cd '" WYCKOFF_SOURCE_DIR "' && exec " WYCKOFF_CLI
                                              " serve --listen 127.0.0.1:0 ") +
                                  args;
      execl("/bin/sh", "sh", "-c", command.c_str(), nullptr);
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
    char line[256] = {};
    if (std::fgets(line, sizeof line, out_) == nullptr) {
      ADD_FAILURE() << "no ready line";
      return;
    }
    ready_ = line;
    const std::string prefix = "wyckoff serve: listening on http://127.0.0.1:";
    EXPECT_EQ(ready_.rfind(prefix, 0), 0u) << ready_;
    port_ = static_cast<unsigned short>(std::stoi(ready_.substr(prefix.size())));
  }
  ~Server() {
    if (pid_ > 0 && !waited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  unsigned short port() const { return port_; }
  const std::string& ready() const { return ready_; }
  void Terminate() { kill(pid_, SIGTERM); }
  // The exit code, waiting at most 10 s.
  int Wait() {
    for (int i = 0; i < 1000; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        waited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  std::unique_ptr<HttpClient> Client() {
    auto c = HttpClient::Connect("127.0.0.1", port_, std::chrono::seconds(10));
    EXPECT_TRUE(c.has_value());
    return std::move(*c);
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string ready_;
  unsigned short port_ = 0;
  bool waited_ = false;
};

std::string Lines(const std::string& path, std::size_t from, std::size_t to) {
  std::ifstream in(path);
  std::string header, line, body;
  std::getline(in, header);
  body = header + "\n";
  for (std::size_t i = 0; std::getline(in, line); ++i) {
    if (i >= from && i < to) body += line + "\n";
  }
  return body;
}

std::size_t Rows(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n - 1;
}

double Sample(const std::string& metrics, const std::string& line) {
  std::istringstream in(metrics);
  for (std::string l; std::getline(in, l);) {
    if (l.rfind(line + " ", 0) == 0) return std::stod(l.substr(line.size() + 1));
  }
  return -1;
}

// Everything the server sends until it closes the connection.
std::string ReadToClose(tcp::socket& socket) {
  std::string got;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(got), ec);
  return got;
}

const std::string kKo = std::string(WYCKOFF_SOURCE_DIR) + "/data/daily/ko-1997-1998.csv";

TEST(Serve, ChunkedPostingOverHttpEqualsTheDetectCommand) {
  const auto dir = FreshDir("serve", "detect");
  auto detect =
      RunWyckoff("detect --data data/daily/ko-1997-1998.csv --symbol KO --out " + dir.string());
  ASSERT_EQ(detect.exit_code, 0) << detect.err;
  Server server("");
  auto client = server.Client();
  const std::size_t rows = Rows(kKo);
  for (std::size_t from = 0; from < rows; from += 37) {
    auto a = client->Send("POST", "/v1/bars/KO", Lines(kKo, from, from + 37));
    ASSERT_TRUE(a.has_value());
    ASSERT_EQ(a->status, 200) << a->body;
  }
  auto csv = client->Send("GET", "/v1/symbols/KO/events.csv");
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(csv->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv->body, Slurp(dir / "events.csv"));
  auto metrics = client->Send("GET", "/metrics");
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metrics->content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Sample(metrics->body, "wyckoff_bars_processed_total"), static_cast<double>(rows));
  const int posts = static_cast<int>((rows + 36) / 37);
  EXPECT_EQ(Sample(metrics->body,
                   "wyckoff_http_requests_total{method=\"POST\",route=\"/v1/bars/"
                   "{symbol}\",status=\"200\"}"),
            posts);
}

TEST(Serve, RefusesBadRowsTokensOrderAndSizes) {
  const auto dir = FreshDir("serve", "refusals");
  std::ofstream(dir / "token") << "  t0ken-123 \n";
  Server server("--token-file " + (dir / "token").string() + " --max-body 4096");
  auto client = server.Client();
  const std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer t0ken-123"}};
  auto unauthorized = client->Send("POST", "/v1/bars/KO", Lines(kKo, 0, 10));
  EXPECT_EQ(unauthorized->status, 401);
  EXPECT_EQ(unauthorized->body,
            "{\"error\":\"a bearer token is required (Authorization: Bearer TOKEN)\"}\n");
  EXPECT_EQ(client->Send("POST", "/v1/bars/KO", Lines(kKo, 0, 10), auth)->status, 200);
  auto bad = client->Send("POST", "/v1/bars/KO",
                          "Date,Open,High,Low,Close,Volume\n2000-01-03,10,11,9,12,1\n", auth);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body, "{\"error\":\"line 2: close 12 is above high 11\"}\n");
  auto order = client->Send("POST", "/v1/bars/KO", Lines(kKo, 5, 6), auth);
  EXPECT_EQ(order->status, 409);
  EXPECT_EQ(order->body,
            "{\"error\":\"line 2: time 1997-01-09 is not after the previous bar's 1997-01-15\"}\n");
  auto large = client->Send("POST", "/v1/bars/KO", Lines(kKo, 10, 200), auth);
  ASSERT_TRUE(large.has_value()) << large.error().message;
  EXPECT_EQ(large->status, 413);
  EXPECT_EQ(large->body, "{\"error\":\"the body is larger than 4096 bytes\"}\n");
  auto headers = client->Send("GET", "/healthz", "", {{"X-Padding", std::string(9000, 'x')}});
  ASSERT_TRUE(headers.has_value()) << headers.error().message;
  EXPECT_EQ(headers->status, 431);
  // Nothing of the refused bodies was applied.
  auto symbols = client->Send("GET", "/v1/symbols");
  EXPECT_EQ(nlohmann::json::parse(symbols->body)[0]["bars"], 10);
  auto metrics = client->Send("GET", "/metrics")->body;
  for (const char* kind : {"unauthorized", "bad_request", "out_of_order", "too_large"}) {
    EXPECT_EQ(Sample(metrics, std::string("wyckoff_errors_total{kind=\"") + kind + "\"}"),
              std::string(kind) == "too_large" ? 2 : 1)
        << kind;
  }
}

TEST(Serve, SlowClientsTimeOut) {
  Server server("--timeout 300ms");
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  asio::write(socket, asio::buffer(std::string("GET /heal")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ReadToClose(socket), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // The stream's timer closes the socket before the server's handler counts the timeout.
  auto client = server.Client();
  double timeouts = 0;
  for (int i = 0; i < 200 && timeouts == 0; ++i) {
    timeouts =
        Sample(client->Send("GET", "/metrics")->body, "wyckoff_errors_total{kind=\"timeout\"}");
    if (timeouts == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(timeouts, 1);
}

TEST(Serve, SigtermFinishesTheRequestInFlightAndExitsZero) {
  Server server("");
  asio::io_context ioc;
  tcp::socket busy(ioc), idle(ioc);
  busy.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  idle.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  const std::string body = Lines(kKo, 0, 100);
  const std::string head =
      "POST /v1/bars/KO HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n";
  asio::write(busy, asio::buffer(head + body.substr(0, 100)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.Terminate();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The idle connection is closed; no new connection is accepted.
  EXPECT_EQ(ReadToClose(idle), "");
  tcp::socket late(ioc);
  boost::system::error_code ec;
  late.connect({asio::ip::make_address("127.0.0.1"), server.port()}, ec);
  EXPECT_TRUE(ec) << "a connection was accepted after SIGTERM";
  // The request in flight is finished and answered, then the connection closes.
  asio::write(busy, asio::buffer(body.substr(100)));
  const std::string answer = ReadToClose(busy);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("\"accepted\":100"), std::string::npos) << answer;
  EXPECT_EQ(server.Wait(), 0);
}

TEST(Serve, BadFlagsAreOneLineAndExitTwo) {
  auto listen = RunWyckoff("serve --listen nope");
  EXPECT_EQ(listen.exit_code, 2);
  EXPECT_EQ(listen.err,
            "error: --listen: expected HOST:PORT such as 127.0.0.1:8080, got \"nope\"\n");
  auto port = RunWyckoff("serve --listen 127.0.0.1:70000");
  EXPECT_EQ(port.exit_code, 2);
  EXPECT_EQ(port.err, "error: --listen: the port \"70000\" is not a number from 0 to 65535\n");
  auto host = RunWyckoff("serve --listen localhost:8080");
  EXPECT_EQ(host.exit_code, 2);
  EXPECT_EQ(host.err, "error: \"localhost\" is not an IP address (such as 127.0.0.1 or ::1)\n");
  auto token = RunWyckoff("serve --token-file /nonexistent/token");
  EXPECT_EQ(token.exit_code, 2);
  EXPECT_EQ(token.err,
            "error: --token-file: /nonexistent/token: cannot read: No such file or directory\n");
  auto timeout = RunWyckoff("serve --timeout 5x");
  EXPECT_EQ(timeout.exit_code, 2);
  EXPECT_EQ(timeout.err,
            "error: --timeout: expected a duration such as 500ms, 30s, 5m or 1h, got \"5x\"\n");
  auto param = RunWyckoff("serve --param nope=1");
  EXPECT_EQ(param.exit_code, 2);
  auto remote = RunWyckoff("load --service 10.1.2.3:80 --data-from data/daily/ko-1997-1998.csv");
  EXPECT_EQ(remote.exit_code, 2);
  EXPECT_EQ(remote.err,
            "error: the host \"10.1.2.3\" is not a loopback address (127.0.0.1 or ::1)\n");
}

TEST(Load, ReplaysBarsForManySymbolsAndReports) {
  Server server("");
  auto load = RunWyckoff("load --service 127.0.0.1:" + std::to_string(server.port()) +
                         " --symbols 20 --interval 100ms --duration 1s --warmup-bars 50"
                         " --bars-per-request 2 --data-from data/daily/ko-1997-1998.csv"
                         " --data-from data/daily/pep-1997-1998.csv --json");
  ASSERT_EQ(load.exit_code, 0) << load.err;
  auto j = nlohmann::json::parse(load.out);
  EXPECT_EQ(j["requests"], 200);
  EXPECT_EQ(j["errors"], 0);
  EXPECT_EQ(j["bars"], 20 * (50 + 9 * 2));
  EXPECT_EQ(j["statuses"], nlohmann::json({{"200", 200}}));
  EXPECT_EQ(j["passed"], true);
  auto symbols = nlohmann::json::parse(server.Client()->Send("GET", "/v1/symbols")->body);
  ASSERT_EQ(symbols.size(), 20u);
  EXPECT_EQ(symbols[0]["symbol"], "LOAD000");
  EXPECT_EQ(symbols[0]["bars"], 68);
}

}  // namespace
}  // namespace wyckoff::serve
