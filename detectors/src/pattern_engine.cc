#include "wyckoff/detectors/pattern_engine.h"

#include <algorithm>
#include <utility>

namespace wyckoff::detectors {

PatternEngine::PatternEngine(const DetectorParams& params, std::string symbol)
    : params_(params),
      symbol_(std::move(symbol)),
      features_(params),
      tracker_(params),
      phases_(params),
      springs_(params),
      sos_(params),
      lps_(params),
      utad_(params),
      price_scale_(PriceScaleForInterval(params.bar_interval)) {}

int PatternEngine::OnBar(const Bar& bar, std::vector<PatternEvent>& events) {
  return OnBar(ToBarValues(bar), events);
}

int PatternEngine::OnBar(const BarValues& bar, std::vector<PatternEvent>& events) {
  features_now_ = &features_.Update(bar);
  return Step(bar, events);
}

int PatternEngine::OnBar(const BarValues& bar, const FeatureValues& features,
                         std::vector<PatternEvent>& events) {
  features_now_ = &features;
  return Step(bar, events);
}

int PatternEngine::Step(const BarValues& bar, std::vector<PatternEvent>& events) {
  const std::size_t before = events.size();
  UpdateClock(bar.time);
  ++bars_seen_;
  if (!(bar.volume > 0)) ++zero_volume_bars_;
  RangeStep(bar, events);
  SpringStep(bar, events);
  SosStep(bar, events);
  LpsStep(bar, events);
  UtadStep(bar, events);
  UpsideExitStep(bar, events);
  return static_cast<int>(events.size() - before);
}

// The median of the first kIntervalSamples timestamp steps sets the price scale (when the
// interval is kAuto) and the yardstick for time gaps. Called before bars_seen_ counts the bar.
void PatternEngine::UpdateClock(Timestamp time) {
  if (bars_seen_ > 0) {
    const Timestamp step = time - last_time_;
    if (step_count_ < kIntervalSamples) {
      steps_[static_cast<std::size_t>(step_count_++)] = step;
      std::array<Timestamp, kIntervalSamples> sorted = steps_;
      std::sort(sorted.begin(), sorted.begin() + step_count_);
      median_step_ = sorted[static_cast<std::size_t>((step_count_ - 1) / 2)];
      if (params_.bar_interval == BarInterval::kAuto) {
        price_scale_ = PriceScaleForInterval(median_step_);
      }
    }
    if (median_step_ > 0 &&
        static_cast<double>(step) > params_.time_gap_multiple * static_cast<double>(median_step_)) {
      ++time_gaps_;
      CancelCandidates();
    }
  }
  last_time_ = time;
}

void PatternEngine::CancelCandidates() {
  springs_.Cancel();
  utad_.Cancel();
  if (lps_.armed()) {
    lps_.Cancel();
    tracker_.Release(bars_seen_);  // bars_seen_ is the index of the bar being processed
  }
}

DetectorContext PatternEngine::Context(const BarValues& bar) const {
  DetectorContext ctx;
  ctx.index = bars_seen_ - 1;
  ctx.bar = &bar;
  ctx.features = features_now_;
  ctx.price_scale = price_scale_;
  ctx.range = tracker_.current();
  ctx.phase = phases_.phase();
  ctx.phase_bars = static_cast<int>(ctx.index - phases_.phase_start());
  ctx.kind = phases_.kind();
  ctx.pattern_counts = phases_.PatternCounts(ctx.index);
  ctx.spring_seen = phases_.spring_seen();
  ctx.utad_seen = phases_.utad_seen();
  ctx.symbol = symbol_;
  return ctx;
}

void PatternEngine::RangeStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const std::int64_t t = bars_seen_ - 1;
  const Phase before = phases_.phase();
  // After a UTAD the SOW gets its chance before the downside breaks, as the SOS comes before
  // the upside exit: a wide close far below S is the SOW, not a plain breakdown.
  const bool sow_possible = phases_.utad_seen() || !params_.sos_needs_spring;
  tracker_.SetClimaxPending(phases_.ClimaxPending(t));
  RangeUpdate update = tracker_.OnBar(bar, *features_now_, price_scale_, sow_possible);
  if (sow_possible && !SowStep(bar, out)) {
    const RangeUpdate down = tracker_.CheckDownsideExit(bar, t, price_scale_);
    if (down.broken_down) {
      update.broken_down = true;
      update.ended = down.ended;
    }
  }
  if (update.broken_down || update.broken_up) EmitRangeEnd(bar, update, before, out);
  phases_.SyncRange(tracker_.current(), t);
  const Phase before_bar = phases_.phase();
  phases_.OnBar(Context(bar), out);
  if (update.activated && tracker_.current() != nullptr) {
    const TradingRange& range = *tracker_.current();
    PatternEvent& e = AppendEvent(out, Context(bar), EventType::kRangeActive, &range,
                                  range.start_index, range.start_time);
    e.phase_before = before_bar;
    e.level = range.support;
    e.extreme = range.resistance;
    e.confidence = range.quality;
    e.bars = range.DurationAt(t);
  }
}

