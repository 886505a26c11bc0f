// Decimal: exact base-10 fixed point for every price, quantity, cash amount, fee and P&L.
//
// A Decimal is a signed 128-bit count of 10^-12 units: twelve fractional digits and a
// magnitude up to about 1.7e26. Text goes in and out without binary floating point:
//
//   Decimal a = *Decimal::Parse("0.1"), b = *Decimal::Parse("0.2");
//   assert(a + b == *Decimal::Parse("0.3"));
//   Decimal fee = (price * qty).Round(2);          // half-even to the cent
//   std::string s = fee.ToString();                 // "12.5", exact, no trailing zeros
//
// Arithmetic table:
//
// | expression              | result                                          | on overflow |
// | ----------------------- | ----------------------------------------------- | ----------- |
// | Decimal +/- Decimal     | exact                                           | abort       |
// | Decimal * Decimal       | exact product rounded half-even to 12 places    | abort       |
// | Decimal / Decimal       | quotient rounded half-even to 12 places         | abort; /0 aborts |
// | Decimal.MulInt(n)       | exact                                           | abort       |
// | Decimal.DivInt(n, mode) | rounded with `mode`                             | /0 aborts   |
// | Checked*(a, b)          | as above, but overflow and /0 are Result errors | Error       |
// | CheckedProduct(a,b,c,n) | a x b x c / n exact, then ONE half-even rounding | Error       |
// | CheckedMulDiv(a, n, d)  | a x n / d for integers n, d: the same, faster    | Error       |
// | Decimal <=> Decimal     | exact                                           |             |
// | ToDouble()              | a double within 1 ulp; statistics, ratios only  |             |
//
// There is no constructor from double, and no implicit conversion out. Values that come from
// users go through Parse or the Checked* functions, which return errors; the operators treat
// overflow as a broken invariant (inputs are bounded at the boundary, see kMaxInputMagnitude).
// Products and quotients use a 256-bit Boost.Multiprecision intermediate when the 128-bit fast
// path could overflow. There is no negative zero: -0 parses to 0 and prints as "0".
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wyckoff/core/error.h"

namespace wyckoff {

enum class Rounding {
  kHalfEven,  // ties to the even neighbour (banker's rounding); the default
  kHalfUp,    // ties away from zero
  kDown,      // toward zero (truncate)
  kFloor,     // toward negative infinity
  kCeiling,   // toward positive infinity
};

class Decimal {
 public:
  __extension__ typedef __int128 Raw;  // __extension__: g++ -Wpedantic accepts it
  static constexpr int kScale = 12;    // fractional digits
  static constexpr std::int64_t kOne = 1'000'000'000'000;  // raw value of 1
  // 10^0 .. 10^12: kPow10[kScale - d] is the raw value of 10^-d.
  static constexpr std::array<std::int64_t, kScale + 1> kPow10 = {1,
                                                                  10,
                                                                  100,
                                                                  1'000,
                                                                  10'000,
                                                                  100'000,
                                                                  1'000'000,
                                                                  10'000'000,
                                                                  100'000'000,
                                                                  1'000'000'000,
                                                                  10'000'000'000,
                                                                  100'000'000'000,
                                                                  1'000'000'000'000};

  constexpr Decimal() = default;

  // The exact value raw * 10^-12.
  static constexpr Decimal FromRaw(Raw raw) { return Decimal(raw); }
  // The exact integer n.
  static constexpr Decimal FromInt(std::int64_t n) { return Decimal(static_cast<Raw>(n) * kOne); }
  // The exact value units * 10^-places, 0 <= places <= 12: FromUnits(1005, 3) is 1.005.
  static Decimal FromUnits(std::int64_t units, int places);

  // Parses plain decimal text: optional sign, digits, optional point and fraction
  // ("-12.5", "+.5", "3."). Leading and trailing spaces are not accepted. Errors name the text:
  // empty input, a stray character, more than 12 significant fractional digits (trailing
  // zeros beyond 12 are fine), or a magnitude beyond the representable range.
  static Result<Decimal> Parse(std::string_view text);
  // The same, and the number of fractional digits as written, at most 12 ("8.50" has 2): the
  // price step the text was written with.
  static Result<Decimal> Parse(std::string_view text, int& fraction_digits);

