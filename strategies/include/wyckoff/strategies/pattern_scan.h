// ScanPatterns: runs the Wyckoff detectors over bar sources without trading (`wyckoff detect`).
//
//   auto scan = ScanPatterns(sources, symbols, detectors::ToDetectorParams(values));
//   for (const engine::RunEvent& e : scan->events) Print(e);   // same records as a backtest's
//   WriteCsv(scan->ranges);                                      // one row per trading range
//
// Each source is scanned on its own (one PatternEngine per symbol), bar by bar; events come
// out per symbol in confirmation order, symbols in the order given.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wyckoff/detectors/params.h"
#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/engine/strategy.h"

namespace wyckoff::strategies {

struct RangeRow {
  int symbol = 0;
  std::int64_t range_id = 0;
  std::string kind;           // ACCUMULATION or DISTRIBUTION
  Timestamp active_time = 0;  // when it became ACTIVE
  Timestamp end_time = 0;     // when it broke (0: still live at the end)
  std::string end;            // BROKEN_DOWN, BROKEN_UP, SOS, or empty
  std::vector<std::pair<std::string, std::string>> levels;  // support, resistance, targets
};

struct ScanResult {
  std::vector<engine::RunEvent> events;
  std::vector<RangeRow> ranges;
  std::vector<std::string> notes;  // e.g. why no volume-gated pattern could appear
  std::int64_t bars = 0;
  bool intraday = false;
};

// One symbol's scan, bar by bar: the pipeline of `wyckoff detect` (ScanPatterns) and of
// `wyckoff serve`, which feeds it bars as they arrive. Whatever the chunks, the same bars give
// the same events.
//
//   SymbolScanner scanner(params, "ORCL", /*symbol=*/0);
//   scanner.OnBar(bar, records, &ranges);   // appends the events confirmed at `bar`
class SymbolScanner {
 public:
  SymbolScanner(const detectors::DetectorParams& params, std::string name, int symbol);
  // Runs `bar` through the detectors and appends the events it confirmed to `out` (as
  // records) and, when `ranges` is not null, opens or closes their trading-range rows.
  // Returns the number of events; the detectors' own records are last_events() until the
  // next call.
  int OnBar(const Bar& bar, std::vector<engine::RunEvent>& out, std::vector<RangeRow>* ranges);
  const std::vector<detectors::PatternEvent>& last_events() const { return events_; }
  const detectors::PatternEngine& patterns() const { return *patterns_; }
  // Why no volume-gated pattern could appear (every bar had volume 0), or "".
  std::string Note() const;

 private:
  std::unique_ptr<detectors::PatternEngine> patterns_;
  detectors::DetectorParams params_;  // for the events' reasons
  std::vector<detectors::PatternEvent> events_;
  int symbol_;
};

// `params` must have passed detectors::ValidateParams (the schema's rule). Errors: the first bad
// row of a source.
Result<ScanResult> ScanPatterns(std::vector<std::unique_ptr<engine::BarSource>>& sources,
                                const std::vector<engine::SymbolInfo>& symbols,
                                const detectors::DetectorParams& params);

}  // namespace wyckoff::strategies
