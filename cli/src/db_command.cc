#include "db_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "commands.h"
#include "progress.h"
#include "sources.h"
#include "wyckoff/app/database.h"
#include "wyckoff/app/import.h"
#include "wyckoff/db/migrations.h"
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

// A table printed with each column as wide as its widest cell, two spaces apart; `right[i]`
// aligns column i to the right (numbers). The last column is never padded.
std::string AlignedTable(const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& right) {
  std::vector<std::size_t> width(right.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - row[i].size(), ' ');
      const bool last = i + 1 == row.size();
      line += (i == 0 ? "" : "  ") + (right[i] ? pad + row[i] : row[i] + (last ? "" : pad));
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

// The connection every db command opens: --db, else WYCKOFF_DB, else the PG* variables.
struct Session {
  explicit Session(const DbOptions& o)
      : database({.url = o.url, .store = false, .actor = o.actor}) {}
  app::Database database;
  app::DatabaseSession* db = nullptr;
};

Result<std::unique_ptr<Session>> Open(const DbOptions& o) {
  auto session = std::make_unique<Session>(o);
  auto db = session->database.Session();
  if (!db) return tl::unexpected(db.error());
  session->db = *db;
  return session;
}

// "fast=10, slow=30" from a JSON object; nested values as compact JSON.
std::string KeyValues(const std::string& json_text) {
  const auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return json_text;
  std::string out;
  for (const auto& [key, value] : j.items()) {
    out += (out.empty() ? "" : ", ") + key + "=" +
           (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return out.empty() ? "-" : out;
}

// Whether every time is at midnight UTC: daily bars print as dates.
bool AllDates(const std::vector<db::StoredTrade>& trades) {
  return std::all_of(trades.begin(), trades.end(), [](const db::StoredTrade& t) {
    return t.entry_time % kNanosPerDay == 0 && t.exit_time % kNanosPerDay == 0;
  });
}

std::string TradesTable(const std::vector<db::StoredTrade>& trades) {
  const bool dates = AllDates(trades);
  std::vector<std::vector<std::string>> rows = {{"#", "SYMBOL", "SIDE", "ENTRY", "EXIT", "QUANTITY",
                                                 "ENTRY PRICE", "EXIT PRICE", "P&L", "FEES", "BARS",
                                                 "R", "TAG"}};
  for (const db::StoredTrade& t : trades) {
    rows.push_back({std::to_string(t.trade_id), t.symbol, t.side,
                    FormatTimestamp(t.entry_time, dates), FormatTimestamp(t.exit_time, dates),
                    t.quantity.ToString(), t.entry_price.ToString(), t.exit_price.ToString(),
                    t.pnl.ToString(), t.fees.ToString(), std::to_string(t.bars_held),
                    t.r_multiple ? t.r_multiple->ToString(2) : "-", t.tag});
  }
  return AlignedTable(
      rows, {true, false, false, false, false, true, true, true, true, true, true, true, false});
}

std::string RunHeader(const db::StoredRun& run) {
  const db::RunSummary& r = run.summary;
  std::string out = "run " + std::to_string(r.id) + ": " + r.kind + " of " + r.strategy + " on " +
                    Join(r.symbols, ",") + " " + r.timeframe + ", " + r.status + "\n";
  auto row = [&out](const char* label, const std::string& value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "  %-13s ", label);
    out += buf + value + "\n";
  };
  row("started", When(r.started_at) + " UTC");
  row("finished", r.finished_at ? When(*r.finished_at) + " UTC" : "-");
  row("actor", r.actor);
  row("data", r.data_source.empty() ? "-" : r.data_source);
  row("parameters", KeyValues(run.parameters_json));
  row("settings", KeyValues(run.settings_json));
  if (r.status == "FAILED") row("error", r.error_message);
  if (r.status != "COMPLETED") return out;
  row("trades", r.trade_count ? std::to_string(*r.trade_count) : "-");
  row("win rate", Percent(r.win_rate));
  row("net P&L", r.net_pnl ? r.net_pnl->ToString() : "-");
  row("initial cash", run.initial_cash ? run.initial_cash->ToString() : "-");
  row("final equity", run.final_equity ? run.final_equity->ToString() : "-");
  row("return", Percent(r.total_return));
  row("max drawdown", Percent(r.max_drawdown));
  row("Sharpe", Ratio(r.sharpe));
  row("digest", r.digest);
  return out;
}

}  // namespace

int RunDbMigrate(const DbMigrateOptions& o) {
  auto session = Open(o.db);
  if (!session) return ReportError(session.error());
  app::DatabaseSession& db = *(*session)->db;
  auto applied = db.Migrate(MigrationsDir(o), o.db.actor);
  if (!applied) return ReportError(applied.error());
  for (const auto& name : *applied) std::cout << "applied " << name << "\n";
  auto status = db.GetMigrationStatus(MigrationsDir(o));
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
  auto session = Open(o.db);
  if (!session) return ReportError(session.error());
  app::DatabaseSession& db = *(*session)->db;
  auto status = db.GetMigrationStatus(MigrationsDir(o));
  if (!status) return ReportError(status.error());
  std::cout << "database " << db.description() << "\n";
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
  auto outcome = app::RunImport({.file = o.data,
                                 .symbol = o.symbol,
                                 .timeframe = o.timeframe,
                                 .replace = o.replace,
                                 .csv = CsvOptionsOf(o.on_bad_row, o.allow_nonpositive_prices),
                                 .database = {.url = o.db.url, .store = false, .actor = o.db.actor},
                                 .progress = ReadingProgress("import: reading")});
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
  auto session = Open(o.db);
  if (!session) return ReportError(session.error());
  app::DatabaseSession& db = *(*session)->db;
  auto abandoned = db.FailAbandonedRuns(o.db.actor);
  if (!abandoned) return ReportError(abandoned.error());
  for (std::int64_t id : *abandoned) {
    std::cerr << "warning: run " << id << " was abandoned and is now FAILED\n";
  }
  auto runs = db.RecentRuns(o.limit);
  if (!runs) return ReportError(runs.error());
  if (runs->empty()) {
    std::cout << "no runs stored\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {{"ID", "KIND", "STATUS", "STARTED (UTC)",
                                                 "STRATEGY", "SYMBOLS", "TF", "TRADES", "NET P&L",
                                                 "RETURN", "MAX DD", "SHARPE", "DIGEST / ERROR"}};
  for (const db::RunSummary& r : *runs) {
    rows.push_back(
        {std::to_string(r.id), r.kind, r.status, When(r.started_at), r.strategy,
         Join(r.symbols, ","), r.timeframe, r.trade_count ? std::to_string(*r.trade_count) : "-",
         r.net_pnl ? r.net_pnl->ToString() : "-", Percent(r.total_return), Percent(r.max_drawdown),
         Ratio(r.sharpe), r.status == "FAILED" ? r.error_message : r.digest});
  }
  std::cout << AlignedTable(
      rows, {true, false, false, false, false, false, false, true, true, true, true, true, false});
  return kExitOk;
}

int RunDbShow(const DbShowOptions& o) {
  if (o.run < 1) {
    return ReportError(
        {ErrorCode::kInvalidArgument, "run " + std::to_string(o.run) + ": run ids start at 1"});
  }
  auto session = Open(o.db);
  if (!session) return ReportError(session.error());
  app::DatabaseSession& db = *(*session)->db;
  auto run = db.GetRun(o.run);
  if (!run) return ReportError(run.error());
  auto trades = db.RunTrades(o.run);
  if (!trades) return ReportError(trades.error());
  std::cout << RunHeader(*run);
  if (run->summary.status != "COMPLETED") return kExitOk;
  if (trades->empty()) {
    std::cout << "no trades\n";
  } else {
    std::cout << "trades:\n" << TradesTable(*trades);
  }
  return kExitOk;
}

}  // namespace wyckoff::cli
