// Hand-written builders for engine value types in tests (no mocks of domain objects).
//
//   Bar b = BarBuilder().Day(3).Ohlc("10", "11", "9.5", "10.5").Volume("1000").Build();
//   Decimal d = D("96.53");
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "wyckoff/core/bar.h"
#include "wyckoff/core/decimal.h"

namespace wyckoff::testing {

// The exact decimal of `text`; fails the test on bad text.
inline Decimal D(std::string_view text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.has_value()) << "bad decimal in test: " << text;
  return d.value_or(Decimal());
}

// Path of a file under the repository's data/ folder.
inline std::string DataPath(std::string_view relative) {
  return std::string(WYCKOFF_SOURCE_DIR) + "/data/" + std::string(relative);
}

class BarBuilder {
 public:
  // Midnight UTC of day `n` after 2000-01-01 (a fixed, arbitrary origin).
  BarBuilder& Day(std::int64_t n) {
    bar_.time = kOrigin + n * kNanosPerDay;
    return *this;
  }
  BarBuilder& Time(Timestamp time) {
    bar_.time = time;
    return *this;
  }
  BarBuilder& Ohlc(std::string_view o, std::string_view h, std::string_view l, std::string_view c) {
    bar_.open = D(o), bar_.high = D(h), bar_.low = D(l), bar_.close = D(c);
    return *this;
  }
  // A flat bar: open = high = low = close.
  BarBuilder& Flat(std::string_view price) { return Ohlc(price, price, price, price); }
  BarBuilder& Volume(std::string_view v) {
    bar_.volume = D(v);
    return *this;
  }
  BarBuilder& Volume(std::int64_t v) {
    bar_.volume = Decimal::FromInt(v);
    return *this;
  }
  Bar Build() const { return bar_; }

  static constexpr Timestamp kOrigin = 10'957 * kNanosPerDay;  // 2000-01-01

 private:
  Bar bar_{.time = 0,
           .open = D("1"),
           .high = D("1"),
           .low = D("1"),
           .close = D("1"),
           .volume = D("1000")};
};

}  // namespace wyckoff::testing
