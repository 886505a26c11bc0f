#include "wyckoff/engine/bar_columns.h"

#include <algorithm>
#include <utility>

namespace wyckoff::engine {

using Raw = Decimal::Raw;

namespace {

// q = r / 10^E when 10^E divides r. A constant divisor: a multiplication and a shift, where a
// divisor read from a table costs a hardware division (a 128-bit one through the library for
// a raw), once per value read.
template <std::size_t E>
bool DivideExactly(std::int64_t r, std::int64_t& q) {
  q = r / Decimal::kPow10[E];
  return q * Decimal::kPow10[E] == r;
}

template <std::size_t... E>
constexpr auto Dividers(std::index_sequence<E...>) {
  return std::array<bool (*)(std::int64_t, std::int64_t&), sizeof...(E)>{&DivideExactly<E>...};
}

constexpr auto kDivideExactly = Dividers(std::make_index_sequence<Decimal::kScale + 1>());

}  // namespace

BarColumns::BarColumns(std::span<const Bar> bars) {
  reserve(bars.size());
  for (const Bar& bar : bars) push_back(bar);
}

void BarColumns::push_back(const Bar& bar) {
  times_.push_back(bar.time);
  decimals_.push_back(bar.decimals);
  columns_[kOpen].push_back(bar.open.raw());
  columns_[kHigh].push_back(bar.high.raw());
  columns_[kLow].push_back(bar.low.raw());
  columns_[kClose].push_back(bar.close.raw());
  columns_[kVolume].push_back(bar.volume.raw());
}

void BarColumns::reserve(std::size_t bars) {
  times_.reserve(bars);
  decimals_.reserve(bars);
  for (Column& c : columns_) c.wide_form ? c.wide.reserve(bars) : c.narrow.reserve(bars);
}

void BarColumns::clear() {
  times_.clear();
  decimals_.clear();
  for (Column& c : columns_) {
    c.narrow.clear();
    c.wide.clear();
    c.exponent = Decimal::kScale;
    c.wide_form = false;
  }
}

void BarColumns::shrink_to_fit() {
  times_.shrink_to_fit();
  decimals_.shrink_to_fit();
  for (Column& c : columns_) c.wide_form ? c.wide.shrink_to_fit() : c.narrow.shrink_to_fit();
}

std::size_t BarColumns::bytes() const {
  std::size_t bytes = times_.capacity() * sizeof(Timestamp) + decimals_.capacity();
  for (const Column& c : columns_) {
    bytes += c.narrow.capacity() * sizeof(std::int64_t) + c.wide.capacity() * sizeof(Raw);
  }
  return bytes;
}

void BarColumns::Column::push_back(Raw raw) {
  if (wide_form) {
    wide.push_back(raw);
    return;
  }
  std::int64_t q;
  if (FitsInt64(raw) && kDivideExactly[exponent](static_cast<std::int64_t>(raw), q)) {
    narrow.push_back(q);  // the common case: a value on the column's step
    return;
  }
  // Off the column's step, or a raw beyond int64: the largest power of ten up to the
  // column's that divides the value.
  int e = exponent;
  if (FitsInt64(raw)) {
    const auto r = static_cast<std::int64_t>(raw);
    while (e > 0 && r % kPow10[e] != 0) --e;
  } else {
    while (e > 0 && raw % kPow10[e] != 0) --e;
  }
  if (e < exponent) {
    // The values held become multiples of the smaller power; once, not per bar, since the
    // exponent only goes down.
    const std::int64_t factor = kPow10[exponent - e];
    bool fits = true;
    for (std::int64_t v : narrow) {
      std::int64_t scaled;
      fits = fits && !__builtin_mul_overflow(v, factor, &scaled);
    }
    if (!fits) {
      Widen(narrow.capacity());
      wide.push_back(raw);
      return;
    }
    for (std::int64_t& v : narrow) v *= factor;
    exponent = e;
  }
  const Raw scaled = raw / kPow10[exponent];
  if (!FitsInt64(scaled)) {
    Widen(narrow.capacity());
    wide.push_back(raw);
    return;
  }
  narrow.push_back(static_cast<std::int64_t>(scaled));
}

void BarColumns::Column::Widen(std::size_t room) {
  wide.reserve(std::max(room, narrow.size() + 1));
  for (std::int64_t v : narrow) wide.push_back(static_cast<Raw>(v) * kPow10[exponent]);
  std::vector<std::int64_t>().swap(narrow);
  exponent = 0;
  wide_form = true;
}

ColumnBarSource::ColumnBarSource(BarView bars, bool intraday)
    : columns_(bars.columns()), first_(bars.offset()), size_(bars.size()), intraday_(intraday) {
  if (columns_ == nullptr) return;
  times_ = columns_->times_.data();
  decimals_ = columns_->decimals_.data();
  narrow_ = true;
  for (int c = 0; c < BarColumns::kFields; ++c) {
    const BarColumns::Column& column = columns_->columns_[c];
    narrow_ = narrow_ && !column.wide_form;
    values_[c] = column.narrow.data();
    scales_[c] = BarColumns::kPow10[column.exponent];
  }
}

}  // namespace wyckoff::engine
