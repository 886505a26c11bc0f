#include "wyckoff/app/report_page.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "wyckoff/report/search_report.h"

namespace wyckoff::app {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// A CSV file the project wrote (RFC 4180), read whole.
struct Table {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;  // the line each row starts on

  int Column(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
  Error At(std::size_t row, const std::string& what) const {
    return {ErrorCode::kParse,
            EscapeControl(path) + ":" + std::to_string(lines[row]) + ": " + what};
  }
};

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound,
                EscapeControl(path.string()) + ": cannot read: " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Splits `text` into records of fields: quoted fields may hold commas, quotes (doubled) and line
// breaks; records end with LF or CRLF.
Result<Table> ParseCsv(const std::string& path, const std::string& text) {
  Table t{.path = path};
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, any = false;
  std::int64_t line = 1, record_line = 1;
  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    if (t.header.empty()) {
      t.header = std::move(record);
    } else {
      t.rows.push_back(std::move(record));
      t.lines.push_back(record_line);
    }
    record.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (!any) record_line = line;
    any = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      end_record();
      ++line;
    } else {
      field += c;
    }
  }
  if (quoted) {
    return Fail(ErrorCode::kParse, EscapeControl(path) + ":" + std::to_string(record_line) +
                                       ": a quoted field is not closed");
  }
  if (any) end_record();
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r].size() != t.header.size()) {
      return tl::unexpected(t.At(r, "expected " + std::to_string(t.header.size()) +
                                        " fields as in the header, found " +
                                        std::to_string(t.rows[r].size())));
    }
  }
  return t;
}

Result<Table> ReadCsv(const fs::path& dir, const std::string& name,
                      const std::vector<std::string_view>& required) {
  const fs::path path = dir / name;
  auto text = ReadText(path);
  if (!text) return tl::unexpected(text.error());
  auto table = ParseCsv(path.string(), *text);
  if (!table) return table;
  for (std::string_view column : required) {
    if (table->Column(column) < 0) {
      return Fail(ErrorCode::kParse, EscapeControl(path.string()) + ": no column " +
                                         Quoted(column) + "; is this a wyckoff report folder?");
    }
  }
  return table;
}

// Typed fields of a table's row, each error naming the file, line and column.
struct Row {
  const Table& table;
  std::size_t row;

  const std::string& Text(std::string_view column) const {
    return table.rows[row][static_cast<std::size_t>(table.Column(column))];
  }
  Result<Decimal> Number(std::string_view column) const {
    auto d = Decimal::Parse(Text(column));
    if (!d) return tl::unexpected(table.At(row, std::string(column) + ": " + d.error().message));
    return d;
  }
  Result<std::optional<Decimal>> OptionalNumber(std::string_view column) const {
    if (Text(column).empty()) return std::optional<Decimal>();
    auto d = Number(column);
    if (!d) return tl::unexpected(d.error());
    return std::optional<Decimal>(*d);
  }
  Result<double> Double(std::string_view column) const {
    const std::string& text = Text(column);
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return tl::unexpected(
          table.At(row, std::string(column) + ": " + Quoted(text) + " is not a number"));
    }
    return v;
  }
  Result<Timestamp> Time(std::string_view column) const {
    auto t = ParseTimestamp(Text(column));
    if (!t) return tl::unexpected(table.At(row, std::string(column) + ": " + t.error().message));
    return t;
  }
  Result<int> Symbol(const std::vector<engine::SymbolInfo>& symbols) const {
    const std::string& name = Text("symbol");
    for (std::size_t s = 0; s < symbols.size(); ++s) {
      if (symbols[s].name == name) return static_cast<int>(s);
    }
    return tl::unexpected(table.At(row, "symbol " + Quoted(name) + " is not in summary.json"));
  }
};

#define WYCKOFF_ASSIGN(lhs, expr)                                     \
  do {                                                                \
    auto wyckoff_value = (expr);                                      \
    if (!wyckoff_value) return tl::unexpected(wyckoff_value.error()); \
    lhs = std::move(*wyckoff_value);                                  \
  } while (false)

Result<std::vector<engine::RunEvent>> ReadEvents(const fs::path& dir,
                                                 const std::vector<engine::SymbolInfo>& symbols) {
  auto table = ReadCsv(dir, "events.csv",
                       {"symbol", "type", "pattern_time", "confirm_time", "level", "confidence"});
  if (!table) return tl::unexpected(table.error());
  std::vector<engine::RunEvent> events;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const Row row{*table, r};
    engine::RunEvent e;
    WYCKOFF_ASSIGN(e.symbol, row.Symbol(symbols));
    e.type = row.Text("type");
    WYCKOFF_ASSIGN(e.pattern_time, row.Time("pattern_time"));
    WYCKOFF_ASSIGN(e.confirm_time, row.Time("confirm_time"));
    WYCKOFF_ASSIGN(e.level, row.Double("level"));
    WYCKOFF_ASSIGN(e.confidence, row.Double("confidence"));
    for (std::size_t c = 6; c < table->header.size(); ++c) {
      e.details.push_back({table->header[c], table->rows[r][c]});
    }
    events.push_back(std::move(e));
  }
  return events;
}

