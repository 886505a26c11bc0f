#include "wyckoff/report/report.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "wyckoff/engine/run_figures.h"

namespace wyckoff::report {
namespace {

using engine::Decimal;
using engine::ErrorCode;
using engine::Fail;
using engine::Result;
namespace fs = std::filesystem;

std::string Time(engine::Timestamp t, bool intraday) {
  return engine::FormatTimestamp(t, !intraday);
}

// A CSV field: quoted (with doubled quotes) when it holds a delimiter, quote or line break.
std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string SymbolName(const engine::RunResult& run, int symbol) {
  return run.symbols[symbol].name;
}

std::string FillsCsv(const engine::RunResult& run) {
  std::ostringstream out;
  out << "time,symbol,order_id,side,quantity,price,commission,tag\n";
  for (const engine::Fill& f : run.fills) {
    out << Time(f.time, run.intraday) << ',' << SymbolName(run, f.symbol) << ',' << f.order << ','
        << engine::ToString(f.side) << ',' << f.quantity.ToString() << ',' << f.price.ToString()
        << ',' << f.commission.ToString() << ',' << f.tag << '\n';
  }
  return out.str();
}

std::string OrdersCsv(const engine::RunResult& run) {
  std::ostringstream out;
  out << "id,submitted_at,symbol,side,type,quantity,limit_price,stop_price,filled,status,parent,"
         "tag,reason\n";
  for (const engine::Order& o : run.orders) {
    const engine::OrderRequest& r = o.request;
    bool limit = r.type == engine::OrderType::kLimit || r.type == engine::OrderType::kStopLimit;
    bool stop = r.type == engine::OrderType::kStop || r.type == engine::OrderType::kStopLimit;
    out << o.id << ',' << Time(o.submitted_at, run.intraday) << ',' << SymbolName(run, r.symbol)
        << ',' << engine::ToString(r.side) << ',' << engine::ToString(r.type) << ','
        << r.quantity.ToString() << ',' << (limit ? r.limit_price.ToString() : "") << ','
        << (stop ? r.stop_price.ToString() : "") << ',' << o.filled.ToString() << ','
        << engine::ToString(o.status) << ',' << (o.parent ? std::to_string(o.parent) : "") << ','
        << r.tag << ',' << Field(o.reason) << '\n';
  }
  return out.str();
}

Result<void> WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    return Fail(ErrorCode::kIo, path.string() + ": cannot write: " + std::strerror(errno));
  }
  return {};
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", v * 100.0);
  return buf;
}

// Up to 6 significant decimals, empty when undefined (NaN).
std::string Plain(double v) {
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string Number(std::optional<double> v, const char* format = "%.3f") {
  if (!v || !std::isfinite(*v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, *v);
  return buf;
}

}  // namespace

EquityCsvWriter::~EquityCsvWriter() { Abandon(); }

Result<void> EquityCsvWriter::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, dir + ": cannot create the output folder: " + ec.message());
  path_ = (fs::path(dir) / "equity.csv.tmp").string();
  file_ = std::fopen(path_.c_str(), "wb");
  if (file_ == nullptr) {
    return Fail(ErrorCode::kIo, path_ + ": cannot write: " + std::strerror(errno));
  }
  static char buffer[1 << 16];
  std::setvbuf(file_, buffer, _IOFBF, sizeof buffer);
  std::fputs("time,cash,equity\n", file_);
  return {};
}

void EquityCsvWriter::OnStart(bool intraday) { intraday_ = intraday; }

void EquityCsvWriter::OnEquity(engine::Timestamp time, Decimal cash, Decimal equity) {
  std::fprintf(file_, "%s,%s,%s\n", Time(time, intraday_).c_str(), cash.ToString().c_str(),
               equity.ToString().c_str());
}

void EquityCsvWriter::Abandon() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
  std::remove(path_.c_str());
}

Result<std::string> EquityCsvWriter::Close() {
  bool failed = std::ferror(file_) != 0;
  failed = std::fclose(file_) != 0 || failed;
  file_ = nullptr;
  if (failed) {
    std::remove(path_.c_str());
    return Fail(ErrorCode::kIo, path_ + ": write failed");
  }
  return path_;
}

std::string TradeCsvRow(const engine::Trade& t, const std::string& symbol, bool intraday) {
  return Time(t.entry_time, intraday) + ',' + Time(t.exit_time, intraday) + ',' +
         t.entry_price.ToString() + ',' + t.exit_price.ToString() + ',' + t.quantity.ToString() +
         ',' + t.pnl.ToString() + ',' + t.fees.ToString() + ',' + std::to_string(t.bars_held()) +
         ',' + (t.r_multiple ? t.r_multiple->ToString(4) : "") + ',' + Field(symbol) + ',' +
         (t.direction == engine::Side::kBuy ? "LONG" : "SHORT") + ',' + std::string(t.tag);
}

std::string TradesCsv(const engine::RunResult& run) {
  std::string out = std::string(kTradesCsvHeader) + '\n';
  for (const engine::Trade& t : run.trades) {
    out += TradeCsvRow(t, SymbolName(run, t.symbol), run.intraday) + '\n';
  }
  return out;
}

