// Decimal arithmetic. The 128-bit fast paths cover every product of two values below 2^63 raw
// units (about 9.2 million); larger operands go through Boost.Multiprecision's checked 256-bit
// integers, so a product never wraps.
#include "wyckoff/core/decimal.h"

#include <array>
#include <boost/multiprecision/cpp_int.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>
#include <utility>

namespace wyckoff {
namespace {

using Raw = Decimal::Raw;
__extension__ typedef unsigned __int128 URaw;
using Wide = boost::multiprecision::checked_int256_t;
using Wider = boost::multiprecision::checked_int512_t;  // three raw factors: up to 381 bits

constexpr const auto& kPow10 = Decimal::kPow10;

constexpr Raw kRawMax = Decimal::Max().raw();

// Rounds the quotient q with remainder r of n / d (d > 0 after sign normalisation) by `mode`.
template <typename Int>
Int RoundQuotient(Int q, Int r, Int d, bool negative, Rounding mode) {
  if (r == 0) return q;
  // |r| vs d - |r| decides ties (not 2|r| vs d, which could overflow); q is truncated toward
  // zero.
  const Int abs_r = r < 0 ? Int(-r) : r;
  const Int rest = d - abs_r;
  bool away = false;
  switch (mode) {
    case Rounding::kDown:
      away = false;
      break;
    case Rounding::kFloor:
      away = negative;
      break;
    case Rounding::kCeiling:
      away = !negative;
      break;
    case Rounding::kHalfUp:
      away = abs_r >= rest;
      break;
    case Rounding::kHalfEven:
      away = abs_r > rest || (abs_r == rest && (q % 2) != 0);
      break;
  }
  if (!away) return q;
  return negative ? Int(q - 1) : Int(q + 1);
}

// |r| < 2^63: r fits 64 bits and is not -2^63, so that its negation does too. (The sign-extension
// test is a shift and a compare of the high word, where two 128-bit comparisons take more.)
bool Small(Raw r) {
  const auto narrow = static_cast<std::int64_t>(r);
  return narrow == r && narrow != std::numeric_limits<std::int64_t>::min();
}

// n / d rounded by `mode`, both signed, d != 0.
template <typename Int>
Int DivRound(Int n, Int d, Rounding mode) {
  if constexpr (std::is_same_v<Int, Raw>) {
    // A 128-bit division is a library call; operands within 64 bits (most prices and
    // quantities) take the processor's divide. Small() excludes -2^63, so nothing overflows.
    if (Small(n) && Small(d)) {
      return DivRound<std::int64_t>(static_cast<std::int64_t>(n), static_cast<std::int64_t>(d),
                                    mode);
    }
  }
  bool negative = (n < 0) != (d < 0);
  Int abs_d = d < 0 ? Int(-d) : d;
  Int q = n / d;
  Int r = n % d;
  return RoundQuotient<Int>(q, r, abs_d, negative, mode);
}

// n / 10^12 rounded by `mode`: DivRound for the divisor of every product, without a 128-bit
// division. Long division of |n| in 64-bit steps by the constant, which compile to multiplies
// and shifts: the high word, then the low word in 16-, 24- and 24-bit pieces (a remainder is
// below 10^12 < 2^40, so each step's dividend fits in 64 bits).
Raw DivRoundByOne(Raw n, Rounding mode) {
  constexpr std::uint64_t d = Decimal::kOne;
  const bool negative = n < 0;
  const URaw u = negative ? static_cast<URaw>(-n) : static_cast<URaw>(n);
  const auto high = static_cast<std::uint64_t>(u >> 64), low = static_cast<std::uint64_t>(u);
  const std::uint64_t q_high = high / d;
  std::uint64_t r = high % d, q_low = 0;
  for (const auto& [shift, bits] : {std::pair{48, 16}, std::pair{24, 24}, std::pair{0, 24}}) {
    const std::uint64_t t = (r << bits) | ((low >> shift) & ((std::uint64_t{1} << bits) - 1));
    q_low |= (t / d) << shift;
    r = t % d;
  }
  const auto q = static_cast<Raw>((static_cast<URaw>(q_high) << 64) | q_low);
  // RoundQuotient reads only the remainder's size.
  return RoundQuotient<Raw>(negative ? -q : q, static_cast<Raw>(r), static_cast<Raw>(d), negative,
                            mode);
}

bool FitsRaw(const Wide& w) { return w <= Wide(kRawMax) && w >= Wide(-kRawMax); }

template <typename W = Wide>
W ToWide(Raw r) {
  // cpp_int has no __int128 constructor on every Boost version: build it from two halves.
  bool negative = r < 0;
  URaw u = negative ? static_cast<URaw>(-r) : static_cast<URaw>(r);
  W w = W(static_cast<std::uint64_t>(u >> 64));
  w <<= 64;
  w += W(static_cast<std::uint64_t>(u));
  return negative ? W(-w) : w;
}

// The raw value of `w`, which FitsRaw.
template <typename W = Wide>
Raw FromWide(const W& w) {
  bool negative = w < 0;
  W a = negative ? W(-w) : w;
  auto hi = static_cast<std::uint64_t>(W(a >> 64));
  auto lo = static_cast<std::uint64_t>(W(a & W(std::numeric_limits<std::uint64_t>::max())));
  auto u = (static_cast<URaw>(hi) << 64) | lo;
  Raw r = static_cast<Raw>(u);
  return negative ? -r : r;
}

// When `r` is a whole number below 2^63 (quantities usually are), its integer value; the 64-bit
// division by the constant 10^12 compiles to a multiply and shifts.
std::optional<std::int64_t> WholeValue(Raw r) {
  if (!Small(r)) return std::nullopt;
  const auto v = static_cast<std::int64_t>(r);
  const std::int64_t whole = v / Decimal::kOne;
  if (whole * Decimal::kOne != v) return std::nullopt;
  return whole;
}

Result<Raw> MulRaw(Raw a, Raw b, Rounding mode) {
  // A whole-number operand makes the product exact without the 128-bit division.
  for (auto [whole, other] : {std::pair{b, a}, std::pair{a, b}}) {
    if (auto n = WholeValue(whole)) {
      Raw out;
      if (__builtin_mul_overflow(other, static_cast<Raw>(*n), &out) || out < -kRawMax) break;
      return out;
    }
  }
  if (Small(a) && Small(b)) return DivRoundByOne(a * b, mode);
  Wide p = DivRound<Wide>(ToWide(a) * ToWide(b), Wide(Decimal::kOne), mode);
  if (!FitsRaw(p)) return Fail(ErrorCode::kOverflow, "decimal product out of range");
  return FromWide(p);
}

Result<Raw> DivRaw(Raw a, Raw b, Rounding mode) {
  if (b == 0) return Fail(ErrorCode::kInvalidArgument, "decimal division by zero");
  // By a whole number n: (a x 10^12) / (n x 10^12) has the quotient of a / n and a remainder
  // scaled by 10^12 on both sides of every rounding comparison, so a / n rounds the same.
  if (auto n = WholeValue(b)) return DivRound<Raw>(a, *n, mode);
  Raw scaled;
  if (!__builtin_mul_overflow(a, static_cast<Raw>(Decimal::kOne), &scaled)) {
    return DivRound<Raw>(scaled, b, mode);
  }
  Wide q = DivRound<Wide>(ToWide(a) * Wide(Decimal::kOne), ToWide(b), mode);
  if (!FitsRaw(q)) return Fail(ErrorCode::kOverflow, "decimal quotient out of range");
  return FromWide(q);
}

}  // namespace

std::optional<std::int64_t> Decimal::WideToWhole() const {
  if (raw_ % kOne != 0) return std::nullopt;
  const Raw whole = raw_ / kOne;
  if (whole > std::numeric_limits<std::int64_t>::max() ||
      whole < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(whole);
}

Decimal Decimal::FromUnits(std::int64_t units, int places) {
  WYCKOFF_CHECK(places >= 0 && places <= kScale, "Decimal::FromUnits places outside 0..12");
  return Decimal(static_cast<Raw>(units) * kPow10[kScale - places]);
}

Result<Decimal> Decimal::Parse(std::string_view text) {
  int fraction_digits = 0;
  return Parse(text, fraction_digits);
}

Result<Decimal> Decimal::Parse(std::string_view text, int& fraction_digits) {
  if (text.empty()) return Fail(ErrorCode::kParse, "empty text is not a decimal number");
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    ++i;
  }
  Raw integer = 0;
  int int_digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++int_digits) {
    if (__builtin_mul_overflow(integer, 10, &integer) ||
        __builtin_add_overflow(integer, text[i] - '0', &integer) || integer > kRawMax / kOne) {
      return Fail(ErrorCode::kOverflow, Quoted(text) + " is beyond the decimal range");
    }
  }
  Raw fraction = 0;
  int frac_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (frac_digits == kScale) {
        if (text[i] != '0') {
          return Fail(ErrorCode::kParse, Quoted(text) + " has more than 12 fractional digits");
        }
        continue;
      }
      fraction = fraction * 10 + (text[i] - '0');
      ++frac_digits;
    }
  }
  if (i != text.size()) {
    if ((text[i] == 'e' || text[i] == 'E') && (int_digits > 0 || frac_digits > 0)) {
      return Fail(ErrorCode::kParse, Quoted(text) +
                                         " uses exponent notation; write the number in plain "
                                         "decimal digits");
    }
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a decimal number");
  }
  if (int_digits == 0 && frac_digits == 0) {
    return Fail(ErrorCode::kParse, Quoted(text) + " is not a decimal number");
  }
  Raw raw;
  if (__builtin_add_overflow(integer * kOne, fraction * kPow10[kScale - frac_digits], &raw)) {
    return Fail(ErrorCode::kOverflow, Quoted(text) + " is beyond the decimal range");
  }
  fraction_digits = frac_digits;
  return Decimal(negative ? -raw : raw);
}