void PatternEngine::EmitRangeEnd(const BarValues& bar, const RangeUpdate& update, Phase before,
                                 std::vector<PatternEvent>& out) {
  const TradingRange& range = update.ended;
  if (range.active_index < 0) return;  // a FORMING range ends silently: it never formed
  const DetectorContext ctx = Context(bar);
  const bool down = update.broken_down;
  PatternEvent& e =
      AppendEvent(out, ctx, down ? EventType::kRangeBrokenDown : EventType::kRangeBrokenUp, &range,
                  ctx.index, bar.time);
  e.phase_before = before;
  e.phase_after = Phase::kNone;
  e.level = down ? range.support : range.resistance;
  e.extreme = bar.close;
  e.penetration = down ? (range.support - bar.close) / range.support
                       : (bar.close - range.resistance) / range.resistance;
  e.confidence = range.quality;
  e.bars = range.DurationAt(ctx.index);
}

void PatternEngine::SpringStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const std::size_t first = out.size();
  const SpringDetector::Step step = springs_.OnBar(Context(bar), out);
  if (!step.confirmed) return;
  phases_.OnSpring(bars_seen_ - 1);
  for (std::size_t i = first; i < out.size(); ++i) {
    if (out[i].type != EventType::kSpringInvalidated) out[i].phase_after = phases_.phase();
  }
}

void PatternEngine::SosStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const DetectorContext ctx = Context(bar);
  if (!sos_.OnBar(ctx, out)) return;
  tracker_.BreakUp(ctx.index);
  phases_.OnSos(ctx.index);
  out.back().phase_after = phases_.phase();
  lps_.Arm(ctx, out.back());
}

bool PatternEngine::SowStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const DetectorContext ctx = Context(bar);
  // The phases still belong to the range of the previous bar: a FORMING range may have been
  // replaced at this bar, and its UTAD does not count for the new one.
  if (ctx.range == nullptr || ctx.range->id != phases_.range_id()) return false;
  if (!sos_.OnBarWeakness(ctx, out)) return false;
  tracker_.BreakDown(ctx.index);
  phases_.OnSos(ctx.index);
  out.back().phase_after = phases_.phase();
  lps_.Arm(ctx, out.back());
  return true;
}

void PatternEngine::LpsStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  if (!lps_.armed()) return;
  const std::int64_t t = bars_seen_ - 1;
  switch (lps_.OnBar(Context(bar), out)) {
    case LpsDetector::Outcome::kConfirmed:
      phases_.OnLps(t);
      out.back().phase_after = phases_.phase();
      tracker_.Release(t);
      phases_.SyncRange(tracker_.current(), t);
      break;
    case LpsDetector::Outcome::kFallback:
      phases_.OnFallback(t);
      tracker_.Reopen();
      break;
    case LpsDetector::Outcome::kExpired:
      tracker_.Release(t);
      phases_.SyncRange(tracker_.current(), t);
      break;
    case LpsDetector::Outcome::kNone:
      break;
  }
}

void PatternEngine::UtadStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const TradingRange* reference = tracker_.current();
  const TradingRange& released = tracker_.last_released();
  if (reference == nullptr && released.id != 0 && released.status == RangeStatus::kBrokenUp) {
    reference = &released;
  }
  if (!utad_.OnBar(Context(bar), reference, out)) return;
  if (reference == tracker_.current()) {
    phases_.OnUtad(bars_seen_ - 1);
    out.back().phase_after = phases_.phase();
  }
}

void PatternEngine::UpsideExitStep(const BarValues& bar, std::vector<PatternEvent>& out) {
  const Phase before = phases_.phase();
  const RangeUpdate update = tracker_.CheckUpsideExit(bar, bars_seen_ - 1, price_scale_);
  if (!update.broken_up) return;
  EmitRangeEnd(bar, update, before, out);
  phases_.SyncRange(tracker_.current(), bars_seen_ - 1);
}

}  // namespace wyckoff::detectors
