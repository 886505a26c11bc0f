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
#include "wyckoff/report/csv_writer.h"

namespace wyckoff::report {
namespace {

namespace fs = std::filesystem;

const std::string& SymbolName(const engine::RunResult& run, int symbol) {
  return run.symbols[symbol].name;
}

const std::initializer_list<std::string_view> kFillsHeader = {
    "time", "symbol", "order_id", "side", "quantity", "price", "commission", "tag"};
const std::initializer_list<std::string_view> kOrdersHeader = {
    "id",         "submitted_at", "symbol", "side",   "type", "quantity", "limit_price",
    "stop_price", "filled",       "status", "parent", "tag",  "reason"};

void WriteFillRow(CsvWriter& csv, const engine::Fill& f, const std::string& symbol, bool intraday) {
  csv.Time(f.time, intraday).Text(symbol).Number(f.order);
  csv.Text(engine::ToString(f.side)).Number(f.quantity).Number(f.price).Number(f.commission);
  csv.Text(f.tag).End();
}

void WriteOrderRow(CsvWriter& csv, const engine::Order& o, const std::string& symbol,
                   bool intraday) {
  const engine::OrderRequest& r = o.request;
  bool limit = r.type == engine::OrderType::kLimit || r.type == engine::OrderType::kStopLimit;
  bool stop = r.type == engine::OrderType::kStop || r.type == engine::OrderType::kStopLimit;
  csv.Number(o.id).Time(o.submitted_at, intraday).Text(symbol);
  csv.Text(engine::ToString(r.side)).Text(engine::ToString(r.type)).Number(r.quantity);
  csv.Number(limit ? std::optional(r.limit_price) : std::nullopt);
  csv.Number(stop ? std::optional(r.stop_price) : std::nullopt);
  csv.Number(o.filled).Text(engine::ToString(o.status));
  if (o.parent != 0) {
    csv.Number(o.parent);
  } else {
    csv.Empty();
  }
  csv.Text(r.tag).Text(o.reason).End();
}

std::string FillsCsv(const engine::RunResult& run) {
  std::string out;
  CsvWriter csv(out);
  csv.Row(kFillsHeader);
  for (const engine::Fill& f : run.fills) {
    WriteFillRow(csv, f, SymbolName(run, f.symbol), run.intraday);
  }
  return out;
}

std::string OrdersCsv(const engine::RunResult& run) {
  std::string out;
  CsvWriter csv(out);
  csv.Row(kOrdersHeader);
  for (const engine::Order& o : run.orders) {
    WriteOrderRow(csv, o, SymbolName(run, o.request.symbol), run.intraday);
  }
  return out;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f %%", v * 100.0);
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
  Result<OutputFile> file = OutputFile::Create((fs::path(dir) / "equity.csv").string());
  if (!file) return tl::unexpected(file.error());
  file_.emplace(std::move(*file));
  buffer_.reserve(kFlushAt + 256);
  buffer_ = "time,cash,equity\n";
  return {};
}

void EquityCsvWriter::OnStart(bool intraday) { intraday_ = intraday; }

void EquityCsvWriter::OnEquity(Timestamp time, Decimal cash, Decimal equity) {
  csv_.Time(time, intraday_).Number(cash).Number(equity).End();
  if (buffer_.size() >= kFlushAt) {
    file_->Write(buffer_);
    buffer_.clear();
  }
}

void EquityCsvWriter::Abandon() {
  if (file_) file_->Abandon();
  file_.reset();
}

Result<OutputFile*> EquityCsvWriter::Close() {
  file_->Write(buffer_);
  buffer_.clear();
  if (auto ok = file_->Close(); !ok) {
    Abandon();
    return tl::unexpected(ok.error());
  }
  return &*file_;
}

void WriteTradeFields(CsvWriter& csv, const engine::Trade& t, const std::string& symbol,
                      bool intraday) {
  csv.Time(t.entry_time, intraday).Time(t.exit_time, intraday).Number(t.entry_price);
  csv.Number(t.exit_price).Number(t.quantity).Number(t.pnl).Number(t.fees).Number(t.bars_held());
  csv.Fixed(t.r_multiple, 4);
  csv.Text(symbol).Text(t.direction == engine::Side::kBuy ? "LONG" : "SHORT").Text(t.tag);
}

std::string TradeCsvRow(const engine::Trade& t, const std::string& symbol, bool intraday) {
  std::string out;
  CsvWriter csv(out);
  WriteTradeFields(csv, t, symbol, intraday);
  return out;
}

std::string TradesCsv(const engine::RunResult& run) {
  std::string out = std::string(kTradesCsvHeader) + '\n';
  out.reserve(out.size() + run.trades.size() * 96);
  CsvWriter csv(out);
  for (const engine::Trade& t : run.trades) {
    WriteTradeFields(csv, t, SymbolName(run, t.symbol), run.intraday);
    csv.End();
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
  j["first_rejection"] = run.first_rejection.empty() ? nlohmann::ordered_json(nullptr)
                                                     : nlohmann::ordered_json(run.first_rejection);
  auto& per_symbol = j["per_symbol"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < run.per_symbol.size() && i < run.symbols.size(); ++i) {
    const engine::SymbolResult& r = run.per_symbol[i];
    nlohmann::ordered_json row;
    row["symbol"] = run.symbols[i].name;
    row["trades"] = r.trades;
    row["won"] = r.won;
    row["lost"] = r.lost;
    row["win_rate"] =
        r.trades > 0
            ? nlohmann::ordered_json(static_cast<double>(r.won) / static_cast<double>(r.trades))
            : nlohmann::ordered_json(nullptr);
    row["net_pnl"] = r.net_pnl.ToString();
    row["average_r"] = r.r_count > 0
                           ? nlohmann::ordered_json(r.r_sum / static_cast<double>(r.r_count))
                           : nlohmann::ordered_json(nullptr);
    per_symbol.push_back(std::move(row));
  }
  j["digest"] = run.digest;
  return j.dump(2) + "\n";
}

std::string TradeCountText(const engine::Metrics& m) {
  const std::int64_t even = m.trade_count - m.winning_trades - m.losing_trades;
  return std::to_string(m.trade_count) + " (" + std::to_string(m.winning_trades) + " won, " +
         std::to_string(m.losing_trades) + " lost" +
         (even > 0 ? ", " + std::to_string(even) + " break-even" : std::string()) + ")";
}

std::string SummaryTable(const engine::RunResult& run, const RunInfo& info) {
  const engine::Metrics& m = run.metrics;
  std::ostringstream out;
  std::string params;
  for (const auto& [k, v] : info.params) params += (params.empty() ? "" : ", ") + k + "=" + v;
  if (info.params.size() > 6)
    params = std::to_string(info.params.size()) + " parameters: --json prints them";
  std::string names;
  for (const auto& s : run.symbols) names += (names.empty() ? "" : ", ") + s.name;
  out << info.command << ": " << info.strategy << " (" << params << ") on " << names << ", "
      << run.bars << " bars\n";
  auto row = [&](const char* label, const std::string& value) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %-22s %s\n", label, value.c_str());
    out << buf;
  };
  row("trades", TradeCountText(m));
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
  if (run.rejected_orders > 0) {
    row("rejected orders", std::to_string(run.rejected_orders) +
                               " (first: " + EscapeControl(run.first_rejection) + ")");
  }
  row("digest", run.digest);
  if (run.symbols.size() > 1 && run.per_symbol.size() == run.symbols.size()) {
    // One line per symbol: a universe run's trades, where they came from.
    std::size_t width = 6;
    for (const auto& s : run.symbols) width = std::max(width, s.name.size());
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-*s %7s %5s %5s %9s %14s %9s\n", static_cast<int>(width),
                  "symbol", "trades", "won", "lost", "win rate", "net P&L", "average R");
    out << buf;
    for (std::size_t i = 0; i < run.symbols.size(); ++i) {
      const engine::SymbolResult& r = run.per_symbol[i];
      const std::string rate =
          r.trades > 0 ? Percent(static_cast<double>(r.won) / static_cast<double>(r.trades))
                       : "n/a";
      const std::string avg_r =
          r.r_count > 0 ? Number(r.r_sum / static_cast<double>(r.r_count), "%.2f") : "n/a";
      std::snprintf(buf, sizeof buf, "  %-*s %7lld %5lld %5lld %9s %14s %9s\n",
                    static_cast<int>(width), EscapeControl(run.symbols[i].name).c_str(),
                    static_cast<long long>(r.trades), static_cast<long long>(r.won),
                    static_cast<long long>(r.lost), rate.c_str(), r.net_pnl.ToString().c_str(),
                    avg_r.c_str());
      out << buf;
    }
  }
  return out.str();
}

Result<void> WriteFiles(const std::string& dir,
                        const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<OutputFile*>& ready) {
  const fs::path base(dir);
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) return Fail(ErrorCode::kIo, dir + ": cannot create the output folder: " + ec.message());
  std::vector<OutputFile> written;
  written.reserve(files.size());
  for (const auto& [name, text] : files) {
    Result<OutputFile> file = OutputFile::Create((base / name).string());
    if (!file) return tl::unexpected(file.error());
    file->Write(text);
    if (auto ok = file->Close(); !ok) return ok;
    written.push_back(std::move(*file));
  }
  for (OutputFile* file : ready) {
    if (auto ok = file->Commit(); !ok) return ok;
  }
  for (OutputFile& file : written) {
    if (auto ok = file.Commit(); !ok) return ok;
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
  std::string out;
  CsvWriter csv(out);
  for (std::string_view head :
       {"symbol", "type", "pattern_time", "confirm_time", "level", "confidence"}) {
    csv.Text(head);
  }
  for (const auto& n : names) csv.Text(n);
  csv.End();
  engine::DetailValue::Buffer buffer;
  for (const auto& e : events) {
    csv.Text(symbols[e.symbol].name).Text(e.type).Time(e.pattern_time, intraday);
    csv.Time(e.confirm_time, intraday).Significant(e.level).Significant(e.confidence);
    for (const auto& n : names) {
      csv.Text(e.DetailView(n, buffer));
    }
    csv.End();
  }
  return out;
}

RecordCsvWriter::Stream::Stream() : csv(buffer) {}

Result<void> RecordCsvWriter::Open(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, dir + ": cannot create the output folder: " + ec.message());
  for (auto [stream, name] : {std::pair{&trades_, "trades.csv"}, std::pair{&fills_, "fills.csv"},
                              std::pair{&orders_, "orders.csv"}}) {
    Result<OutputFile> file = OutputFile::Create((fs::path(dir) / name).string());
    if (!file) return tl::unexpected(file.error());
    stream->file.emplace(std::move(*file));
  }
  trades_.buffer = std::string(kTradesCsvHeader) + "\n";
  fills_.csv.Row(kFillsHeader);
  orders_.csv.Row(kOrdersHeader);
  return {};
}