std::string SummaryJson(const engine::RunResult& run, const RunInfo& info) {
  nlohmann::ordered_json j;
  j["command"] = info.command;
  j["strategy"] = info.strategy;
  auto& params = j["parameters"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : info.params) params[k] = v;
  j["data"] = info.data;
  std::vector<std::string> symbols;
  for (const auto& s : run.symbols) symbols.push_back(s.name);
  j["symbols"] = symbols;
  auto& settings = j["settings"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : info.settings) settings[k] = v;
  for (const engine::RunFigure& f : engine::RunFigures(run)) {
    j[std::string(f.name)] = engine::FigureJson<nlohmann::ordered_json>(f);
  }
  j["digest"] = run.digest;
  return j.dump(2) + "\n";
}

std::string SummaryTable(const engine::RunResult& run, const RunInfo& info) {
  const engine::Metrics& m = run.metrics;
  std::ostringstream out;
  std::string params;
  for (const auto& [k, v] : info.params) params += (params.empty() ? "" : ", ") + k + "=" + v;
  if (info.params.size() > 6)
    params = std::to_string(info.params.size()) + " parameters, see summary.json";
  std::string names;
  for (const auto& s : run.symbols) names += (names.empty() ? "" : ", ") + s.name;
  out << info.command << ": " << info.strategy << " (" << params << ") on " << names << ", "
      << run.bars << " bars\n";
  auto row = [&](const char* label, const std::string& value) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %-22s %s\n", label, value.c_str());
    out << buf;
  };
  row("trades", std::to_string(m.trade_count) + " (" + std::to_string(m.winning_trades) + " won, " +
                    std::to_string(m.losing_trades) + " lost)");
  row("win rate", m.win_rate ? Percent(*m.win_rate) : "n/a");
  row("net P&L", m.net_profit.ToString());
  row("final value", run.final_value.ToString());
  row("final cash", run.final_cash.ToString());
  row("total return", Percent(m.total_return));
  row("CAGR", m.cagr ? Percent(*m.cagr) : "n/a");
  row("max drawdown", Percent(m.max_drawdown) + " (" + m.max_drawdown_amount.ToString(2) + ", " +
                          std::to_string(m.max_drawdown_duration) + " bars)");
  row("Sharpe", Number(m.sharpe));
  row("Sortino", Number(m.sortino));
  row("profit factor", Number(m.profit_factor));
  row("expectancy", m.expectancy ? m.expectancy->ToString(2) : "n/a");
  row("average R", Number(m.average_r));
  row("exposure", Percent(m.exposure));
  row("average bars held", Number(m.average_bars_held, "%.1f"));
  if (run.skipped_rows > 0) row("skipped bad rows", std::to_string(run.skipped_rows));
  row("digest", run.digest);
  return out.str();
}

Result<void> WriteFiles(const std::string& dir,
                        const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<std::pair<std::string, std::string>>& ready) {
  const fs::path base(dir);
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) return Fail(ErrorCode::kIo, dir + ": cannot create the output folder: " + ec.message());
  std::vector<std::pair<fs::path, fs::path>> renames;
  for (const auto& [tmp, name] : ready) renames.emplace_back(tmp, base / name);
  for (const auto& [name, text] : files) {
    fs::path tmp = base / (name + ".tmp");
    if (auto ok = WriteFile(tmp, text); !ok) {
      for (const auto& r : renames) fs::remove(r.first);
      return ok;
    }
    renames.emplace_back(tmp, base / name);
  }
  for (const auto& [from, to] : renames) {
    fs::rename(from, to, ec);
    if (ec) return Fail(ErrorCode::kIo, to.string() + ": cannot write: " + ec.message());
  }
  return {};
}

std::string EventsCsv(const std::vector<engine::SymbolInfo>& symbols,
                      const std::vector<engine::RunEvent>& events, bool intraday) {
  // Detail columns: every name any event carries, in first-seen order.
  std::vector<std::string> names;
  for (const auto& e : events) {
    for (const auto& [name, value] : e.details) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  std::ostringstream out;
  out << "symbol,type,pattern_time,confirm_time,level,confidence";
  for (const auto& n : names) out << ',' << n;
  out << '\n';
  for (const auto& e : events) {
    out << Field(symbols[e.symbol].name) << ',' << e.type << ',' << Time(e.pattern_time, intraday)
        << ',' << Time(e.confirm_time, intraday) << ',' << Plain(e.level) << ','
        << Plain(e.confidence);
    for (const auto& n : names) {
      auto it = std::find_if(e.details.begin(), e.details.end(),
                             [&](const auto& d) { return d.first == n; });
      out << ',' << (it == e.details.end() ? "" : Field(it->second));
    }
    out << '\n';
  }
  return out.str();
}

Result<void> WriteReport(const std::string& dir, const engine::RunResult& run, const RunInfo& info,
                         EquityCsvWriter& equity) {
  auto equity_tmp = equity.Close();
  if (!equity_tmp) return tl::unexpected(equity_tmp.error());
  return WriteFiles(dir,
                    {{"trades.csv", TradesCsv(run)},
                     {"fills.csv", FillsCsv(run)},
                     {"orders.csv", OrdersCsv(run)},
                     {"events.csv", EventsCsv(run.symbols, run.events, run.intraday)},
                     {"summary.json", SummaryJson(run, info)}},
                    {{*equity_tmp, "equity.csv"}});
}

}  // namespace wyckoff::report
