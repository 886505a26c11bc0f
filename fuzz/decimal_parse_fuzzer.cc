// Fuzz target decimal_parse: Decimal::Parse on arbitrary text, and the exact
// arithmetic of what it accepts. The input is two texts split at the first newline.
//
// Properties (the contract of decimal.h): a parsed value prints (ToString) as text that parses
// back to the same value; ToString(places) and Round never crash for places 0..12; Checked*
// either return an error or a value, and a + b - b == a whenever both steps succeed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "memory_file.h"
#include "wyckoff/core/decimal.h"

namespace {

using wyckoff::Decimal;
using wyckoff::Rounding;
using wyckoff::fuzz::PropertyFailed;

constexpr Rounding kModes[] = {Rounding::kHalfEven, Rounding::kHalfUp, Rounding::kDown,
                               Rounding::kFloor, Rounding::kCeiling};

void CheckRoundTrip(std::string_view text, Decimal value) {
  const std::string printed = value.ToString();
  auto again = Decimal::Parse(printed);
  if (!again || *again != value) {
    PropertyFailed("\"" + std::string(text) + "\" prints as \"" + printed +
                   "\", which does not parse back to it");
  }
  for (int places = 0; places <= Decimal::kScale; ++places) {
    for (Rounding mode : kModes) {
      (void)value.ToString(places, mode);
      (void)value.Round(places, mode);
    }
  }
  (void)value.ToDouble();
}

void CheckArithmetic(Decimal a, Decimal b) {
  for (Rounding mode : kModes) {
    (void)Decimal::CheckedMul(a, b, mode);
    (void)Decimal::CheckedDiv(a, b, mode);
  }
  auto sum = Decimal::CheckedAdd(a, b);
  if (!sum) return;
  auto back = Decimal::CheckedSub(*sum, b);
  if (back && *back != a) {
    PropertyFailed(a.ToString() + " + " + b.ToString() + " - " + b.ToString() + " is " +
                   back->ToString());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  const std::string_view second =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  auto a = Decimal::Parse(first);
  auto b = Decimal::Parse(second);
  if (a) CheckRoundTrip(first, *a);
  if (b) CheckRoundTrip(second, *b);
  if (a && b) CheckArithmetic(*a, *b);
  return 0;
}
