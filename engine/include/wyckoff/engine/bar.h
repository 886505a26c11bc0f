// Bar: one OHLCV interval of one symbol, validated where it enters (see bar_source.h):
// low <= open, close <= high; volume >= 0; timestamps strictly increasing per symbol.
#pragma once

#include "wyckoff/engine/decimal.h"
#include "wyckoff/engine/timestamp.h"

namespace wyckoff::engine {

struct Bar {
  Timestamp time = 0;  // the bar's timestamp as the file gives it (UTC nanoseconds)
  Decimal open;
  Decimal high;
  Decimal low;
  Decimal close;
  Decimal volume;
};

}  // namespace wyckoff::engine