double Decimal::WideToDouble() const {
  // One int128 -> double conversion and one division: within one ulp of the exact value, and
  // without the two 128-bit divisions an exact split into integer and fraction would cost.
  return static_cast<double>(raw_) / static_cast<double>(kOne);
}

std::string Decimal::ToString() const {
  char buf[kMaxChars];
  return std::string(buf, ToChars(buf));
}

void Decimal::AppendTo(std::string& out) const {
  char buf[kMaxChars];
  out.append(buf, ToChars(buf));
}

void Decimal::AppendFixed(std::string& out, int places) const {
  WYCKOFF_CHECK(places >= 0 && places <= kScale, "Decimal::AppendFixed places outside 0..12");
  if (Small(raw_)) {  // |value| < 9.2e6, every price and most amounts: 64-bit arithmetic only
    const std::int64_t units = DivRound<std::int64_t>(static_cast<std::int64_t>(raw_),
                                                      kPow10[kScale - places], Rounding::kHalfEven);
    std::uint64_t magnitude =
        units < 0 ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
    const auto scale = static_cast<std::uint64_t>(kPow10[places]);
    char buf[kMaxChars];
    char* p = buf;
    if (units < 0) *p++ = '-';
    p = std::to_chars(p, buf + kMaxChars, magnitude / scale).ptr;
    if (places > 0) {
      magnitude %= scale;
      *p++ = '.';
      for (int i = places - 1; i >= 0; --i, magnitude /= 10) {
        p[i] = static_cast<char>('0' + magnitude % 10);
      }
      p += places;
    }
    out.append(buf, p);
    return;
  }
  const Decimal rounded = Round(places);
  char buf[kMaxChars];
  char* end = rounded.ToChars(buf);
  // ToChars drops trailing zeros: pad the fraction back to `places` digits.
  const char* dot = static_cast<const char*>(std::memchr(buf, '.', end - buf));
  int have = dot == nullptr ? 0 : static_cast<int>(end - dot - 1);
  out.append(buf, end);
  if (places == 0) return;
  if (dot == nullptr) out += '.';
  out.append(static_cast<std::size_t>(places - have), '0');
}

