#include "db_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "commands.h"
#include "sources.h"
#include "wyckoff/app/import.h"
#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"
#include "wyckoff/db/migrations.h"
#include "wyckoff/db/run_store.h"
#include "wyckoff/db/runs.h"

namespace wyckoff::cli {
namespace {

std::filesystem::path MigrationsDir(const DbMigrateOptions& o) {
  return o.migrations.empty() ? db::DefaultMigrationsDir() : std::filesystem::path(o.migrations);
}

std::string When(Timestamp t) { return FormatTimestamp(t, /*date_only=*/false); }

std::string Plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string Percent(const std::optional<Decimal>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", v->ToDouble() * 100.0);
  return buf;
}

std::string Ratio(const std::optional<Decimal>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v->ToDouble());
  return buf;
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// One line of `db runs` (also its header, with every field a title).
std::string RunsTableLine(const std::vector<std::string>& f) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%-6s %-9s %-19s %-12s %-12s %-5s %6s %14s %9s %8s %7s  %s",
                f[0].c_str(), f[1].c_str(), f[2].c_str(), f[3].c_str(), f[4].c_str(), f[5].c_str(),
                f[6].c_str(), f[7].c_str(), f[8].c_str(), f[9].c_str(), f[10].c_str(),
                f[11].c_str());
  std::string line = buf;
  line.erase(line.find_last_not_of(' ') + 1);
  return line;
}

}  // namespace

int RunDbMigrate(const DbMigrateOptions& o) {
  auto conn = db::Connect(o.db.url);
  if (!conn) return ReportError(conn.error());
  auto applied = db::Migrate(*conn, MigrationsDir(o), o.db.actor);
  if (!applied) return ReportError(applied.error());
  for (const auto& name : *applied) std::cout << "applied " << name << "\n";
  auto status = db::GetMigrationStatus(*conn, MigrationsDir(o));
  if (!status) return ReportError(status.error());
  if (applied->empty()) {
    std::cout << "nothing to apply: the database is up to date ("
              << Plural(status->applied.size(), "migration") << ")\n";
  } else {
    std::cout << Plural(applied->size(), "migration") << " applied: the database is up to date ("
              << Plural(status->applied.size(), "migration") << ")\n";
  }
  return kExitOk;
}

int RunDbStatus(const DbMigrateOptions& o) {
  auto conn = db::Connect(o.db.url);
  if (!conn) return ReportError(conn.error());
  auto status = db::GetMigrationStatus(*conn, MigrationsDir(o));
  if (!status) return ReportError(status.error());
  std::cout << "database " << conn->description() << "\n";
  for (const auto& m : status->applied) {
    std::cout << "applied  " << m.name << "  " << When(m.applied_at) << "  " << m.applied_by
              << "\n";
  }
  for (const auto& m : status->pending) std::cout << "pending  " << m.name << "\n";
  std::cout << status->applied.size() << " applied, " << status->pending.size() << " pending\n";
  return kExitOk;
}

int RunDbImport(const DbImportOptions& o) {
  if (o.timeframe.empty()) {
    return ReportError({ErrorCode::kInvalidArgument, "--timeframe must not be empty"});
  }
  auto outcome =
      app::RunImport({.file = o.data,
                      .symbol = o.symbol,
                      .timeframe = o.timeframe,
                      .replace = o.replace,
                      .csv = CsvOptionsOf(o.on_bad_row, o.allow_nonpositive_prices),
                      .database = {.url = o.db.url, .store = false, .actor = o.db.actor}});
  if (!outcome) return ReportError(outcome.error());
  const bool date_only = !outcome->intraday;
  std::cout << "imported " << outcome->bars << " bars of " << outcome->symbol << " " << o.timeframe
            << " (" << FormatTimestamp(outcome->summary.first, date_only) << " to "
            << FormatTimestamp(outcome->summary.last, date_only)
            << "): " << outcome->summary.inserted << " new, " << outcome->summary.replaced
            << " replaced\n";
  WarnSkipped(outcome->skipped);
  return kExitOk;
}

int RunDbRuns(const DbRunsOptions& o) {
  if (o.limit < 1) {
    return ReportError({ErrorCode::kInvalidArgument,
                        "--limit " + std::to_string(o.limit) + " must be at least 1"});
  }
  auto conn = db::Connect(o.db.url);
  if (!conn) return ReportError(conn.error());
  auto abandoned = db::FailAbandonedRuns(*conn, o.db.actor);
  if (!abandoned) return ReportError(abandoned.error());
  for (std::int64_t id : *abandoned) {
    std::cerr << "warning: run " << id << " was abandoned and is now FAILED\n";
  }
  auto runs = db::RecentRuns(*conn, o.limit);
  if (!runs) return ReportError(runs.error());
  if (runs->empty()) {
    std::cout << "no runs stored\n";
    return kExitOk;
  }
  std::cout << RunsTableLine({"ID", "STATUS", "STARTED (UTC)", "STRATEGY", "SYMBOLS", "TF",
                              "TRADES", "NET P&L", "RETURN", "MAX DD", "SHARPE", "DIGEST / ERROR"})
            << "\n";
  for (const db::RunSummary& r : *runs) {
    std::cout << RunsTableLine({std::to_string(r.id), r.status, When(r.started_at), r.strategy,
                                Join(r.symbols, ","), r.timeframe,
                                r.trade_count ? std::to_string(*r.trade_count) : "-",
                                r.net_pnl ? r.net_pnl->ToString() : "-", Percent(r.total_return),
                                Percent(r.max_drawdown), Ratio(r.sharpe),
                                r.status == "FAILED" ? r.error_message : r.digest})
              << "\n";
  }
  return kExitOk;
}

}  // namespace wyckoff::cli
