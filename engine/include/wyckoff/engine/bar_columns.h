// BarColumns: one symbol's bars held in memory as columns, about half the size of a
// std::vector<Bar> (49 against 96 bytes per bar), for searches that hold every symbol's bars
// once and replay them many times.
//
//   BarColumns columns;
//   columns.reserve(n);
//   for (const Bar& bar : bars) columns.push_back(bar);
//   Bar bar;
//   columns.Get(i, bar);                          // exactly the bar pushed, every field
//   BarView window(columns, begin, end);          // a range of it, without copying
//   ColumnBarSource source(window, /*intraday=*/true);
//
// The columns: time (int64), decimals (uint8), and open, high, low, close and volume each as
// int64 values of Decimal::raw() / 10^e, where e (0..12, one per column) is the largest power
// of ten that divides every raw value of the column: prices written with 2 to 6 decimals and
// integer volumes need e of 6 to 12, and their values are far inside int64. A value that is not
// a multiple of 10^e lowers e (the column is rescaled once, not per bar); a column whose values
// do not fit int64 even so (12-decimal prices above 9.2 million, volumes of more than 9.2e18
// units of their last digit) holds the 128-bit raws themselves. Decoding is exact: Get gives
// back the very Decimal of every field.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "wyckoff/core/bar.h"
#include "wyckoff/engine/bar_source.h"

namespace wyckoff::engine {

// True when `raw` fits a signed 64-bit integer: the narrow form of a value column here and in
// the stage cache's blocks.
inline bool FitsInt64(Decimal::Raw raw) {
  return raw >= static_cast<Decimal::Raw>(INT64_MIN) && raw <= static_cast<Decimal::Raw>(INT64_MAX);
}

class BarColumns {
 public:
  enum Field : int { kOpen, kHigh, kLow, kClose, kVolume };
  static constexpr int kFields = 5;

  BarColumns() = default;
  explicit BarColumns(std::span<const Bar> bars);

  // Appends `bar` (amortised constant time: a column is rescaled at most 13 times in all).
  void push_back(const Bar& bar);
  void reserve(std::size_t bars);
  std::size_t capacity() const { return times_.capacity(); }
  // Gives back the room reserved beyond size(), one column at a time.
  void shrink_to_fit();

  std::size_t size() const { return times_.size(); }
  bool empty() const { return times_.empty(); }

  Timestamp Time(std::size_t i) const { return times_[i]; }
  std::span<const Timestamp> times() const { return times_; }
  // Field `f` of bar i.
  Decimal Value(Field f, std::size_t i) const { return columns_[f].At(i); }
  // Bar i, exactly as it was pushed.
  void Get(std::size_t i, Bar& bar) const {
    bar.time = times_[i];
    bar.decimals = decimals_[i];
    bar.open = columns_[kOpen].At(i);
    bar.high = columns_[kHigh].At(i);
    bar.low = columns_[kLow].At(i);
    bar.close = columns_[kClose].At(i);
    bar.volume = columns_[kVolume].At(i);
  }
  Bar operator[](std::size_t i) const {
    Bar bar;
    Get(i, bar);
    return bar;
  }

  // The heap bytes the columns hold (their capacity, not only their size).
  std::size_t bytes() const;
  // How field `f` is held: 128-bit raws, or int64 values of raw / 10^exponent.
  bool wide(Field f) const { return columns_[f].wide_form; }
  int exponent(Field f) const { return columns_[f].exponent; }
  // The values of field `f` as held: raw / 10^exponent(f), or (wide(f)) the raws; the other
  // span is empty.
  std::span<const std::int64_t> scaled(Field f) const { return columns_[f].narrow; }
  std::span<const Decimal::Raw> raws(Field f) const { return columns_[f].wide; }
  std::span<const std::uint8_t> decimals() const { return decimals_; }
  // Empties the columns, keeping whatever room their vectors have; every field is held narrow
  // again.
  void clear();

 private:
  friend class ColumnBarSource;
  static constexpr const auto& kPow10 = Decimal::kPow10;