namespace {

// "00" to "99", for writing digits two at a time.
constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes `v` (< 1,000,000) as exactly six digits, zeros in front.
void WriteSixDigits(char* out, std::uint32_t v) {
  const std::uint32_t high = v / 10'000, rest = v % 10'000;
  std::memcpy(out, kDigitPairs + 2 * high, 2);
  std::memcpy(out + 2, kDigitPairs + 2 * (rest / 100), 2);
  std::memcpy(out + 4, kDigitPairs + 2 * (rest % 100), 2);
}

}  // namespace

char* Decimal::ToChars(char* out) const {
  const bool negative = raw_ < 0;
  const URaw magnitude = negative ? static_cast<URaw>(-raw_) : static_cast<URaw>(raw_);
  std::uint64_t fraction;
  if (negative) *out++ = '-';
  if (magnitude < (static_cast<URaw>(1) << 64)) {  // 64-bit divisions: |value| < 1.8e7
    const auto m = static_cast<std::uint64_t>(magnitude);
    out = std::to_chars(out, out + kMaxChars, m / static_cast<std::uint64_t>(kOne)).ptr;
    fraction = m % static_cast<std::uint64_t>(kOne);
  } else {
    URaw whole = magnitude / static_cast<URaw>(kOne);
    fraction = static_cast<std::uint64_t>(magnitude % static_cast<URaw>(kOne));
    if (whole < (static_cast<URaw>(1) << 64)) {  // |value| < 1.8e19: the whole part in 64 bits
      out = std::to_chars(out, out + kMaxChars, static_cast<std::uint64_t>(whole)).ptr;
    } else {
      char digits[40];
      int n = 0;
      do {
        digits[n++] = static_cast<char>('0' + static_cast<int>(whole % 10));
        whole /= 10;
      } while (whole != 0);
      while (n > 0) *out++ = digits[--n];
    }
  }
  if (fraction == 0) return out;
  *out++ = '.';
  // The twelve fraction digits, two at a time from a table, then the trailing zeros dropped:
  // a digit at a time (a division and a remainder each, and a loop over the zeros first)
  // was 16% of a 10M-bar backtest with --out, which writes two decimals per equity row.
  // Prices and money rarely use the last six places: then only the first six are written.
  static_assert(kScale == 12, "the fraction is written as two groups of six digits");
  const auto low = static_cast<std::uint32_t>(fraction % 1'000'000);
  WriteSixDigits(out, static_cast<std::uint32_t>(fraction / 1'000'000));
  if (low != 0) WriteSixDigits(out + 6, low);
  char* end = out + (low != 0 ? kScale : 6);
  while (end[-1] == '0') --end;  // fraction != 0: a written digit is not '0'
  return end;
}

