// `wyckoff detect`: flags to an app::DetectRequest, its events to a table.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/app/detect.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::cli {
namespace {

// A level with 4 decimals, or "-" when the event refers to none.
std::string Level(double level) {
  if (!std::isfinite(level)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", level);
  return text;
}

std::string EventTable(const strategies::ScanResult& scan,
                       const std::vector<engine::SymbolInfo>& symbols) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-19s %-19s %-19s %10s %5s %10s %10s %10s %6s  %s\n",
                "symbol", "type", "pattern", "confirm", "level", "conf", "entry", "stop", "target",
                "R", "trade");
  out += line;
  for (const auto& e : scan.events) {
    const std::string tradeable = e.DetailText("tradeable");
    const std::string why = e.DetailText("reason");
    const std::string signal = e.DetailText("signal");
    std::snprintf(line, sizeof line, "%-12s %-19s %-19s %-19s %10s %5.0f %10s %10s %10s %6s  %s\n",
                  symbols[e.symbol].name.c_str(), e.type.c_str(),
                  FormatTimestamp(e.pattern_time, !scan.intraday).c_str(),
                  FormatTimestamp(e.confirm_time, !scan.intraday).c_str(), Level(e.level).c_str(),
                  e.confidence, e.DetailText("entry").c_str(), e.DetailText("stop").c_str(),
                  e.DetailText("target").c_str(), e.DetailText("reward_risk").c_str(),
                  signal.empty()        ? ""
                  : tradeable == "true" ? signal.c_str()
                                        : why.c_str());
    out += line;
  }
  return out;
}

}  // namespace

int RunDetect(const DetectOptions& o) {
  auto data = DataRequestOf(o.data, o.symbols, o.on_bad_row, o.allow_nonpositive_prices, o.cache);
  if (!data) return ReportError(data.error());
  ParamValues params = detectors::DetectorSchema().Defaults();
  if (auto ok = ApplySettings(params, o.params); !ok) return ReportError(ok.error());
  if (auto ok = detectors::DetectorSchema().Check(params); !ok) return ReportError(ok.error());
  auto outcome = app::RunDetect({std::move(*data), std::move(params), o.out});
  if (!outcome) return ReportError(outcome.error());
  const strategies::ScanResult& scan = outcome->scan;
  if (o.json) {
    std::cout << app::DetectJson(*outcome);
  } else {
    std::cout << EventTable(scan, outcome->symbols);
    std::cout << scan.events.size() << " events, " << scan.ranges.size() << " trading ranges, "
              << scan.bars << " bars\n";
  }
  for (const auto& note : scan.notes) std::cerr << "note: " << note << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
