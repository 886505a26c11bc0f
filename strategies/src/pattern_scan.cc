#include "wyckoff/strategies/pattern_scan.h"

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
        row.levels.emplace_back(name, value.Text());
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

SymbolScanner::SymbolScanner(const detectors::DetectorParams& params, std::string name, int symbol)
    : patterns_(std::make_unique<detectors::PatternEngine>(params, std::move(name))),
      params_(params),
      symbol_(symbol) {
  events_.reserve(32);
}

int SymbolScanner::OnBar(const Bar& bar, std::vector<engine::RunEvent>& out,
                         std::vector<RangeRow>* ranges) {
  events_.clear();
  patterns_->OnBar(bar, events_);
  for (const auto& e : events_) {
    out.push_back(ToRunEvent(e, symbol_, params_));
    if (ranges != nullptr) TrackRange(e, out.back(), symbol_, *ranges);
  }
  return static_cast<int>(events_.size());
}

std::string SymbolScanner::Note() const {
  if (!patterns_->volume_missing()) return "";
  return patterns_->symbol() +
         ": every bar has volume 0, so volume-gated patterns (SC, BC, ST, SPRING, SOS, LPS, "
         "UTAD, SOW, LPSY) cannot be confirmed and none were emitted";
}

Result<ScanResult> ScanPatterns(std::vector<std::unique_ptr<engine::BarSource>>& sources,
                                const std::vector<engine::SymbolInfo>& symbols,
                                const detectors::DetectorParams& p) {
  ScanResult result;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    SymbolScanner scanner(p, symbols[s].name, static_cast<int>(s));
    Bar bar;
    while (true) {
      Result<bool> got = sources[s]->Next(bar);
      if (!got) return tl::unexpected(got.error());
      if (!*got) break;
      ++result.bars;
      scanner.OnBar(bar, result.events, &result.ranges);
    }
    result.intraday = result.intraday || sources[s]->intraday();
    if (std::string note = scanner.Note(); !note.empty()) result.notes.push_back(std::move(note));
  }
  return result;
}

}  // namespace wyckoff::strategies