std::string Decimal::ToString(int places, Rounding mode) const {
  WYCKOFF_CHECK(places >= 0 && places <= kScale, "Decimal::ToString places outside 0..12");
  Raw r = Round(places, mode).raw_;
  bool negative = r < 0;
  URaw u = negative ? static_cast<URaw>(-r) : static_cast<URaw>(r);
  // Digits, least significant first, of the whole raw value.
  char buf[48];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u != 0);
  while (n <= kScale) buf[n++] = '0';
  std::string out;
  out.reserve(static_cast<std::size_t>(n) + 2);
  if (negative) out.push_back('-');
  for (int k = n - 1; k >= kScale; --k) out.push_back(buf[k]);
  if (places > 0) {
    out.push_back('.');
    for (int k = kScale - 1; k >= kScale - places; --k) out.push_back(buf[k]);
  }
  return out;
}

Decimal Decimal::Round(int places, Rounding mode) const {
  WYCKOFF_CHECK(places >= 0 && places <= kScale, "Decimal::Round places outside 0..12");
  Raw unit = kPow10[kScale - places];
  return Decimal(DivRound<Raw>(raw_, unit, mode) * unit);
}

Decimal Decimal::FloorToMultiple(Decimal step) const {
  WYCKOFF_CHECK(step.raw_ > 0, "Decimal::FloorToMultiple step must be positive");
  return Decimal(DivRound<Raw>(raw_, step.raw_, Rounding::kFloor) * step.raw_);
}

