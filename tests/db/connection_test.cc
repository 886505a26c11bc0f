#include "wyckoff/db/connection.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "test_database.h"
#include "wyckoff/db/bars.h"

namespace wyckoff::db {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A TCP socket on 127.0.0.1 with a port of the kernel's choosing; listening or not.
class LocalSocket {
 public:
  explicit LocalSocket(bool listen) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t size = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &size);
    port_ = ntohs(addr.sin_port);
    if (listen) ::listen(fd_, 8);  // accepts connections into the backlog, never answers
  }
  ~LocalSocket() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ConnectTest, ClosedPortFailsAtOnceWithOneLine) {
  const int port = LocalSocket(/*listen=*/false).port();  // bound, then closed: nobody there
  const auto start = std::chrono::steady_clock::now();

  auto conn = Connect("postgresql://wyckoff@127.0.0.1:" + std::to_string(port) + "/wyckoff");

  EXPECT_LT(SecondsSince(start), 3.0);
  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(conn.error().message,
              StartsWith("cannot connect to PostgreSQL at \"postgresql://wyckoff@127.0.0.1:"));
  EXPECT_THAT(conn.error().message, HasSubstr("Connection refused"));
  EXPECT_EQ(conn.error().message.find('\n'), std::string::npos);
}

TEST(ConnectTest, SilentServerTimesOutInsteadOfHanging) {
  LocalSocket silent(/*listen=*/true);
  const auto start = std::chrono::steady_clock::now();

  auto conn = Connect("postgresql://127.0.0.1:" + std::to_string(silent.port()) + "/wyckoff",
                      {.connect_timeout_seconds = 2});

  EXPECT_LT(SecondsSince(start), 10.0);
  ASSERT_FALSE(conn);
  EXPECT_THAT(conn.error().message, HasSubstr("timeout expired"));
  EXPECT_EQ(conn.error().message.find('\n'), std::string::npos);
}

TEST(ConnectTest, TimeoutInTheUrlWins) {
  LocalSocket silent(/*listen=*/true);
  const auto start = std::chrono::steady_clock::now();

  auto conn = Connect(
      "postgresql://127.0.0.1:" + std::to_string(silent.port()) + "/wyckoff?connect_timeout=2",
      {.connect_timeout_seconds = 0});  // 0 would wait forever

  EXPECT_LT(SecondsSince(start), 10.0);
  ASSERT_FALSE(conn);
  EXPECT_THAT(conn.error().message, HasSubstr("timeout expired"));
}

TEST(ConnectTest, MalformedUrlIsInvalidArgument) {
  auto ipv6 = Connect("postgresql://[::1/wyckoff");
  auto option = Connect("postgresql://localhost/wyckoff?no_such_option=1");

  ASSERT_FALSE(ipv6);
  EXPECT_EQ(ipv6.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(ipv6.error().message, StartsWith("invalid connection URL \"postgresql://[::1/"));
  ASSERT_FALSE(option);
  EXPECT_EQ(option.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(option.error().message, HasSubstr("no_such_option"));
  EXPECT_EQ(option.error().message.find('\n'), std::string::npos);
}

TEST(ConnectTest, MessagesNeverShowThePassword) {
  const std::string port = std::to_string(LocalSocket(/*listen=*/false).port());

  auto uri = Connect("postgresql://alice:s3cret@127.0.0.1:" + port + "/wyckoff");
  auto query = Connect("postgresql://127.0.0.1:" + port + "/wyckoff?password=s3cret&user=bob");
  auto pairs = Connect("host=127.0.0.1 port=" + port + " password='s3 cret' dbname=x");
  auto bad = Connect("postgresql://alice:s3cret@[::1/wyckoff");

  for (const auto* conn : {&uri, &query, &pairs, &bad}) {
    ASSERT_FALSE(*conn);
    EXPECT_THAT(conn->error().message, Not(HasSubstr("s3")));
  }
  EXPECT_THAT(uri.error().message, HasSubstr("postgresql://alice:***@127.0.0.1:"));
}

class ConnectedTest : public testing::DatabaseTest {};

TEST_F(ConnectedTest, DescriptionNamesDatabaseAndUser) {
  EXPECT_THAT(conn().description(), StartsWith(database() + " on "));
  EXPECT_THAT(conn().description(), HasSubstr(" as "));
}

TEST_F(ConnectedTest, UnknownDatabaseIsNamed) {
  auto conn = Connect(server_url(), {.database = "no_such_database_" + testing::RandomSuffix()});

  ASSERT_FALSE(conn);
  EXPECT_EQ(conn.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(conn.error().message, HasSubstr("database \"no_such_database_"));
  EXPECT_THAT(conn.error().message, HasSubstr("does not exist"));
  EXPECT_EQ(conn.error().message.find('\n'), std::string::npos);
}

TEST_F(ConnectedTest, KilledSessionGivesAnErrorNotACrash) {
  ASSERT_TRUE(ExecuteSql(admin(),
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE datname = '" +
                             database() + "'"));

  auto bars = LoadBars(conn(), "ORCL", "1d");

  ASSERT_FALSE(bars);
  EXPECT_EQ(bars.error().code, ErrorCode::kDatabase);
  EXPECT_THAT(bars.error().message, StartsWith("reading bars of ORCL 1d: "));
  EXPECT_EQ(bars.error().message.find('\n'), std::string::npos);
}

TEST_F(ConnectedTest, ExecuteSqlReturnsRowsAndNulls) {
  auto rows = ExecuteSql(conn(), "SELECT 1, NULL::text UNION ALL SELECT 2, 'two'");

  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0][0], "1");
  EXPECT_EQ((*rows)[0][1], std::nullopt);
  EXPECT_EQ((*rows)[1][1], "two");
}

}  // namespace
}  // namespace wyckoff::db
