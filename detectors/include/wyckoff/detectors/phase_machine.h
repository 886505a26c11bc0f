// PhaseMachine: the Wyckoff phases A-E of the held trading range, for accumulation and
// distribution, and the climax events that open phase A.
//
//   PhaseMachine phases(params);
//   phases.SyncRange(tracker.current(), t);            // after the range tracker's step
//   phases.OnBar(ctx, events);                          // SC/BC, ST, NONE -> A, A -> B
//   if (spring_confirmed) phases.OnSpring(t);          // B -> C when the spring counts
//
// Transitions (wyckoff-rules.md, "Phases"): NONE -> A when the range becomes ACTIVE or on a
// selling (buying) climax; A -> B on the first secondary test or on the bar after the range
// became ACTIVE; B -> C on a counted spring (a UTAD in a distribution range); C -> D on an SOS
// (an SOW); D -> B when a close falls back below R (rises back above S) before an LPS (an
// LPSY); D -> E on the LPS (the LPSY).
//
// Invariants: the state belongs to one range id (range_id()); a different id resets it. A
// climax seen while no range is held opens a provisional phase A that a range created within
// kClimaxMemoryBars bars inherits, with the climax's kind.
#pragma once

#include <cstdint>
#include <vector>

#include "wyckoff/detectors/detector_context.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::detectors {

class PhaseMachine {
 public:
  static constexpr int kClimaxMemoryBars = 60;

  explicit PhaseMachine(const DetectorParams& params) : params_(params) {}

  // Aligns the state with the held range (nullptr: none) at bar t.
  void SyncRange(const TradingRange* range, std::int64_t t);
  // Climax and secondary test, NONE -> A on activation, A -> B; appends SC, BC and ST events.
  void OnBar(const DetectorContext& ctx, std::vector<PatternEvent>& out);

  void OnSpring(std::int64_t t);    // B (mature) or C -> C; remembers the spring
  void OnSos(std::int64_t t);       // -> D (an SOS or an SOW)
  void OnLps(std::int64_t t);       // D -> E (an LPS or an LPSY)
  void OnFallback(std::int64_t t);  // D -> B
  void OnUtad(std::int64_t t);      // distribution: B (mature) or C -> C; remembers the UTAD

  Phase phase() const { return phase_; }
  // The bar the current phase began.
  std::int64_t phase_start() const { return phase_start_; }
  RangeKind kind() const { return kind_; }
  std::int64_t range_id() const { return range_id_; }
  bool spring_seen() const { return spring_seen_; }
  // A UTAD moved this distribution range to phase C (the mirror of spring_seen).
  bool utad_seen() const { return utad_seen_; }
  // True in phase B after phase_b_min_bars bars, and in phase C: springs and UTADs count.
  bool PatternCounts(std::int64_t t) const;
  // A climax seen while no range was ACTIVE, at most kClimaxMemoryBars before bar t: a range
  // that becomes ACTIVE now inherits it (phase A).
  bool ClimaxPending(std::int64_t t) const {
    return climax_.valid && !range_was_active_ && t - climax_.index <= kClimaxMemoryBars;
  }

 private:
  struct Climax {
    bool valid = false;
    bool selling = true;  // SC (accumulation) or BC (distribution)
    std::int64_t index = 0;
    double extreme = 0;  // the SC low or the BC high
    double volume = 0;
    bool tested = false;  // one secondary test per climax
  };
  void Enter(Phase phase, std::int64_t t);
  bool DetectClimax(const DetectorContext& ctx, std::vector<PatternEvent>& out);
  void DetectSecondaryTest(const DetectorContext& ctx, std::vector<PatternEvent>& out);

  const DetectorParams params_;
  Phase phase_ = Phase::kNone;
  RangeKind kind_ = RangeKind::kAccumulation;
  std::int64_t phase_start_ = 0;
  std::int64_t range_id_ = 0;
  bool range_was_active_ = false;
  bool spring_seen_ = false;
  bool utad_seen_ = false;
  Climax climax_;
};

}  // namespace wyckoff::detectors