// The trades of trades.csv or oos_trades.csv (with their window).
Result<std::vector<report::ChartTrade>> ReadTrades(const fs::path& dir, const std::string& name,
                                                   const std::vector<engine::SymbolInfo>& symbols,
                                                   bool windows) {
  std::vector<std::string_view> columns = {"entry_time", "exit_time", "entry_price", "exit_price",
                                           "quantity",   "pnl",       "fees",        "bars_held",
                                           "r_multiple", "symbol",    "direction",   "tag"};
  if (windows) columns.insert(columns.end(), {"window", "closed_at_window_end"});
  auto table = ReadCsv(dir, name, columns);
  if (!table) return tl::unexpected(table.error());
  std::vector<report::ChartTrade> trades;
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const Row row{*table, r};
    report::ChartTrade t;
    WYCKOFF_ASSIGN(t.symbol, row.Symbol(symbols));
    t.is_long = row.Text("direction") == "LONG";
    WYCKOFF_ASSIGN(t.entry_time, row.Time("entry_time"));
    WYCKOFF_ASSIGN(t.exit_time, row.Time("exit_time"));
    WYCKOFF_ASSIGN(t.entry_price, row.Number("entry_price"));
    WYCKOFF_ASSIGN(t.exit_price, row.Number("exit_price"));
    WYCKOFF_ASSIGN(t.quantity, row.Number("quantity"));
    WYCKOFF_ASSIGN(t.pnl, row.Number("pnl"));
    WYCKOFF_ASSIGN(t.fees, row.Number("fees"));
    Decimal held;
    WYCKOFF_ASSIGN(held, row.Number("bars_held"));
    t.bars_held = static_cast<std::int64_t>(held.ToDouble());
    WYCKOFF_ASSIGN(t.r_multiple, row.OptionalNumber("r_multiple"));
    t.tag = row.Text("tag");
    if (windows) {
      Decimal window;
      WYCKOFF_ASSIGN(window, row.Number("window"));
      t.window = static_cast<int>(window.ToDouble());
      t.closed_at_window_end = row.Text("closed_at_window_end") == "true";
    }
    trades.push_back(std::move(t));
  }
  return trades;
}

// Each trade's stop and target: the exits of the entry order of the fill that opened it.
Result<void> ReadBrackets(const fs::path& dir, const std::vector<engine::SymbolInfo>& symbols,
                          std::vector<report::ChartTrade>& trades) {
  auto orders = ReadCsv(dir, "orders.csv", {"id", "type", "limit_price", "stop_price", "parent"});
  if (!orders) return tl::unexpected(orders.error());
  auto fills = ReadCsv(dir, "fills.csv", {"time", "symbol", "order_id", "side"});
  if (!fills) return tl::unexpected(fills.error());
  std::map<std::string, std::size_t> order_row;                      // id -> row
  std::map<std::string, std::pair<std::size_t, std::size_t>> exits;  // parent -> stop, target
  for (std::size_t r = 0; r < orders->rows.size(); ++r) {
    const Row row{*orders, r};
    order_row[row.Text("id")] = r;
    const std::string& parent = row.Text("parent");
    if (parent.empty()) continue;
    auto& [stop, target] = exits.try_emplace(parent, SIZE_MAX, SIZE_MAX).first->second;
    if (row.Text("type") == "STOP") stop = r;
    if (row.Text("type") == "LIMIT") target = r;
  }
  struct EntryFill {
    Timestamp time;
    int symbol;
    bool buy;
    std::string order;
  };
  std::vector<EntryFill> entries;  // fills of orders without a parent
  for (std::size_t f = 0; f < fills->rows.size(); ++f) {
    const Row fill{*fills, f};
    auto o = order_row.find(fill.Text("order_id"));
    if (o == order_row.end() || !Row{*orders, o->second}.Text("parent").empty()) continue;
    EntryFill e{.buy = fill.Text("side") == "BUY", .order = fill.Text("order_id")};
    WYCKOFF_ASSIGN(e.time, fill.Time("time"));
    WYCKOFF_ASSIGN(e.symbol, fill.Symbol(symbols));
    entries.push_back(std::move(e));
  }
  for (report::ChartTrade& t : trades) {
    auto fill = std::find_if(entries.begin(), entries.end(), [&](const EntryFill& e) {
      return e.time == t.entry_time && e.symbol == t.symbol && e.buy == t.is_long;
    });
    if (fill == entries.end()) continue;
    auto e = exits.find(fill->order);
    if (e == exits.end()) continue;
    if (e->second.first != SIZE_MAX) {
      WYCKOFF_ASSIGN(t.stop, (Row{*orders, e->second.first}.OptionalNumber("stop_price")));
    }
    if (e->second.second != SIZE_MAX) {
      WYCKOFF_ASSIGN(t.target, (Row{*orders, e->second.second}.OptionalNumber("limit_price")));
    }
  }
  return {};
}

