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

void DetailValue::AppendTo(std::string& out) const {
  if (const auto* text = std::get_if<std::string>(&value_)) {
    out += *text;
    return;
  }
  char buf[64];
  if (const auto* whole = std::get_if<std::int64_t>(&value_)) {
    out.append(buf, std::to_chars(buf, buf + sizeof buf, *whole).ptr);
    return;
  }
  const double number = std::get<double>(value_);
  if (!std::isfinite(number)) return;
  // std::to_chars: the same digits as printf's %.6f without its locale and format parsing.
  const auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, number, std::chars_format::fixed, 6);
  if (ec != std::errc()) return;  // beyond 64 characters: above 1e57, not a price or a ratio
  std::string_view s(buf, static_cast<std::size_t>(end - buf));
  s = s.substr(0, s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.remove_suffix(1);
  out += s == "-0" ? "0" : s;
}

std::string DetailValue::Text() const {
  if (const auto* text = std::get_if<std::string>(&value_)) return *text;
  std::string out;
  AppendTo(out);
  return out;
}

const DetailValue* RunEvent::Find(std::string_view name) const {
  for (const EventDetail& d : details) {
    if (d.name == name) return &d.value;
  }
  return nullptr;
}

std::string RunEvent::DetailText(std::string_view name) const {
  const DetailValue* value = Find(name);
  return value != nullptr ? value->Text() : std::string();
}

}  // namespace wyckoff::engine
