#include "wyckoff/strategies/pattern_scan.h"

#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/strategies/pattern_records.h"

namespace wyckoff::strategies {
namespace {

using detectors::EventType;

// Opens a row for a range that became ACTIVE, or closes the row of one that ended.
void TrackRange(const detectors::PatternEvent& e, const engine::RunEvent& record, int symbol,
                std::vector<RangeRow>& ranges) {
  if (e.type == EventType::kRangeActive) {
    RangeRow row{symbol, e.range_id, std::string(detectors::RangeKindName(e.range_kind)),
                 e.confirm_time};
    for (const auto& [name, value] : record.details) {
      if (name == "support" || name == "resistance" || name == "jump_target" ||
          name == "conservative_target") {
        row.levels.emplace_back(name, value);
      }
    }
    ranges.push_back(std::move(row));
    return;
  }
  const bool ends = e.type == EventType::kRangeBrokenDown || e.type == EventType::kRangeBrokenUp ||
                    e.type == EventType::kSignOfStrength || e.type == EventType::kSignOfWeakness;
  if (!ends) return;
  for (auto it = ranges.rbegin(); it != ranges.rend(); ++it) {
    if (it->symbol == symbol && it->range_id == e.range_id && it->end.empty()) {
      it->end_time = e.confirm_time;
      const bool sign =
          e.type == EventType::kSignOfStrength || e.type == EventType::kSignOfWeakness;
      it->end = sign ? record.type : record.type.substr(6);  // SOS, SOW, BROKEN_DOWN, BROKEN_UP
      return;
    }
  }
}

}  // namespace

Result<ScanResult> ScanPatterns(std::vector<std::unique_ptr<engine::BarSource>>& sources,
                                const std::vector<engine::SymbolInfo>& symbols,
                                const detectors::DetectorParams& p) {
  ScanResult result;
  std::vector<detectors::PatternEvent> events;
  events.reserve(32);
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const int symbol = static_cast<int>(s);
    detectors::PatternEngine patterns(p, symbols[s].name);
    Bar bar;
    while (true) {
      Result<bool> got = sources[s]->Next(bar);
      if (!got) return tl::unexpected(got.error());
      if (!*got) break;
      ++result.bars;
      events.clear();
      patterns.OnBar(bar, events);
      for (const auto& e : events) {
        result.events.push_back(ToRunEvent(e, symbol));
        TrackRange(e, result.events.back(), symbol, result.ranges);
      }
    }
    result.intraday = result.intraday || sources[s]->intraday();
    if (patterns.volume_missing()) {
      result.notes.push_back(symbols[s].name +
                             ": every bar has volume 0, so volume-gated patterns (SC, BC, ST, "
                             "SPRING, SOS, LPS, UTAD, SOW, LPSY) cannot be confirmed and none were "
                             "emitted");
    }
  }
  return result;
}

}  // namespace wyckoff::strategies