void RecordCsvWriter::OnStart(const std::vector<engine::SymbolInfo>& symbols, bool intraday) {
  symbols_ = symbols;
  intraday_ = intraday;
}

void RecordCsvWriter::Flush(Stream& s) {
  if (s.buffer.size() < kFlushAt) return;
  s.file->Write(s.buffer);
  s.buffer.clear();
}

void RecordCsvWriter::OnFill(const engine::Fill& fill) {
  WriteFillRow(fills_.csv, fill, symbols_[fill.symbol].name, intraday_);
  Flush(fills_);
}

void RecordCsvWriter::OnTrade(const engine::Trade& trade) {
  WriteTradeFields(trades_.csv, trade, symbols_[trade.symbol].name, intraday_);
  trades_.csv.End();
  Flush(trades_);
}

void RecordCsvWriter::OnOrder(const engine::Order& order) {
  WriteOrderRow(orders_.csv, order, symbols_[order.request.symbol].name, intraday_);
  Flush(orders_);
}

Result<std::vector<OutputFile*>> RecordCsvWriter::Close() {
  std::vector<OutputFile*> files;
  for (Stream* s : {&trades_, &fills_, &orders_}) {
    s->file->Write(s->buffer);
    s->buffer.clear();
    if (auto ok = s->file->Close(); !ok) return tl::unexpected(ok.error());
    files.push_back(&*s->file);
  }
  return files;
}

