#include "wyckoff/engine/strategy.h"

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

}  // namespace wyckoff::engine