  // Largest and smallest representable values.
  static constexpr Decimal Max() { return Decimal(~(static_cast<Raw>(1) << 127)); }
  static constexpr Decimal Min() { return Decimal(-Max().raw_); }

  constexpr Raw raw() const { return raw_; }
  constexpr bool IsZero() const { return raw_ == 0; }
  constexpr bool IsNegative() const { return raw_ < 0; }
  constexpr bool IsPositive() const { return raw_ > 0; }
  constexpr Decimal Abs() const { return Decimal(raw_ < 0 ? -raw_ : raw_); }

  // The value as an integer when it is a whole number within int64's range (a quantity of
  // shares, basis points), else null.
  std::optional<std::int64_t> ToWhole() const {
    // Within 64 raw bits (every quantity below 9.2 million): a division by the constant 10^12,
    // which compiles to a multiply and shifts.
    if (const auto narrow = static_cast<std::int64_t>(raw_); narrow == raw_) {
      if (narrow % kOne != 0) return std::nullopt;
      return narrow / kOne;
    }
    return WideToWhole();
  }

  // The value as a double, within one ulp of the nearest. For statistics and detector ratios
  // only, never for money. Values within 64 raw bits (about 9.2 million) convert through an
  // int64: the same double (both conversions round the same integer to nearest), without the
  // library call of a 128-bit conversion.
  double ToDouble() const {
    const auto narrow = static_cast<std::int64_t>(raw_);
    if (narrow == raw_) return static_cast<double>(narrow) / static_cast<double>(kOne);
    return WideToDouble();
  }

  // Exact text with no trailing fractional zeros: "12.5", "-0.000001", "100".
  std::string ToString() const;
  // The same text written at `out`, which has room for kMaxChars; returns one past its end.
  // No allocation: for writers of many values (report files).
  static constexpr int kMaxChars = 48;
  char* ToChars(char* out) const;
  // Appends ToString()'s text to `out`.
  void AppendTo(std::string& out) const;
  // Appends ToString(places, kHalfEven)'s text ("1.2500") to `out`.
  void AppendFixed(std::string& out, int places) const;
  // Text with exactly `places` fractional digits (0..12), rounded with `mode`: "12.50".
  std::string ToString(int places, Rounding mode = Rounding::kHalfEven) const;

  // This value rounded to `places` fractional digits (0..12) with `mode`.
  Decimal Round(int places, Rounding mode = Rounding::kHalfEven) const;
  // The largest multiple of `step` (> 0) not above this value: lot sizing. Aborts if step <= 0.
  Decimal FloorToMultiple(Decimal step) const;

  // this * n, exact. Aborts on overflow.
  Decimal MulInt(std::int64_t n) const {
    // A value within 64 raw bits times an int64 is within 127 bits: one widening
    // multiplication, nothing that can overflow (the checked path costs ~40 instructions).
    if (const auto narrow = static_cast<std::int64_t>(raw_); narrow == raw_) {
      return Decimal(static_cast<Raw>(narrow) * n);
    }
    Raw out;
    WYCKOFF_CHECK(!__builtin_mul_overflow(raw_, static_cast<Raw>(n), &out),
                  "Decimal::MulInt overflow");
    return Decimal(out);
  }
  // this / n rounded to 12 places with `mode`. Aborts when n is 0.
  Decimal DivInt(std::int64_t n, Rounding mode = Rounding::kHalfEven) const;

  friend constexpr auto operator<=>(Decimal, Decimal) = default;
  friend constexpr bool operator==(Decimal, Decimal) = default;

