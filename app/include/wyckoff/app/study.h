// `study` as a function: an event study of the Wyckoff detectors. For every event type and
// horizon h, the forward return of the events, the same return over every bar (the base rate),
// the excess and a block-bootstrap interval of it.
//
//   StudyRequest request{.data = ..., .params = DetectorSchema().Defaults(),
//                        .horizons = {5, 10, 20}, .out = "study/"};
//   Result<StudyOutcome> outcome = RunStudy(request);   // study.csv in out/
//
// Definitions (docs/study.md). An event confirmed at bar t (its confirm_index) has the forward
// return close[t+h] / open[t+1] - 1 at horizon h: it enters at the next open, the first price
// a trader could act at. The return is defined when bar t+h exists. The base rate is the same
// formula over every bar t with t+h present. A hit is a return above 0. MFE and MAE are the
// best and worst excursion within the h bars, max(high[t+1..t+h]) / open[t+1] - 1 and
// min(low[t+1..t+h]) / open[t+1] - 1, averaged over the events. The interval is the 2.5% and
// 97.5% quantile of the excess over `resamples` circular block bootstraps of the bars
// (blocks of max(h, ceil(M^(1/3))) bars, M = the bars with a return at h), seeded: the same
// request gives the same interval.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wyckoff/app/data.h"
#include "wyckoff/core/params.h"
#include "wyckoff/detectors/pattern_event.h"

namespace wyckoff::app {

// The most bars a horizon may span, and the most resamples.
inline constexpr int kMaxStudyHorizon = 10'000;
inline constexpr int kMaxStudyResamples = 100'000;

struct StudyRequest {
  DataRequest data;
  ParamValues params;         // of detectors::DetectorSchema(), rules checked
  std::vector<int> horizons;  // bars ahead, each 1..kMaxStudyHorizon, no repeats
  std::uint64_t seed = 1;     // of the bootstrap
  int resamples = 1000;       // bootstrap resamples, 0 for no interval
  std::string out;            // study.csv; none when empty
};

// One cell of the study: one file (or "ALL", every file pooled), one event type, one horizon.
// Values that are undefined (no event with a return at h; an interval of fewer than 2 events)
// are empty.
struct StudyRow {
  std::string file;        // the symbol's name (by default the file's name), or "ALL"
  std::string event_type;  // SPRING, SOS, ... (detectors::EventTypeName)
  int horizon = 0;
  std::int64_t n = 0;  // events with a return at this horizon
  std::optional<double> mean_return;
  std::optional<double> median_return;
  std::optional<double> hit_rate;
  std::int64_t base_n = 0;  // bars with a return at this horizon
  std::optional<double> base_mean_return;
  std::optional<double> base_hit_rate;
  std::optional<double> excess_return;  // mean_return - base_mean_return
  std::optional<double> ci_low;
  std::optional<double> ci_high;
  std::optional<double> mfe;
  std::optional<double> mae;
};

// One file's bars and events, for EventStudy.
struct StudySeries {
  std::string name;
  std::vector<double> open, high, low, close;
  struct Event {
    std::int64_t index = 0;  // the bar it was confirmed at
    detectors::EventType type = detectors::EventType::kSpring;
  };
  std::vector<Event> events;  // in bar order
};

struct StudySettings {
  std::vector<int> horizons;
  std::uint64_t seed = 1;
  int resamples = 1000;
};

// The rows of the study: per series, then "ALL"; event types in the order of the rules page
// (detectors::EventType), those that occur in the series; horizons in the order given.
std::vector<StudyRow> EventStudy(const std::vector<StudySeries>& series,
                                 const StudySettings& settings);

struct StudyOutcome {
  std::vector<StudyRow> rows;
  std::vector<engine::SymbolInfo> symbols;
  std::int64_t bars = 0;
  std::int64_t events = 0;
  std::vector<std::string> notes;  // e.g. a file without volume
  bool intraday = false;
};

// study.csv: the header `file,event_type,horizon,n,mean_return,median_return,hit_rate,base_n,
// base_mean_return,base_hit_rate,excess_return,ci_low,ci_high,mfe,mae`, then one line per row.
std::string StudyCsv(const std::vector<StudyRow>& rows);
// {"horizons":[...],"seed":S,"resamples":B,"bars":N,"events":E,"rows":[{...}, ...]}, undefined
// values null.
std::string StudyJson(const StudyRequest& request, const StudyOutcome& outcome);

// Errors: a horizon out of range or given twice, no horizon, resamples out of range; the
// sources' (CSV files only); a file that cannot be written.
Result<StudyOutcome> RunStudy(const StudyRequest& request);

}  // namespace wyckoff::app