  struct Column {
    std::vector<std::int64_t> narrow;  // raw / 10^exponent, while every value fits
    std::vector<Decimal::Raw> wide;    // the raws, once one does not
    int exponent = Decimal::kScale;
    bool wide_form = false;

    Decimal At(std::size_t i) const {
      return Decimal::FromRaw(wide_form ? wide[i]
                                        : static_cast<Decimal::Raw>(narrow[i]) * kPow10[exponent]);
    }
    void push_back(Decimal::Raw raw);
    // Holds every value as a raw from now on; `room`: the capacity to keep.
    void Widen(std::size_t room);
  };

  std::vector<Timestamp> times_;
  std::vector<std::uint8_t> decimals_;
  std::array<Column, kFields> columns_;
};

// Bars [begin, end) of a BarColumns, which it does not own: a symbol's bars in one slice of a
// search. Indices are the view's own (0 is `begin`).
class BarView {
 public:
  BarView() = default;
  // Implicit, as a std::span from a vector: all of the bars.
  BarView(const BarColumns& columns) : BarView(columns, 0, columns.size()) {}
  BarView(const BarColumns& columns, std::size_t begin, std::size_t end)
      : columns_(&columns), begin_(begin), end_(end) {}

  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return end_ == begin_; }
  Timestamp Time(std::size_t i) const { return columns_->Time(begin_ + i); }
  Decimal Value(BarColumns::Field f, std::size_t i) const { return columns_->Value(f, begin_ + i); }
  void Get(std::size_t i, Bar& bar) const { columns_->Get(begin_ + i, bar); }
  Bar operator[](std::size_t i) const { return (*columns_)[begin_ + i]; }
  Bar front() const { return (*this)[0]; }
  Bar back() const { return (*this)[size() - 1]; }
  // The columns viewed (null for a default view) and where the view starts in them.
  const BarColumns* columns() const { return columns_; }
  std::size_t offset() const { return begin_; }

 private:
  const BarColumns* columns_ = nullptr;
  std::size_t begin_ = 0, end_ = 0;
};

// A source over a view, decoding one bar per Next (no allocation): searches and walk-forward
// runs load a file once and replay it many times without copying it. The columns must not
// change while it reads them.
class ColumnBarSource final : public BarSource {
 public:
  ColumnBarSource(BarView bars, bool intraday);
  Result<bool> Next(Bar& bar) override {
    if (next_ == size_) return false;
    const std::size_t i = first_ + next_++;
    if (!narrow_) {
      columns_->Get(i, bar);
      return true;
    }
    // Every value column in int64: the common case, with the column addresses and scales at
    // hand rather than behind the columns' vectors.
    bar.time = times_[i];
    bar.decimals = decimals_[i];
    bar.open = Decimal::FromRaw(static_cast<Decimal::Raw>(values_[0][i]) * scales_[0]);
    bar.high = Decimal::FromRaw(static_cast<Decimal::Raw>(values_[1][i]) * scales_[1]);
    bar.low = Decimal::FromRaw(static_cast<Decimal::Raw>(values_[2][i]) * scales_[2]);
    bar.close = Decimal::FromRaw(static_cast<Decimal::Raw>(values_[3][i]) * scales_[3]);
    bar.volume = Decimal::FromRaw(static_cast<Decimal::Raw>(values_[4][i]) * scales_[4]);
    return true;
  }
  bool intraday() const override { return intraday_; }
  ReadProgress progress() const override { return {next_, size_}; }

 private:
  const BarColumns* columns_;
  std::size_t first_, size_;
  std::size_t next_ = 0;
  bool intraday_;
  bool narrow_ = false;
  const Timestamp* times_ = nullptr;
  const std::uint8_t* decimals_ = nullptr;
  std::array<const std::int64_t*, BarColumns::kFields> values_{};
  std::array<std::int64_t, BarColumns::kFields> scales_{};
};

// Reads a whole source into columns, sized as ReadAll sizes its vector and then shrunk to fit.
Result<BarColumns> ReadColumns(BarSource& source);

}  // namespace wyckoff::engine