  constexpr Decimal operator-() const { return Decimal(-raw_); }
  friend Decimal operator+(Decimal a, Decimal b) {
    Raw out;
    // The range is symmetric (Min() == -Max()), so the one raw value below Min() is refused too.
    WYCKOFF_CHECK(!__builtin_add_overflow(a.raw_, b.raw_, &out) && out >= Min().raw_,
                  "Decimal addition overflow");
    return Decimal(out);
  }
  friend Decimal operator-(Decimal a, Decimal b) {
    Raw out;
    WYCKOFF_CHECK(!__builtin_sub_overflow(a.raw_, b.raw_, &out) && out >= Min().raw_,
                  "Decimal subtraction overflow");
    return Decimal(out);
  }
  friend Decimal operator*(Decimal a, Decimal b) {
    Raw out;
    return NarrowWholeProduct(a.raw_, b.raw_, out) ? Decimal(out) : Multiply(a, b);
  }
  friend Decimal operator/(Decimal a, Decimal b);
  Decimal& operator+=(Decimal o) { return *this = *this + o; }
  Decimal& operator-=(Decimal o) { return *this = *this - o; }
  Decimal& operator*=(Decimal o) { return *this = *this * o; }

  // The same operations returning an Error (kOverflow, or kInvalidArgument for division by
  // zero) instead of aborting: for values that come straight from users.
  static Result<Decimal> CheckedAdd(Decimal a, Decimal b);
  static Result<Decimal> CheckedMulInt(Decimal a, std::int64_t n);
  static Result<Decimal> CheckedSub(Decimal a, Decimal b);
  static Result<Decimal> CheckedMul(Decimal a, Decimal b, Rounding mode = Rounding::kHalfEven) {
    Raw out;
    if (NarrowWholeProduct(a.raw_, b.raw_, out)) return Decimal(out);
    return CheckedMulWide(a, b, mode);
  }
  static Result<Decimal> CheckedDiv(Decimal a, Decimal b, Rounding mode = Rounding::kHalfEven);
  // a x b x c / divisor (divisor > 0), computed exactly and rounded once to 12 places with
  // `mode`: a percent commission is CheckedProduct(quantity, price, percent, 100), one rounding
  // where (quantity x price) x percent / 100 would round three times. Error on overflow.
  static Result<Decimal> CheckedProduct(Decimal a, Decimal b, Decimal c, std::int64_t divisor,
                                        Rounding mode = Rounding::kHalfEven);
  // a x n / divisor (divisor > 0), exact and rounded once: CheckedProduct(a, FromInt(n),
  // FromInt(1), divisor) for a whole factor (slippage of whole basis points), in the
  // processor's 64-bit multiply and divide when a x n fits them. Error on overflow.
  static Result<Decimal> CheckedMulDiv(Decimal a, std::int64_t n, std::int64_t divisor,
                                       Rounding mode = Rounding::kHalfEven);

 private:
  constexpr explicit Decimal(Raw raw) : raw_(raw) {}
  double WideToDouble() const;                      // ToDouble beyond 64 raw bits
  std::optional<std::int64_t> WideToWhole() const;  // ToWhole beyond 64 raw bits
  // The exact product a x b when both raws fit 64 bits and one is a whole number (a quantity
  // times a price, the usual case): one widening multiplication, nothing to round, and within
  // 2^87. False otherwise, for the general paths below.
  static bool NarrowWholeProduct(Raw a, Raw b, Raw& out) {
    const auto na = static_cast<std::int64_t>(a), nb = static_cast<std::int64_t>(b);
    if (na != a || nb != b) return false;
    if (nb % kOne == 0) {
      out = static_cast<Raw>(na) * (nb / kOne);
      return true;
    }
    if (na % kOne == 0) {
      out = static_cast<Raw>(nb) * (na / kOne);
      return true;
    }
    return false;
  }
  static Decimal Multiply(Decimal a, Decimal b);  // operator* beyond NarrowWholeProduct
  static Result<Decimal> CheckedMulWide(Decimal a, Decimal b, Rounding mode);
  Raw raw_ = 0;
};

// Inputs (prices, quantities, cash) above this magnitude are rejected where they enter, so
// that products of two inputs and sums of many stay far inside Decimal's range.
inline constexpr Decimal kMaxInputMagnitude = Decimal::FromInt(1'000'000'000'000);  // 1e12

inline Decimal Min(Decimal a, Decimal b) { return b < a ? b : a; }
inline Decimal Max(Decimal a, Decimal b) { return a < b ? b : a; }

}  // namespace wyckoff
