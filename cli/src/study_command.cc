// `wyckoff study`: flags to an app::StudyRequest, its rows to a table (or JSON).
#include <charconv>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "run_options.h"
#include "sources.h"
#include "wyckoff/app/study.h"
#include "wyckoff/detectors/params.h"

namespace wyckoff::cli {
namespace {

// "5,10,20" -> {5, 10, 20}. Errors name the flag and the bad item.
Result<std::vector<int>> ParseHorizons(const std::string& text) {
  std::vector<int> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = std::min(text.find(',', begin), text.size());
    const std::string item = text.substr(begin, end - begin);
    int value = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (item.empty() || ec != std::errc() || ptr != item.data() + item.size() || value < 1 ||
        value > app::kMaxStudyHorizon) {
      return Fail(ErrorCode::kInvalidArgument, "--horizons: " + Quoted(item) +
                                                   " is not a whole number of bars from 1 to " +
                                                   std::to_string(app::kMaxStudyHorizon));
    }
    out.push_back(value);
    if (end == text.size()) break;
    begin = end + 1;
  }
  return out;
}

// A fraction as a percentage with two decimals ("1.23"), or "-".
std::string Percent(const std::optional<double>& v) {
  if (!v) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", *v * 100);
  return text;
}

// Cells with fewer events than this are marked: too few to judge.
constexpr std::int64_t kSmallSample = 30;

// The rows; the pooled ones (ALL) only when there are several files.
std::string StudyTable(const std::vector<app::StudyRow>& rows, std::size_t files) {
  std::string out;
  char line[320];
  std::snprintf(line, sizeof line, "%-12s %-18s %4s %6s %8s %8s %6s %8s %6s %8s %17s %8s %8s\n",
                "file", "event", "h", "n", "mean%", "median%", "hit%", "base%", "bhit%", "excess%",
                "95% interval", "mfe%", "mae%");
  out += line;
  bool small = false;
  for (const auto& r : rows) {
    if (files == 1 && r.file == "ALL") continue;
    const std::string interval =
        r.ci_low ? "[" + Percent(r.ci_low) + ", " + Percent(r.ci_high) + "]" : "-";
    const bool few = r.n < kSmallSample;
    small = small || few;
    std::snprintf(
        line, sizeof line, "%-12s %-18s %4d %6lld %8s %8s %6s %8s %6s %8s %17s %8s %8s%s\n",
        r.file.c_str(), r.event_type.c_str(), r.horizon, static_cast<long long>(r.n),
        Percent(r.mean_return).c_str(), Percent(r.median_return).c_str(),
        Percent(r.hit_rate).c_str(), Percent(r.base_mean_return).c_str(),
        Percent(r.base_hit_rate).c_str(), Percent(r.excess_return).c_str(), interval.c_str(),
        Percent(r.mfe).c_str(), Percent(r.mae).c_str(), few ? "  n<30" : "");
    out += line;
  }
  if (small) out += "n<30: too few events to judge\n";
  return out;
}

}  // namespace

int RunStudy(const StudyOptions& o) {
  auto data = DataRequestOf(o.data, o.symbols, o.on_bad_row, o.allow_nonpositive_prices, o.cache);
  if (!data) return ReportError(data.error());
  auto horizons = ParseHorizons(o.horizons);
  if (!horizons) return ReportError(horizons.error());
  ParamValues params = detectors::DetectorSchema().Defaults();
  if (auto ok = ApplySettings(params, o.params); !ok) return ReportError(ok.error());
  if (auto ok = detectors::DetectorSchema().Check(params); !ok) return ReportError(ok.error());
  app::StudyRequest request{.data = std::move(*data),
                            .params = std::move(params),
                            .horizons = std::move(*horizons),
                            .seed = o.seed,
                            .resamples = static_cast<int>(o.resamples),
                            .out = o.out};
  auto outcome = app::RunStudy(request);
  if (!outcome) {
    Error error = outcome.error();
    if (error.message.rfind("horizon ", 0) == 0) error.message = "--horizons: " + error.message;
    return ReportError(error);
  }
  if (o.json) {
    std::cout << app::StudyJson(request, *outcome);
  } else {
    std::cout << StudyTable(outcome->rows, outcome->symbols.size());
    std::cout << outcome->events << " events, " << outcome->bars << " bars, "
              << outcome->symbols.size() << (outcome->symbols.size() == 1 ? " file\n" : " files\n");
  }
  for (const auto& note : outcome->notes) std::cerr << "note: " << note << "\n";
  return kExitOk;
}

}  // namespace wyckoff::cli