Decimal Decimal::DivInt(std::int64_t n, Rounding mode) const {
  WYCKOFF_CHECK(n != 0, "Decimal::DivInt division by zero");
  return Decimal(DivRound<Raw>(raw_, n, mode));
}

Decimal Decimal::Multiply(Decimal a, Decimal b) {
  auto r = MulRaw(a.raw_, b.raw_, Rounding::kHalfEven);
  WYCKOFF_CHECK(r.has_value(), "Decimal multiplication overflow");
  return Decimal(*r);
}

Decimal operator/(Decimal a, Decimal b) {
  // A dividend within 64 raw bits by a whole divisor (an average price: a notional over a
  // quantity): DivRaw's first path, without its Result.
  if (Small(a.raw_)) {
    if (const auto n = WholeValue(b.raw_); n && *n != 0) {
      return Decimal(
          DivRound<std::int64_t>(static_cast<std::int64_t>(a.raw_), *n, Rounding::kHalfEven));
    }
  }
  auto r = DivRaw(a.raw_, b.raw_, Rounding::kHalfEven);
  WYCKOFF_CHECK(r.has_value(), "Decimal division overflow or division by zero");
  return Decimal(*r);
}

Result<Decimal> Decimal::CheckedAdd(Decimal a, Decimal b) {
  Raw out;
  if (__builtin_add_overflow(a.raw_, b.raw_, &out) || out > kRawMax || out < -kRawMax) {
    return Fail(ErrorCode::kOverflow, "decimal sum out of range");
  }
  return Decimal(out);
}

Result<Decimal> Decimal::CheckedSub(Decimal a, Decimal b) { return CheckedAdd(a, -b); }

Result<Decimal> Decimal::CheckedMulInt(Decimal a, std::int64_t n) {
  Raw out;
  if (__builtin_mul_overflow(a.raw_, static_cast<Raw>(n), &out) || out > kRawMax ||
      out < -kRawMax) {
    return Fail(ErrorCode::kOverflow, "decimal product out of range");
  }
  return Decimal(out);
}

Result<Decimal> Decimal::CheckedMulWide(Decimal a, Decimal b, Rounding mode) {
  return MulRaw(a.raw_, b.raw_, mode).map([](Raw r) { return Decimal(r); });
}

Result<Decimal> Decimal::CheckedDiv(Decimal a, Decimal b, Rounding mode) {
  return DivRaw(a.raw_, b.raw_, mode).map([](Raw r) { return Decimal(r); });
}

