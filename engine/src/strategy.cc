#include "wyckoff/engine/strategy.h"

namespace wyckoff::engine {

Decimal Sizing::Quantity(Decimal equity, Decimal entry, std::optional<Decimal> stop) const {
  if (mode == Mode::kFixedQuantity) return quantity;
  if (!stop || *stop == entry || !equity.IsPositive()) return Decimal();
  return ((equity * risk_fraction) / (entry - *stop).Abs()).FloorToMultiple(lot_size);
}

}  // namespace wyckoff::engine