Result<void> WriteReport(const std::string& dir, const engine::RunResult& run, const RunInfo& info,
                         EquityCsvWriter& equity, RecordCsvWriter* records) {
  if (records != nullptr) {
    Result<OutputFile*> equity_file = equity.Close();
    if (!equity_file) return tl::unexpected(equity_file.error());
    Result<std::vector<OutputFile*>> streamed = records->Close();
    if (!streamed) return tl::unexpected(streamed.error());
    streamed->push_back(*equity_file);
    return WriteFiles(dir,
                      {{"events.csv", EventsCsv(run.symbols, run.events, run.intraday)},
                       {"summary.json", SummaryJson(run, info)}},
                      *streamed);
  }
  return WriteReport(dir, run, info, equity);
}

Result<void> WriteReport(const std::string& dir, const engine::RunResult& run, const RunInfo& info,
                         EquityCsvWriter& equity) {
  Result<OutputFile*> equity_file = equity.Close();
  if (!equity_file) return tl::unexpected(equity_file.error());
  return WriteFiles(dir,
                    {{"trades.csv", TradesCsv(run)},
                     {"fills.csv", FillsCsv(run)},
                     {"orders.csv", OrdersCsv(run)},
                     {"events.csv", EventsCsv(run.symbols, run.events, run.intraday)},
                     {"summary.json", SummaryJson(run, info)}},
                    {*equity_file});
}

}  // namespace wyckoff::report
