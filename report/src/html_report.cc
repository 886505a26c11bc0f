#include "wyckoff/report/html_report.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "html_assets.h"

namespace wyckoff::report {
namespace {

using Sink = std::function<void(std::string_view)>;

// `text` with '<', '>' and '&' written as JSON escapes: valid inside JSON strings (the only
// place these characters can appear in JSON), and unable to end a <script> element.
std::string EscapeForScript(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

// A JSON writer that streams into a sink: the page's data can be hundreds of megabytes.
class JsonOut {
 public:
  explicit JsonOut(const Sink& sink) : sink_(sink) { buffer_.reserve(kFlushAt + 1024); }
  ~JsonOut() { Flush(); }

  JsonOut& Open(char bracket) {
    Separate();
    buffer_ += bracket;
    first_.push_back(true);
    return *this;
  }
  JsonOut& Close(char bracket) {
    buffer_ += bracket;
    first_.pop_back();
    if (buffer_.size() >= kFlushAt) Flush();
    return *this;
  }
  JsonOut& Key(std::string_view key) {
    Separate();
    String(key);
    buffer_ += ':';
    after_key_ = true;
    return *this;
  }
  // A JSON string; invalid UTF-8 becomes U+FFFD.
  JsonOut& Str(std::string_view text) {
    Separate();
    String(text);
    return *this;
  }
  // Text that is JSON already (a number, an object).
  JsonOut& Raw(std::string_view json) {
    Separate();
    buffer_ += json;
    if (buffer_.size() >= kFlushAt) Flush();
    return *this;
  }
  JsonOut& Int(std::int64_t v) { return Raw(std::to_string(v)); }
  JsonOut& Bool(bool v) { return Raw(v ? "true" : "false"); }
  JsonOut& Null() { return Raw("null"); }
  JsonOut& Dec(const Decimal& v) { return Raw(v.ToString()); }
  JsonOut& Dec(const std::optional<Decimal>& v) { return v ? Dec(*v) : Null(); }
  // The shortest text that reads back as `v`; null when undefined or not finite.
  JsonOut& Num(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return Null();
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
    return Raw(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  }
  JsonOut& Time(Timestamp t) { return Int(ToSeconds(t)); }

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;

  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) buffer_ += ',';
    first_.back() = false;
  }
  void String(std::string_view text) {
    const std::string quoted = nlohmann::json(std::string(text))
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    buffer_ += EscapeForScript(quoted);
  }
  void Flush() {
    if (!buffer_.empty()) sink_(buffer_);
    buffer_.clear();
  }

  const Sink& sink_;
  std::string buffer_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

// The detail as the number its text reads (the chart draws what events.csv says, to 6
// decimals), or nullopt.
std::optional<double> DetailNumber(const engine::RunEvent& e, std::string_view name) {
  engine::DetailValue::Buffer buffer;
  const std::string_view text = e.DetailView(name, buffer);
  if (text.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Adds a segment from `from` with the levels, kind and phase `e` quotes, unless they are
// those of the last segment or unreadable.
void AddSegment(ChartRange& range, const engine::RunEvent& e, Timestamp from) {
  const std::optional<double> support = DetailNumber(e, "support"),
                              resistance = DetailNumber(e, "resistance");
  const engine::DetailValue* kind = e.Find("range_kind");
  const engine::DetailValue* phase = e.Find("phase_after");
  if (!support || !resistance || kind == nullptr || phase == nullptr) return;
  engine::DetailValue::Buffer kind_buffer, phase_buffer;
  const std::string_view kind_text = kind->View(kind_buffer),
                         phase_text = phase->View(phase_buffer);
  if (!range.segments.empty()) {
    const RangeSegment& last = range.segments.back();
    if (last.support == *support && last.resistance == *resistance && last.kind == kind_text &&
        last.phase == phase_text) {
      return;
    }
  }
  range.segments.push_back(
      {from, *support, *resistance, std::string(kind_text), std::string(phase_text)});
}

void WriteSymbols(JsonOut& j, const HtmlReport& r) {
  j.Key("symbols").Open('[');
  for (std::size_t s = 0; s < r.symbols.size(); ++s) {
    const BarSeries& bars = r.bars[s];
    j.Open('{');
    j.Key("name").Str(r.symbols[s].name).Key("intraday").Bool(r.symbols[s].intraday);
    j.Key("bars").Int(bars.count());
    j.Key("rows").Int(static_cast<std::int64_t>(bars.rows().size()));
    j.Key("aggregated").Bool(bars.aggregated()).Key("period").Int(bars.period());
    j.Close('}');
  }
  j.Close(']');
}

void WriteBars(JsonOut& j, const HtmlReport& r) {
  j.Key("bar_columns").Raw(R"(["symbol","time","open","high","low","close","volume"])");
  j.Key("bars").Open('[');
  std::string row;
  for (std::size_t s = 0; s < r.bars.size(); ++s) {
    const std::string symbol = std::to_string(s);
    for (const ChartBar& b : r.bars[s].rows()) {
      row = '[' + symbol + ',' + std::to_string(b.time) + ',' + b.open.ToString() + ',' +
            b.high.ToString() + ',' + b.low.ToString() + ',' + b.close.ToString() + ',' +
            b.volume.ToString() + ']';
      j.Raw(row);
    }
  }
  j.Close(']');
}

void WriteEquity(JsonOut& j, const HtmlReport& r) {
  const EquitySeries& e = r.equity;
  j.Key("equity_points").Int(e.count());
  j.Key("equity_aggregated").Bool(e.aggregated()).Key("equity_period").Int(e.period());
  j.Key("equity_columns")
      .Raw(e.aggregated() ? R"(["time","cash","equity","low","high"])"
                          : R"(["time","cash","equity"])");
  j.Key("equity").Open('[');
  std::string row;
  for (const EquityRow& p : e.rows()) {
    row = '[' + std::to_string(p.time) + ',' + p.cash.ToString() + ',' + p.equity.ToString();
    if (e.aggregated()) row += ',' + p.low.ToString() + ',' + p.high.ToString();
    row += ']';
    j.Raw(row);
  }
  j.Close(']');
}

// events.csv's columns: symbol, type, pattern_time, confirm_time, level, confidence, then
// every detail name any event carries in first-seen order (empty text where an event has none).
void WriteEvents(JsonOut& j, const HtmlReport& r) {
  std::vector<std::string> names;
  for (const engine::RunEvent& e : r.events) {
    for (std::size_t i = 0; i < e.details.size(); ++i) {
      const std::string& name = e.details[i].name;
      if (i < names.size() && names[i] == name) continue;  // the common case: the same order
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  j.Key("event_columns").Open('[');
  for (std::string_view c :
       {"symbol", "type", "pattern_time", "confirm_time", "level", "confidence"}) {
    j.Str(c);
  }
  for (const std::string& n : names) j.Str(n);
  j.Close(']').Key("events").Open('[');
  engine::DetailValue::Buffer buffer;
  for (const engine::RunEvent& e : r.events) {
    j.Open('[').Int(e.symbol).Str(e.type).Time(e.pattern_time).Time(e.confirm_time);
    j.Num(e.level).Num(e.confidence);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i < e.details.size() && e.details[i].name == names[i]) {
        j.Str(e.details[i].value.View(buffer));
        continue;
      }
      j.Str(e.DetailView(names[i], buffer));
    }
    j.Close(']');
  }
  j.Close(']');
}

void WriteTrades(JsonOut& j, const HtmlReport& r) {
  j.Key("trades").Open('[');
  for (const ChartTrade& t : r.trades) {
    j.Open('{').Key("symbol").Int(t.symbol).Key("direction").Str(t.is_long ? "LONG" : "SHORT");
    j.Key("entry_time").Time(t.entry_time).Key("exit_time").Time(t.exit_time);
    j.Key("entry_price").Dec(t.entry_price).Key("exit_price").Dec(t.exit_price);
    j.Key("quantity").Dec(t.quantity).Key("pnl").Dec(t.pnl).Key("fees").Dec(t.fees);
    j.Key("bars_held").Int(t.bars_held);
    j.Key("r_multiple");
    if (t.r_multiple) {
      j.Raw(t.r_multiple->ToString(4));  // as trades.csv writes it
    } else {
      j.Null();
    }
    j.Key("tag").Str(t.tag).Key("stop").Dec(t.stop).Key("target").Dec(t.target);
    if (t.window != 0) {
      j.Key("window").Int(t.window).Key("closed_at_window_end").Bool(t.closed_at_window_end);
    }
    j.Close('}');
  }
  j.Close(']');
}

void WriteRanges(JsonOut& j, const HtmlReport& r) {
  j.Key("ranges").Open('[');
  for (const ChartRange& range : RangesOf(r.events)) {
    j.Open('{').Key("symbol").Int(range.symbol).Key("range_id").Int(range.range_id);
    j.Key("start").Time(range.start).Key("active").Time(range.active).Key("end");
    if (range.end) {
      j.Time(*range.end);
    } else {
      j.Null();
    }
    j.Key("end_reason").Str(range.end_reason).Key("segments").Open('[');
    for (const RangeSegment& s : range.segments) {
      j.Open('{').Key("time").Time(s.from).Key("support").Num(s.support);
      j.Key("resistance").Num(s.resistance).Key("kind").Str(s.kind).Key("phase").Str(s.phase);
      j.Close('}');
    }
    j.Close(']').Close('}');
  }
  j.Close(']');
}

void WriteWindows(JsonOut& j, const HtmlReport& r) {
  j.Key("windows").Open('[');
  for (std::size_t w = 0; w < r.windows.size(); ++w) {
    const ChartWindow& win = r.windows[w];
    j.Open('{').Key("window").Int(static_cast<std::int64_t>(w + 1));
    j.Key("train_first").Time(win.train_first).Key("train_last").Time(win.train_last);
    j.Key("test_first").Time(win.test_first).Key("test_last").Time(win.test_last);
    j.Close('}');
  }
  j.Close(']');
}

void WriteSearch(JsonOut& j, const HtmlReport& r) {
  j.Key("search").Open('{').Key("objective").Str(r.objective).Key("parameters").Open('[');
  for (const std::string& name : r.searched) j.Str(name);
  j.Close(']').Key("results").Open('[');
  std::int64_t rank = 0;
  for (const SearchRow& row : r.results) {
    j.Open('{').Key("rank").Int(++rank).Key("index").Int(static_cast<std::int64_t>(row.index));
    j.Key("parameters").Open('{');
    for (const auto& [name, value] : row.parameters) j.Key(name).Str(value);
    j.Close('}').Key("score").Num(row.score).Key("net_profit").Dec(row.net_profit);
    j.Key("trades").Int(row.trades).Key("sharpe").Num(row.sharpe);
    j.Key("max_drawdown").Num(row.max_drawdown).Close('}');
  }
  j.Close(']').Close('}');
}

Result<std::string> SummaryText(const HtmlReport& r) {
  if (r.summary_json.empty()) return std::string("{}");
  nlohmann::ordered_json summary =
      nlohmann::ordered_json::parse(r.summary_json, nullptr, /*allow_exceptions=*/false);
  if (!summary.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "the report's summary is not a JSON object");
  }
  return EscapeForScript(
      summary.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

Result<void> WriteData(const HtmlReport& r, const Sink& sink) {
  auto summary = SummaryText(r);
  if (!summary) return tl::unexpected(summary.error());
  JsonOut j(sink);
  j.Open('{').Key("format").Str("wyckoff-report/1").Key("kind").Str(r.kind);
  j.Key("title").Str(r.title).Key("intraday").Bool(r.intraday());
  j.Key("chart_library").Str("lightweight-charts " + std::string(assets::kChartLibraryVersion));
  WriteSymbols(j, r);
  bool aggregated = r.equity.aggregated();
  for (const BarSeries& b : r.bars) aggregated = aggregated || b.aggregated();
  j.Key("aggregated").Bool(aggregated);
  j.Key("bar_limit").Int(static_cast<std::int64_t>(r.bar_limit));
  WriteBars(j, r);
  WriteEquity(j, r);
  WriteEvents(j, r);
  WriteTrades(j, r);
  WriteRanges(j, r);
  j.Key("charted_run_digest").Str(r.charted_run_digest);
  if (r.kind == "walk-forward") WriteWindows(j, r);
  if (r.kind == "optimize") WriteSearch(j, r);
  j.Key("summary").Raw(*summary);
  j.Close('}');
  return {};
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Writes the template with each marker replaced by its part, in order.
Result<void> WritePage(const HtmlReport& r, const Sink& sink) {
  const std::string title = EscapeHtml(r.title);
  const std::pair<std::string_view, std::string_view> texts[] = {
      {assets::kTitleMarker, title},
      {assets::kStyleMarker, assets::kStyle},
      {assets::kDataMarker, {}},  // the data, written below
      {assets::kLibraryMarker, assets::kChartLibrary},
      {assets::kScriptMarker, assets::kScript},
  };
  std::string_view rest = assets::kTemplate;
  for (const auto& [marker, text] : texts) {
    const std::size_t at = rest.find(marker);
    WYCKOFF_CHECK(at != std::string_view::npos, "a marker is missing from the page template");
    sink(rest.substr(0, at));
    if (marker == assets::kDataMarker) {
      if (auto ok = WriteData(r, sink); !ok) return ok;
    } else {
      sink(text);
    }
    rest.remove_prefix(at + marker.size());
  }
  sink(rest);
  return {};
}

}  // namespace

ChartTrade ChartTradeOf(const engine::Trade& t) {
  ChartTrade c;
  c.symbol = t.symbol;
  c.is_long = t.direction == engine::Side::kBuy;
  c.entry_time = t.entry_time;
  c.exit_time = t.exit_time;
  c.entry_price = t.entry_price;
  c.exit_price = t.exit_price;
  c.quantity = t.quantity;
  c.pnl = t.pnl;
  c.fees = t.fees;
  c.bars_held = t.bars_held();
  c.r_multiple = t.r_multiple;
  c.tag = std::string(t.tag);
  return c;
}

void AttachBrackets(std::vector<ChartTrade>& trades, const engine::RunResult& run, int window) {
  std::map<engine::OrderId, const engine::Order*> orders;
  for (const engine::Order& o : run.orders) orders[o.id] = &o;
  // The first entry order filled per (symbol, time, side).
  std::map<std::tuple<int, Timestamp, bool>, const engine::Order*> entries;
  for (const engine::Fill& f : run.fills) {
    auto it = orders.find(f.order);
    if (it == orders.end() || it->second->parent != 0) continue;
    entries.emplace(std::tuple(f.symbol, f.time, f.side == engine::Side::kBuy), it->second);
  }
  for (ChartTrade& t : trades) {
    if (t.window != window) continue;
    auto it = entries.find(std::tuple(t.symbol, t.entry_time, t.is_long));
    if (it == entries.end()) continue;
    t.stop = it->second->request.stop_loss;
    t.target = it->second->request.take_profit;
  }
}

std::vector<ChartTrade> ChartTradesOf(const engine::RunResult& run) {
  std::vector<ChartTrade> out;
  out.reserve(run.trades.size());
  for (const engine::Trade& t : run.trades) out.push_back(ChartTradeOf(t));
  AttachBrackets(out, run);
  return out;
}

std::vector<ChartRange> RangesOf(std::span<const engine::RunEvent> events) {
  std::vector<ChartRange> ranges;
  for (const engine::RunEvent& e : events) {
    const std::optional<double> id = DetailNumber(e, "range_id");
    if (!id || *id == 0) continue;
    const auto range_id = static_cast<std::int64_t>(*id);
    if (e.type == "RANGE_ACTIVE") {
      ChartRange r{.symbol = e.symbol,
                   .range_id = range_id,
                   .start = e.pattern_time,
                   .active = e.confirm_time};
      AddSegment(r, e, e.pattern_time);
      ranges.push_back(std::move(r));
      continue;
    }
    ChartRange* open = nullptr;
    for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
      if (it->symbol == e.symbol && it->range_id == range_id && !it->end) {
        open = &*it;
        break;
      }
    }
    if (open == nullptr) continue;
    if (e.type == "RANGE_BROKEN_DOWN" || e.type == "RANGE_BROKEN_UP") {
      open->end = e.confirm_time;
      open->end_reason = e.type.substr(6);
    } else if (e.type == "SOS" || e.type == "SOW") {
      open->end = e.confirm_time;
      open->end_reason = e.type;
    } else {
      AddSegment(*open, e, e.confirm_time);
    }
  }
  return ranges;
}

HtmlReport::HtmlReport(std::string kind_, std::vector<engine::SymbolInfo> symbols_,
                       std::size_t bar_limit_)
    : kind(std::move(kind_)),
      symbols(std::move(symbols_)),
      bar_limit(std::max<std::size_t>(bar_limit_, 1)),
      equity(bar_limit) {
  const std::size_t each =
      std::max<std::size_t>(bar_limit / std::max<std::size_t>(symbols.size(), 1), 1);
  bars.reserve(symbols.size());
  for (std::size_t s = 0; s < symbols.size(); ++s) bars.emplace_back(each);
  for (const auto& s : symbols) title += (title.empty() ? "" : ", ") + s.name;
  title = kind + ": " + title;
}

bool HtmlReport::intraday() const {
  for (const auto& s : symbols) {
    if (s.intraday) return true;
  }
  return false;
}

Result<bool> BarTap::Next(Bar& bar) {
  Result<bool> got = source_->Next(bar);
  if (got && *got) series_.Add(bar);
  return got;
}

void TapSources(HtmlReport& report, std::vector<std::unique_ptr<engine::BarSource>>& sources) {
  WYCKOFF_CHECK(sources.size() == report.bars.size(), "one source per symbol of the report");
  for (std::size_t s = 0; s < sources.size(); ++s) {
    sources[s] = std::make_unique<BarTap>(std::move(sources[s]), report.bars[s]);
  }
}

std::string ReportDataJson(const HtmlReport& report) {
  std::string out;
  auto ok = WriteData(report, [&](std::string_view bytes) { out += bytes; });
  WYCKOFF_CHECK(ok, "the report's summary is a JSON object");
  return out;
}

std::string HtmlReportPage(const HtmlReport& report) {
  std::string out;
  auto ok = WritePage(report, [&](std::string_view bytes) { out += bytes; });
  WYCKOFF_CHECK(ok, "the report's summary is a JSON object");
  return out;
}

Result<OutputFile> WriteHtmlReport(const std::string& path, const HtmlReport& report) {
  Result<OutputFile> file = OutputFile::Create(path);
  if (!file) return file;
  if (auto ok = WritePage(report, [&](std::string_view bytes) { file->Write(bytes); }); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = file->Close(); !ok) return tl::unexpected(ok.error());
  return file;
}

}  // namespace wyckoff::report
