#include "wyckoff/engine/run_codec.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace wyckoff::engine {
namespace {

constexpr char kMagic[4] = {'W', 'Y', 'R', '1'};

// A field added to Metrics must be added to Put and Get below (and this size updated).
static_assert(sizeof(Metrics) == 304, "Metrics changed: update EncodeResults and DecodeResults");

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  template <typename T>
  void Raw(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void Put(std::int64_t v) { Raw(v); }
  void Put(double v) { Raw(v); }
  void Put(Decimal d) { Raw(d.raw()); }
  template <typename T>
  void Put(const std::optional<T>& v) {
    Raw(static_cast<std::uint8_t>(v.has_value()));
    if (v) Put(*v);
  }
  void Put(std::string_view s) {
    Raw(static_cast<std::uint64_t>(s.size()));
    out_.append(s);
  }

 private:
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return in_.empty(); }
  template <typename T>
  T Raw() {
    T v{};
    if (in_.size() < sizeof v) {
      ok_ = false;
      in_ = {};
      return v;
    }
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return v;
  }
  void Get(std::int64_t& v) { v = Raw<std::int64_t>(); }
  void Get(double& v) { v = Raw<double>(); }
  void Get(Decimal& d) { d = Decimal::FromRaw(Raw<Decimal::Raw>()); }
  template <typename T>
  void Get(std::optional<T>& v) {
    v.reset();
    if (Raw<std::uint8_t>() != 0) Get(v.emplace());
  }
  void Get(std::string& s) {
    const auto n = Raw<std::uint64_t>();
    if (n > in_.size()) {
      ok_ = false;
      in_ = {};
      return;
    }
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
  }

 private:
  std::string_view in_;
  bool ok_ = true;
};

// Every field of Metrics, in declaration order, for both directions.
template <typename Io, typename M>
void Fields(Io& io, M& m) {
  io.Put(m.initial_equity), io.Put(m.final_equity), io.Put(m.net_profit);
  io.Put(m.total_return), io.Put(m.cagr), io.Put(m.sharpe), io.Put(m.sortino);
  io.Put(m.max_drawdown), io.Put(m.max_drawdown_amount), io.Put(m.max_drawdown_duration);
  io.Put(m.trade_count), io.Put(m.winning_trades), io.Put(m.losing_trades), io.Put(m.win_rate);
  io.Put(m.average_r), io.Put(m.expectancy), io.Put(m.gross_profit), io.Put(m.gross_loss);
  io.Put(m.profit_factor), io.Put(m.exposure), io.Put(m.average_bars_held), io.Put(m.steps);
}

// Reader spelled as the writer, so that one field list serves both.
struct GetAll {
  Reader& r;
  template <typename T>
  void Put(T& v) {
    r.Get(v);
  }
};

}  // namespace

std::string EncodeResults(std::span<const Result<ComboResult>> results) {
  std::string out(kMagic, sizeof kMagic);
  Writer w(out);
  w.Raw(static_cast<std::uint64_t>(results.size()));
  for (const Result<ComboResult>& r : results) {
    w.Raw(static_cast<std::uint8_t>(r.has_value()));
    if (!r) {
      w.Raw(static_cast<std::uint8_t>(r.error().code));
      w.Put(r.error().message);
      continue;
    }
    w.Raw(r->index);
    Fields(w, r->metrics);
    w.Put(r->final_value);
    w.Put(r->digest);
  }
  return out;
}

Result<RunSlots> DecodeResults(std::string_view bytes) {
  auto bad = [] {
    return Fail(ErrorCode::kParse, "run results from another process do not decode");
  };
  if (bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) return bad();
  Reader r(bytes.substr(sizeof kMagic));
  const auto n = r.Raw<std::uint64_t>();
  if (!r.ok() || n > bytes.size()) return bad();
  RunSlots out;
  out.reserve(n);
  GetAll get{r};
  for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
    if (r.Raw<std::uint8_t>() == 0) {
      Error e;
      const auto code = r.Raw<std::uint8_t>();
      if (code > static_cast<std::uint8_t>(ErrorCode::kDatabase)) return bad();
      e.code = static_cast<ErrorCode>(code);
      r.Get(e.message);
      out.push_back(tl::unexpected(std::move(e)));
      continue;
    }
    ComboResult c;
    c.index = r.Raw<std::uint64_t>();
    Fields(get, c.metrics);
    r.Get(c.final_value);
    r.Get(c.digest);
    out.push_back(std::move(c));
  }
  if (!r.ok() || !r.done()) return bad();
  return out;
}

}  // namespace wyckoff::engine
