#include "wyckoff/db/connection.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <utility>

#include "connection_impl.h"

namespace wyckoff::db {
namespace {

std::string Trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// `text` (a URL, or a message that may quote one) with any password replaced by ***.
std::string Redact(std::string_view url) {
  std::string out(url);
  // URI user info: scheme://user:secret@host
  static const std::regex kUserInfo(R"(([a-z]+://[^:/@?\s"]*):[^@/?\s"]*@)");
  out = std::regex_replace(out, kUserInfo, "$1:***@");
  // password=... as a URI query parameter or a key=value pair (quoted or not).
  static const std::regex kPassword(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]*))");
  return std::regex_replace(out, kPassword, "$1***");
}

std::string QuoteConninfoValue(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The URL parsed by libpq, as keyword -> value for the keywords it sets.
Result<std::map<std::string, std::string>> ParseUrl(std::string_view url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (options == nullptr) {
    std::string reason = error != nullptr ? internal::OneLine(error) : "out of memory";
    PQfreemem(error);
    return Fail(ErrorCode::kInvalidArgument,
                "invalid connection URL \"" + Redact(url) + "\": " + Redact(reason));
  }
  std::map<std::string, std::string> parsed;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) parsed[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return parsed;
}

// The key=value connection string that Connect hands to libpq.
std::string BuildConninfo(std::map<std::string, std::string> parsed,
                          const ConnectOptions& options) {
  if (!options.database.empty()) parsed["dbname"] = options.database;
  const char* env_timeout = std::getenv("PGCONNECT_TIMEOUT");
  const bool env_has_timeout = env_timeout != nullptr && *env_timeout != '\0';
  if (!parsed.contains("connect_timeout") && !env_has_timeout) {
    parsed["connect_timeout"] = std::to_string(options.connect_timeout_seconds);
  }
  // Always UTF8, whatever the URL or PGCLIENTENCODING say: text reaches the server
  // unconverted, which the migrations' checksums (sha256 of the file's bytes) rely on.
  parsed["client_encoding"] = "UTF8";
  if (!std::getenv("PGAPPNAME")) parsed.try_emplace("application_name", "wyckoff");
  std::string conninfo;
  for (const auto& [key, value] : parsed) {
    if (!conninfo.empty()) conninfo += ' ';
    conninfo += key + '=' + QuoteConninfoValue(value);
  }
  return conninfo;
}

std::string DescribeTarget(std::string_view url) {
  return url.empty() ? "the server of the PG* environment variables" : "\"" + Redact(url) + "\"";
}

}  // namespace

namespace internal {

std::string OneLine(std::string_view message) {
  std::string primary;
  std::string rest;
  size_t start = 0;
  while (start < message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    const std::string_view raw = message.substr(start, end - start);
    start = end + 1;
    std::string line = Trim(raw);
    if (line.empty()) continue;
    for (std::string_view prefix : {"ERROR:", "FATAL:", "PANIC:"}) {
      if (StartsWith(line, prefix)) line = Trim(line.substr(prefix.size()));
    }
    if (primary.empty()) {
      primary = line;
    } else if (StartsWith(line, "DETAIL:")) {
      rest += " (" + Trim(line.substr(7)) + ")";
    } else if (StartsWith(line, "HINT:") || StartsWith(line, "CONTEXT:") ||
               StartsWith(line, "LINE ") || StartsWith(line, "^") || StartsWith(line, "QUERY:") ||
               StartsWith(line, "SQL ")) {
      continue;
    } else if (!raw.empty() && raw.front() == '\t') {
      // libpq's indented continuation of the previous line, as a sentence of its own.
      const std::string& so_far = rest.empty() ? primary : rest;
      rest += (std::string_view(".!?").find(so_far.back()) == std::string_view::npos ? ". " : " ") +
              line;
    } else {
      rest += "; " + line;
    }
  }
  return primary + rest;
}

Error TranslateException(std::string_view context, const std::exception& e) {
  std::string message = std::string(context) + ": ";
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    message +=
        "the connection broke while committing, so whether the changes were saved is "
        "unknown: ";
  } else if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    message += "lost the connection to the server: ";
  }
  message += OneLine(e.what());
  if (dynamic_cast<const pqxx::undefined_table*>(&e) != nullptr) {
    message += "; is the database migrated? Run `wyckoff db migrate` first";
  }
  return Error{ErrorCode::kDatabase, std::move(message)};
}

}  // namespace internal

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

const std::string& Connection::description() const { return impl_->description; }

Result<Connection> Connect(std::string_view url, const ConnectOptions& options) {
  auto parsed = ParseUrl(url);
  if (!parsed) return tl::unexpected(parsed.error());
  const std::string conninfo = BuildConninfo(std::move(*parsed), options);
  try {
    auto impl = std::make_unique<Connection::Impl>(conninfo);
    pqxx::connection& c = impl->conn;
    impl->description = std::string(c.dbname()) + " on " +
                        (c.hostname() != nullptr ? c.hostname() : "?") + ":" +
                        (c.port() != nullptr ? c.port() : "?") + " as " + c.username();
    return internal::ConnectionAccess::Make(std::move(impl));
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kDatabase, "cannot connect to PostgreSQL at " + DescribeTarget(url) +
                                          ": " + Redact(internal::OneLine(e.what())));
  }
}

Result<std::vector<SqlRow>> ExecuteSql(Connection& conn, std::string_view sql) {
  return internal::Guarded("SQL failed", [&]() -> Result<std::vector<SqlRow>> {
    // A nontransaction sends the text as one simple query: several statements run as one
    // implicit transaction, and a lone CREATE DATABASE (which refuses transaction blocks) works.
    pqxx::nontransaction txn(internal::Pqxx(conn));
    const pqxx::result result = txn.exec(std::string(sql));
    std::vector<SqlRow> rows;
    rows.reserve(result.size());
    for (const auto& row : result) {
      SqlRow& out = rows.emplace_back();
      for (const auto& field : row) {
        out.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
      }
    }
    return rows;
  });
}

}  // namespace wyckoff::db