// equity.csv or oos_equity.csv.
Result<void> ReadEquity(const fs::path& dir, const std::string& name, report::EquitySeries& out) {
  auto table = ReadCsv(dir, name, {"time", "cash", "equity"});
  if (!table) return tl::unexpected(table.error());
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const Row row{*table, r};
    Timestamp time = 0;
    Decimal cash, equity;
    WYCKOFF_ASSIGN(time, row.Time("time"));
    WYCKOFF_ASSIGN(cash, row.Number("cash"));
    WYCKOFF_ASSIGN(equity, row.Number("equity"));
    out.Add({report::ToSeconds(time), cash, equity, equity, equity});
  }
  return {};
}

Result<void> ReadWindows(const Json& summary, const std::string& path,
                         std::vector<report::ChartWindow>& out) {
  if (!summary.contains("windows") || !summary["windows"].is_array()) {
    return Fail(ErrorCode::kParse, EscapeControl(path) + ": no \"windows\" array");
  }
  for (const Json& w : summary["windows"]) {
    std::array<Timestamp, 4> t{};
    const std::array<std::pair<const char*, int>, 4> parts = {
        {{"train", 0}, {"train", 1}, {"test", 0}, {"test", 1}}};
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const auto& [part, end] = parts[k];
      if (!w.contains(part) || !w[part].is_array() || w[part].size() != 2 ||
          !w[part][end].is_string()) {
        return Fail(ErrorCode::kParse,
                    EscapeControl(path) + ": a window without its " + part + " dates");
      }
      auto parsed = ParseTimestamp(w[part][end].get<std::string>());
      if (!parsed) {
        return Fail(ErrorCode::kParse, EscapeControl(path) + ": " + parsed.error().message);
      }
      t[k] = *parsed;
    }
    out.push_back({t[0], t[1], t[2], t[3]});
  }
  return {};
}

Result<void> ReadResults(const fs::path& dir, const Json& summary, report::HtmlReport& page) {
  if (summary.contains("grid") && summary["grid"].is_object()) {
    for (const auto& [name, values] : summary["grid"].items()) page.searched.push_back(name);
  }
  page.objective = summary.value("objective", "");
  std::vector<std::string_view> columns = {"index",  "score",        "net_profit",
                                           "sharpe", "max_drawdown", "trades"};
  for (const std::string& name : page.searched) columns.push_back(name);
  auto table = ReadCsv(dir, "results.csv", columns);
  if (!table) return tl::unexpected(table.error());
  for (std::size_t r = 0; r < table->rows.size(); ++r) {
    const Row row{*table, r};
    report::SearchRow s;
    Decimal index, trades;
    double score = 0, sharpe = 0;
    WYCKOFF_ASSIGN(index, row.Number("index"));
    s.index = static_cast<std::uint64_t>(index.ToDouble());
    for (const std::string& name : page.searched) s.parameters.emplace_back(name, row.Text(name));
    WYCKOFF_ASSIGN(score, row.Double("score"));
    if (!std::isnan(score)) s.score = score;
    WYCKOFF_ASSIGN(s.net_profit, row.Number("net_profit"));
    WYCKOFF_ASSIGN(trades, row.Number("trades"));
    s.trades = static_cast<std::int64_t>(trades.ToDouble());
    WYCKOFF_ASSIGN(sharpe, row.Double("sharpe"));
    if (!std::isnan(sharpe)) s.sharpe = sharpe;
    WYCKOFF_ASSIGN(s.max_drawdown, row.Double("max_drawdown"));
    page.results.push_back(std::move(s));
  }
  return {};
}

