#include "wyckoff/strategies/sma_cross.h"

namespace wyckoff::strategies {

SmaCrossStrategy::SmaCrossStrategy(int fast, int slow) : fast_(fast), slow_(slow) {}

void SmaCrossStrategy::OnStart(const std::vector<engine::SymbolInfo>& symbols) {
  states_.assign(symbols.size(), State{});
  for (State& s : states_) s.closes.assign(slow_, Decimal());
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
  s.slow_sum += bar.close - s.closes[slot];
  s.fast_sum += bar.close - (index >= fast_ ? s.closes[fast_exit] : Decimal());
  s.closes[slot] = bar.close;
  s.cursor = slot + 1 == slow ? 0 : slot + 1;
  if (index < slow_ - 1) return;  // the slow average needs `slow` closes

  // sign(fast - slow) = sign(fast_sum x slow - slow_sum x fast), exactly.
  const Decimal diff = s.fast_sum.MulInt(slow_) - s.slow_sum.MulInt(fast_);
  const int now = diff.IsPositive() ? 1 : (diff.IsNegative() ? -1 : 0);
  const int before = s.previous;
  s.previous = now;
  if constexpr (!kTrade) return;
  if (index < slow_) return;  // the first decision needs the previous bar's averages too

  const Decimal held = ctx->position(symbol);
  if (ctx->HasWorkingOrders(symbol)) return;
  if (now > 0 && before <= 0 && held.IsZero()) {
    ctx->Submit(engine::OrderRequest::Market(symbol, engine::Side::kBuy, ctx->sizing().quantity));
  } else if (now < 0 && before >= 0 && held.IsPositive()) {
    ctx->Submit(engine::OrderRequest::Market(symbol, engine::Side::kSell, held));
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