Result<Decimal> Decimal::CheckedMulDiv(Decimal a, std::int64_t n, std::int64_t divisor,
                                       Rounding mode) {
  WYCKOFF_CHECK(divisor > 0, "Decimal::CheckedMulDiv divisor must be positive");
  // a x n is exact in 64 bits or 128; divided by a positive int64, neither quotient nor
  // remainder overflows, and the quotient's magnitude is at most the product's.
  std::int64_t product64;
  if (Small(a.raw_) && !__builtin_mul_overflow(static_cast<std::int64_t>(a.raw_), n, &product64)) {
    return Decimal(DivRound<std::int64_t>(product64, divisor, mode));
  }
  Raw product;
  if (__builtin_mul_overflow(a.raw_, static_cast<Raw>(n), &product)) {
    return CheckedProduct(a, FromInt(n), FromInt(1), divisor, mode);  // wider than 128 bits
  }
  const Raw q = DivRound<Raw>(product, divisor, mode);
  // -2^127 (divided by 1) is not a Decimal: Min() is -Max().
  if (q < -kRawMax) return Fail(ErrorCode::kOverflow, "decimal product out of range");
  return Decimal(q);
}

Result<Decimal> Decimal::CheckedProduct(Decimal a, Decimal b, Decimal c, std::int64_t divisor,
                                        Rounding mode) {
  WYCKOFF_CHECK(divisor > 0, "Decimal::CheckedProduct divisor must be positive");
  // Each factor as an integer and its count of fractional digits: a whole number (a quantity,
  // basis points, the 1 of a two-factor product) as itself, anything else as its raw value.
  // The product then carries `digits` fractional digits, rescaled to 12 below.
  Raw values[3];
  int digits = 0;
  const Raw raws[3] = {a.raw_, b.raw_, c.raw_};
  for (int i = 0; i < 3; ++i) {
    const std::optional<std::int64_t> whole = WholeValue(raws[i]);
    values[i] = whole ? static_cast<Raw>(*whole) : raws[i];
    digits += whole ? 0 : kScale;
  }
  const Raw up = digits < kScale ? static_cast<Raw>(kOne) : 1;  // all three whole
  Raw down = static_cast<Raw>(divisor);
  bool fits = true;
  for (int d = std::max(digits - kScale, 0); d > 0; d -= kScale) {
    fits = fits && !__builtin_mul_overflow(down, static_cast<Raw>(kOne), &down);
  }
  // Within 64 bits (a price, basis points and 1 for slippage): the processor's multiplies with
  // their overflow flags and its divide.
  std::int64_t ab64, abc64, scaled64;
  // (`up` is 1 or 10^12; `down` >= 1, so neither the quotient nor the remainder overflows.)
  if (fits && Small(values[0]) && Small(values[1]) && Small(values[2]) && Small(down) &&
      !__builtin_mul_overflow(static_cast<std::int64_t>(values[0]),
                              static_cast<std::int64_t>(values[1]), &ab64) &&
      !__builtin_mul_overflow(ab64, static_cast<std::int64_t>(values[2]), &abc64) &&
      !__builtin_mul_overflow(abc64, static_cast<std::int64_t>(up), &scaled64)) {
    return Decimal(DivRound<std::int64_t>(scaled64, static_cast<std::int64_t>(down), mode));
  }
  // Within 128 bits; -2^127 is not a Decimal, and divided by 1 it would be the result: it takes
  // the checked path below.
  Raw ab, abc, scaled;
  if (fits && !__builtin_mul_overflow(values[0], values[1], &ab) &&
      !__builtin_mul_overflow(ab, values[2], &abc) && !__builtin_mul_overflow(abc, up, &scaled) &&
      scaled != std::numeric_limits<Raw>::min()) {
    return Decimal(DivRound<Raw>(scaled, down, mode));
  }
  constexpr Raw kOne2 = static_cast<Raw>(kOne) * kOne;
  const Wider product = ToWide<Wider>(a.raw_) * ToWide<Wider>(b.raw_) * ToWide<Wider>(c.raw_);
  const Wider q = DivRound<Wider>(product, Wider(kOne2) * Wider(divisor), mode);
  if (q > Wider(kRawMax) || q < Wider(-kRawMax)) {
    return Fail(ErrorCode::kOverflow, "decimal product out of range");
  }
  return Decimal(FromWide<Wider>(q));
}

}  // namespace wyckoff