// `events` keeps the events the page shows.
Result<void> ReadFolder(const fs::path& dir, const Json& summary, const std::string& summary_path,
                        report::HtmlReport& page, std::vector<engine::RunEvent>& events) {
  if (page.kind == "backtest") {
    WYCKOFF_ASSIGN(events, ReadEvents(dir, page.symbols));
    page.events = events;
    WYCKOFF_ASSIGN(page.trades, ReadTrades(dir, "trades.csv", page.symbols, false));
    if (auto ok = ReadBrackets(dir, page.symbols, page.trades); !ok) return ok;
    page.charted_run_digest = summary.value("digest", "");
    return ReadEquity(dir, "equity.csv", page.equity);
  }
  if (page.kind == "walk-forward") {
    WYCKOFF_ASSIGN(page.trades, ReadTrades(dir, "oos_trades.csv", page.symbols, true));
    if (auto ok = ReadWindows(summary, summary_path, page.windows); !ok) return ok;
    return ReadEquity(dir, "oos_equity.csv", page.equity);
  }
  return ReadResults(dir, summary, page);
}

// The bars of every source into the page; the total.
Result<std::int64_t> ReadBars(OpenedData& opened, report::HtmlReport& page) {
  std::int64_t total = 0;
  for (std::size_t s = 0; s < opened.sources.size(); ++s) {
    Bar bar;
    while (true) {
      Result<bool> got = opened.sources[s]->Next(bar);
      if (!got) return tl::unexpected(got.error());
      if (!*got) break;
      page.bars[s].Add(bar);
      ++total;
    }
  }
  return total;
}

struct Summary {
  std::string path, text, kind;
  Json json;
};

// The run's summary.json: what kind of run it was.
Result<Summary> ReadSummary(const fs::path& dir) {
  Summary s{.path = (dir / "summary.json").string()};
  auto text = ReadText(s.path);
  if (!text) return tl::unexpected(text.error());
  s.text = std::move(*text);
  s.json = Json::parse(s.text, nullptr, /*allow_exceptions=*/false);
  if (!s.json.is_object() || !s.json.contains("command") || !s.json["command"].is_string()) {
    return Fail(ErrorCode::kParse,
                EscapeControl(s.path) + ": not the summary.json of a wyckoff run");
  }
  s.kind = s.json["command"].get<std::string>();
  if (s.kind != "backtest" && s.kind != "optimize" && s.kind != "walk-forward") {
    return Fail(ErrorCode::kParse, EscapeControl(s.path) + ": a run of " + Quoted(s.kind) +
                                       "; the page shows backtest, optimize and walk-forward runs");
  }
  return s;
}

// `data` with the names the run's files use: summary.json's symbols (a backtest's) unless names
// are given; searches record only their data, and the given names or the files' stems stand.
Result<DataRequest> NamedData(const DataRequest& given, const Json& summary) {
  DataRequest data = given;
  if (!summary.contains("symbols") || !summary["symbols"].is_array()) return data;
  std::vector<std::string> names;
  for (const Json& s : summary["symbols"]) {
    if (s.is_string()) names.push_back(s.get<std::string>());
  }
  if (names.size() != data.data.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the run has " + std::to_string(names.size()) + " symbols and " +
                    std::to_string(data.data.size()) + " sources of bars were given");
  }
  if (data.symbols.empty()) data.symbols = std::move(names);
  return data;
}

#undef WYCKOFF_ASSIGN

}  // namespace

Result<ReportPageOutcome> RunReportPage(const ReportPageRequest& r) {
  const fs::path dir(r.run);
  auto summary = ReadSummary(dir);
  if (!summary) return tl::unexpected(summary.error());
  auto data = NamedData(r.data, summary->json);
  if (!data) return tl::unexpected(data.error());
  Database database(r.database);
  auto opened = OpenData(*data, database);
  if (!opened) return tl::unexpected(opened.error());
  report::HtmlReport page(summary->kind, opened->symbols, r.bars);
  page.summary_json = summary->text;
  auto bars = ReadBars(*opened, page);
  if (!bars) return tl::unexpected(bars.error());
  const std::int64_t expected = summary->json.value("bars", std::int64_t{-1});
  if (expected >= 0 && *bars != expected) {
    return Fail(ErrorCode::kInvalidArgument,
                "the data has " + std::to_string(*bars) + " bars and the run had " +
                    std::to_string(expected) + " (" + EscapeControl(summary->path) +
                    "): give the run's own files");
  }
  std::vector<engine::RunEvent> events;
  if (auto ok = ReadFolder(dir, summary->json, summary->path, page, events); !ok) {
    return tl::unexpected(ok.error());
  }
  auto file = report::WriteHtmlReport(r.out, page);
  if (!file) return tl::unexpected(file.error());
  if (auto ok = file->Commit(); !ok) return tl::unexpected(ok.error());
  ReportPageOutcome out{.kind = summary->kind,
                        .bars = *bars,
                        .events = page.events.size(),
                        .trades = page.trades.size(),
                        .aggregated = page.equity.aggregated()};
  for (const auto& b : page.bars) out.aggregated = out.aggregated || b.aggregated();
  out.skipped = SkippedRows(opened->sources);
  return out;
}

}  // namespace wyckoff::app
