#include "wyckoff/engine/strategy.h"

#include <charconv>
#include <cmath>

namespace wyckoff::engine {

Decimal Sizing::Quantity(Decimal equity, Decimal entry, std::optional<Decimal> stop) const {
  if (mode == Mode::kFixedQuantity) return quantity;
  if (!stop || *stop == entry || !equity.IsPositive()) return Decimal();
  // equity x fraction / |entry - stop| can pass Decimal's range for a stop a tick away: such
  // a size is beyond the largest order anyway.
  const Decimal at_risk = *Decimal::CheckedMul(equity, risk_fraction);  // fraction <= 1
  const Result<Decimal> size = Decimal::CheckedDiv(at_risk, (entry - *stop).Abs());
  const Decimal capped = size ? Min(*size, kMaxInputMagnitude) : kMaxInputMagnitude;
  return capped.FloorToMultiple(lot_size);
}

DetailValue DetailValue::Integer(std::int64_t value) {
  DetailValue v;
  v.value_ = value;
  return v;
}

DetailValue DetailValue::Number(double value) {
  DetailValue v;
  v.value_ = value;
  return v;
}

std::string_view DetailValue::View(Buffer& buffer) const {
  if (const auto* text = std::get_if<std::string>(&value_)) return *text;
  char* const begin = buffer.data();
  char* const end = begin + buffer.size();
  if (const auto* whole = std::get_if<std::int64_t>(&value_)) {
    return {begin, std::to_chars(begin, end, *whole).ptr};
  }
  const double number = std::get<double>(value_);
  if (!std::isfinite(number)) return {};
  // std::to_chars: the same digits as printf's %.6f without its locale and format parsing.
  const auto [stop, ec] = std::to_chars(begin, end, number, std::chars_format::fixed, 6);
  if (ec != std::errc()) return {};  // beyond the buffer: see Number
  std::string_view s(begin, static_cast<std::size_t>(stop - begin));
  s = s.substr(0, s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.remove_suffix(1);
  return s == "-0" ? std::string_view("0") : s;
}

std::string DetailValue::Text() const {
  Buffer buffer;
  return std::string(View(buffer));
}

const DetailValue* RunEvent::Find(std::string_view name) const {
  for (const EventDetail& d : details) {
    if (d.name == name) return &d.value;
  }
  return nullptr;
}

std::string_view RunEvent::DetailView(std::string_view name, DetailValue::Buffer& buffer) const {
  const DetailValue* value = Find(name);
  return value != nullptr ? value->View(buffer) : std::string_view();
}

std::string RunEvent::DetailText(std::string_view name) const {
  DetailValue::Buffer buffer;
  return std::string(DetailView(name, buffer));
}

}  // namespace wyckoff::engine
