#include "wyckoff/strategies/sma_cross.h"

namespace wyckoff::strategies {
namespace {

constexpr std::size_t kFast = 0, kSlow = 1;

Result<void> FastBelowSlow(const ParamValues& values) {
  if (values.Integer(kFast) < values.Integer(kSlow)) return {};
  return Fail(ErrorCode::kInvalidArgument,
              "parameter fast (" + std::to_string(values.Integer(kFast)) +
                  ") must be less than slow (" + std::to_string(values.Integer(kSlow)) + ")");
}

}  // namespace

const ParamSchema& SmaCrossSchema() {
  static const ParamSchema schema(
      "sma-cross",
      {IntegerParam("fast", 1, 100000, 10, "bars in the fast simple moving average of the close"),
       IntegerParam("slow", 2, 100000, 30, "bars in the slow simple moving average of the close")},
      &FastBelowSlow);
  return schema;
}

SmaCrossParams SmaCrossParamsOf(const ParamValues& values) {
  WYCKOFF_CHECK(&values.schema() == &SmaCrossSchema(), "values of the sma-cross schema");
  return {static_cast<int>(values.Integer(kFast)), static_cast<int>(values.Integer(kSlow))};
}

SmaCrossStrategy::SmaCrossStrategy(int fast, int slow) : fast_(fast), slow_(slow) {
  WYCKOFF_CHECK(fast >= 1 && fast < slow, "sma-cross needs 1 <= fast < slow");
}

void SmaCrossStrategy::OnStart(const std::vector<engine::SymbolInfo>& symbols) {
  states_.assign(symbols.size(), State{});
  for (State& s : states_) s.closes.assign(slow_, Decimal());
}

int SmaCrossStrategy::CrossSign(Decimal::Raw fast_sum, Decimal::Raw slow_sum) const {
  // sign(fast - slow) = sign(fast_sum x slow - slow_sum x fast), exactly (see State): compared,
  // not subtracted, so the difference cannot overflow. In 64 bits when both sums and both
  // products fit (a 30-bar window of closes below about 10,000), else in 128.
  const auto fast_64 = static_cast<std::int64_t>(fast_sum);
  const auto slow_64 = static_cast<std::int64_t>(slow_sum);
  std::int64_t fast_scaled_64, slow_scaled_64;
  if (fast_64 == fast_sum && slow_64 == slow_sum &&
      !__builtin_mul_overflow(fast_64, std::int64_t{slow_}, &fast_scaled_64) &&
      !__builtin_mul_overflow(slow_64, std::int64_t{fast_}, &slow_scaled_64)) {
    return (fast_scaled_64 > slow_scaled_64) - (fast_scaled_64 < slow_scaled_64);
  }
  Decimal::Raw fast_scaled, slow_scaled;
  bool overflow = __builtin_mul_overflow(fast_sum, Decimal::Raw{slow_}, &fast_scaled);
  overflow |= __builtin_mul_overflow(slow_sum, Decimal::Raw{fast_}, &slow_scaled);
  WYCKOFF_CHECK(!overflow, "sma-cross window sum times a window length beyond 128 bits");
  return (fast_scaled > slow_scaled) - (fast_scaled < slow_scaled);
}

void SmaCrossStrategy::SlideChecked(State& s, Decimal::Raw close, Decimal::Raw slow_exit_close,
                                    Decimal::Raw fast_exit_close) {
  s.bounded = false;
  Decimal::Raw slow_move, fast_move;
  bool overflow = __builtin_sub_overflow(close, slow_exit_close, &slow_move);
  overflow |= __builtin_sub_overflow(close, fast_exit_close, &fast_move);
  overflow |= __builtin_add_overflow(s.slow_sum, slow_move, &s.slow_sum);
  overflow |= __builtin_add_overflow(s.fast_sum, fast_move, &s.fast_sum);
  WYCKOFF_CHECK(!overflow, "sma-cross window sum beyond 128 bits");
}

template <bool kTrade>
void SmaCrossStrategy::Step(int symbol, const Bar& bar, std::int64_t index,
                            engine::StrategyContext* ctx) {
  State& s = states_[symbol];
  // Slide both windows: the slot for this bar held the close from `slow` bars ago, and the
  // one `fast` slots back holds the close leaving the fast window.
  const std::size_t slot = s.cursor;
  const auto fast = static_cast<std::size_t>(fast_), slow = static_cast<std::size_t>(slow_);
  const std::size_t fast_exit = slot >= fast ? slot - fast : slot + slow - fast;
  const Decimal::Raw close = bar.close.raw();
  const Decimal::Raw slow_exit_close = s.closes[slot].raw();
  const Decimal::Raw fast_exit_close = index >= fast_ ? s.closes[fast_exit].raw() : 0;
  __extension__ using URaw = unsigned __int128;
  constexpr auto kBound = static_cast<URaw>(kMaxInputMagnitude.raw());
  // -bound <= close <= bound as one unsigned comparison.
  if (s.bounded && static_cast<URaw>(close) + kBound <= 2 * kBound) [[likely]] {
    // Every close so far within the input bound: the sums cannot overflow (see State).
    s.slow_sum += close - slow_exit_close;
    s.fast_sum += close - fast_exit_close;
  } else {
    SlideChecked(s, close, slow_exit_close, fast_exit_close);
  }
  s.closes[slot] = bar.close;
  s.cursor = slot + 1 == slow ? 0 : slot + 1;
  if (index < slow_ - 1) return;  // the slow average needs `slow` closes

  const int now = CrossSign(s.fast_sum, s.slow_sum);
  const int before = s.previous;
  s.previous = now;
  if constexpr (!kTrade) return;
  if (index < slow_) return;  // the first decision needs the previous bar's averages too

  // Most bars cross nothing: decided before the context is asked anything.
  const bool up = now > 0 && before <= 0, down = now < 0 && before >= 0;
  if (up || down) [[unlikely]]
    TradeCross(symbol, up, *ctx);
}

void SmaCrossStrategy::TradeCross(int symbol, bool up, engine::StrategyContext& ctx) {
  const Decimal held = ctx.position(symbol);
  if (ctx.HasWorkingOrders(symbol)) return;
  if (up && held.IsZero()) {
    ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kBuy, ctx.sizing().quantity));
  } else if (!up && held.IsPositive()) {
    ctx.Submit(engine::OrderRequest::Market(symbol, engine::Side::kSell, held));
  }
}

void SmaCrossStrategy::OnBar(int symbol, const Bar& bar, std::int64_t index,
                             engine::StrategyContext& ctx) {
  Step<true>(symbol, bar, index, &ctx);
}

void SmaCrossStrategy::OnWarmupBar(int symbol, const Bar& bar, std::int64_t index) {
  Step<false>(symbol, bar, index, nullptr);
}

}  // namespace wyckoff::strategies
