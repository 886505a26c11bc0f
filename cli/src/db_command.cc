#include "db_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "commands.h"
#include "sources.h"
#include "wyckoff/db/audit_log.h"
#include "wyckoff/db/bars.h"
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
  auto source =
      engine::CsvBarSource::Open(o.data, CsvOptionsOf(o.on_bad_row, o.allow_nonpositive_prices));
  if (!source) return ReportError(source.error());
  auto bars = engine::ReadAll(**source);
  if (!bars) return ReportError(bars.error());
  const std::string symbol =
      o.symbol.empty() ? std::filesystem::path(o.data).stem().string() : o.symbol;
  if (auto ok = CheckSymbolName(symbol); !ok) return ReportError(ok.error());
  auto conn = db::Connect(o.db.url);
  if (!conn) return ReportError(conn.error());
  auto summary =
      db::ImportBars(*conn, symbol, o.timeframe, *bars,
                     {.on_conflict = o.replace ? db::OnConflict::kReplace : db::OnConflict::kFail,
                      .actor = o.db.actor,
                      .rules = {.allow_nonpositive_prices = o.allow_nonpositive_prices}});
  if (!summary) return ReportError(summary.error());
  const bool date_only = !(*source)->intraday();
  std::cout << "imported " << bars->size() << " bars of " << symbol << " " << o.timeframe << " ("
            << FormatTimestamp(summary->first, date_only) << " to "
            << FormatTimestamp(summary->last, date_only) << "): " << summary->inserted << " new, "
            << summary->replaced << " replaced\n";
  if ((*source)->skipped_rows() > 0) {
    std::cerr << "warning: skipped " << (*source)->skipped_rows()
              << " bad rows (first: " << (*source)->first_skip_reason() << ")\n";
  }
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

void TeeEquitySink::OnStart(bool intraday) {
  if (first_ != nullptr) first_->OnStart(intraday);
  if (second_ != nullptr) second_->OnStart(intraday);
}

void TeeEquitySink::OnEquity(Timestamp time, Decimal cash, Decimal equity) {
  if (first_ != nullptr) first_->OnEquity(time, cash, equity);
  if (second_ != nullptr) second_->OnEquity(time, cash, equity);
}

BacktestDatabase::BacktestDatabase(std::string url, bool persist, std::string actor)
    : url_(std::move(url)), persist_(persist), actor_(std::move(actor)) {}

BacktestDatabase::~BacktestDatabase() = default;

std::string BacktestDatabase::DefaultSymbol(const std::string& data) {
  auto stored = db::ParseStoredBars(data);
  if (stored && *stored) return (*stored)->symbol;
  return std::filesystem::path(data).stem().string();
}

Result<db::Connection*> BacktestDatabase::Conn() {
  if (!conn_) {
    auto conn = db::Connect(url_);
    if (!conn) return tl::unexpected(conn.error());
    conn_.emplace(std::move(*conn));
  }
  return &*conn_;
}

Result<std::unique_ptr<engine::BarSource>> BacktestDatabase::OpenSource(
    const std::string& data, const engine::CsvOptions& csv) {
  auto stored = db::ParseStoredBars(data);
  if (!stored) return tl::unexpected(stored.error());
  std::unique_ptr<engine::BarSource> source;
  if (*stored) {
    auto conn = Conn();
    if (!conn) return tl::unexpected(conn.error());
    auto opened = db::OpenStoredBars(**conn, **stored);
    if (!opened) return tl::unexpected(opened.error());
    source = std::move(*opened);
    timeframes_.push_back((*stored)->timeframe);
  } else {
    auto opened = engine::CsvBarSource::Open(data, csv);
    if (!opened) return tl::unexpected(opened.error());
    source = std::move(*opened);
    timeframes_.push_back(source->intraday() ? "intraday" : "1d");
  }
  data_.push_back(data);
  return source;
}

Result<engine::EquitySink*> BacktestDatabase::Begin(
    const report::RunInfo& info, const std::vector<engine::SymbolInfo>& symbols) {
  if (!persist_) return nullptr;
  auto conn = Conn();
  if (!conn) return tl::unexpected(conn.error());
  auto abandoned = db::FailAbandonedRuns(**conn, actor_);
  if (!abandoned) return tl::unexpected(abandoned.error());
  db::RunSpec spec{.strategy = info.strategy, .actor = actor_};
  for (const auto& s : symbols) spec.symbols.push_back(s.name);
  std::vector<std::string> timeframes;
  for (const auto& tf : timeframes_) {
    if (std::find(timeframes.begin(), timeframes.end(), tf) == timeframes.end()) {
      timeframes.push_back(tf);
    }
  }
  spec.timeframe = Join(timeframes, ",");
  spec.data_source = Join(data_, " ");
  nlohmann::ordered_json params = nlohmann::ordered_json::object();
  for (const auto& [name, value] : info.params) params[name] = value;
  spec.parameters_json = params.dump();
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const auto& [name, value] : info.settings) settings[name] = value;
  spec.settings_json = settings.dump();
  db::RunWriterOptions options;  // built field by field: g++ 12 warns on the designated form
  options.reconnect_url = url_;
  options.actor = actor_;
  auto writer = db::RunWriter::Start(**conn, spec, options);
  if (!writer) return tl::unexpected(writer.error());
  writer_ = std::move(*writer);
  return writer_.get();
}

Result<std::optional<std::int64_t>> BacktestDatabase::Finish(const Result<engine::RunResult>& run) {
  if (!writer_) return std::nullopt;
  const std::int64_t id = writer_->run_id();
  if (!run) {
    auto failed = writer_->Fail(run.error().message);
    if (!failed) std::cerr << "warning: " << failed.error().message << "\n";
    return std::optional<std::int64_t>(id);
  }
  auto stored = writer_->Complete(*run);
  if (!stored) {
    auto failed = writer_->Fail(stored.error().message);
    if (!failed) std::cerr << "warning: " << failed.error().message << "\n";
    return tl::unexpected(stored.error());
  }
  return std::optional<std::int64_t>(id);
}

}  // namespace wyckoff::cli
