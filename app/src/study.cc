#include "wyckoff/app/study.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "wyckoff/detectors/params.h"
#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/report/csv_writer.h"
#include "wyckoff/report/report.h"

namespace wyckoff::app {
namespace {

using detectors::EventType;

constexpr int kTypes = static_cast<int>(EventType::kLastPointOfSupply) + 1;

// A seed per file and horizon, so that a file's interval does not depend on the other files.
std::uint64_t SplitMix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The q-quantile of sorted values, linear between the two nearest (type 7).
double Quantile(const std::vector<double>& sorted, double q) {
  const double at = q * static_cast<double>(sorted.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// What one series gives at one horizon: its events' returns per type and the prefix sums the
// bootstrap draws from.
struct Horizon {
  std::int64_t bars = 0;  // M: bars t with t + h present
  double base_sum = 0;
  std::int64_t base_hits = 0;
  std::array<std::vector<double>, kTypes> returns;  // per type, in bar order
  std::array<double, kTypes> mfe_sum{};
  std::array<double, kTypes> mae_sum{};
  std::vector<double> base_prefix;                             // M + 1
  std::array<std::vector<double>, kTypes> event_prefix;        // sum of returns, M + 1
  std::array<std::vector<std::int32_t>, kTypes> count_prefix;  // events, M + 1
};

Horizon Measure(const StudySeries& s, int h, const std::array<bool, kTypes>& present) {
  Horizon out;
  const std::int64_t n = static_cast<std::int64_t>(s.close.size());
  out.bars = std::max<std::int64_t>(0, n - h);
  const std::size_t m = static_cast<std::size_t>(out.bars);
  std::vector<double> base(m);
  out.base_prefix.assign(m + 1, 0.0);
  for (std::size_t t = 0; t < m; ++t) {
    base[t] = s.close[t + static_cast<std::size_t>(h)] / s.open[t + 1] - 1;
    out.base_sum += base[t];
    if (base[t] > 0) ++out.base_hits;
    out.base_prefix[t + 1] = out.base_prefix[t] + base[t];
  }
  for (int k = 0; k < kTypes; ++k) {
    if (!present[static_cast<std::size_t>(k)]) continue;
    out.event_prefix[static_cast<std::size_t>(k)].assign(m + 1, 0.0);
    out.count_prefix[static_cast<std::size_t>(k)].assign(m + 1, 0);
  }
  for (const auto& e : s.events) {
    if (e.index < 0 || e.index >= out.bars) continue;
    const std::size_t t = static_cast<std::size_t>(e.index);
    const std::size_t k = static_cast<std::size_t>(e.type);
    const double entry = s.open[t + 1];
    double best = s.high[t + 1], worst = s.low[t + 1];
    for (std::size_t j = t + 2; j <= t + static_cast<std::size_t>(h); ++j) {
      best = std::max(best, s.high[j]);
      worst = std::min(worst, s.low[j]);
    }
    out.returns[k].push_back(base[t]);
    out.mfe_sum[k] += best / entry - 1;
    out.mae_sum[k] += worst / entry - 1;
    out.event_prefix[k][t + 1] += base[t];
    out.count_prefix[k][t + 1] += 1;
  }
  for (int k = 0; k < kTypes; ++k) {
    auto& sums = out.event_prefix[static_cast<std::size_t>(k)];
    auto& counts = out.count_prefix[static_cast<std::size_t>(k)];
    for (std::size_t t = 1; t < sums.size(); ++t) {
      sums[t] += sums[t - 1];
      counts[t] += counts[t - 1];
    }
  }
  return out;
}

// Sum of prefix-summed values over the circular range [start, start + length) of m values.
template <typename T>
T CircularSum(const std::vector<T>& prefix, std::size_t start, std::size_t length, std::size_t m) {
  if (start + length <= m) return prefix[start + length] - prefix[start];
  return (prefix[m] - prefix[start]) + prefix[start + length - m];
}

// One bootstrap draw of one series: the resampled sums of the base and of each type's events.
struct Draw {
  double base = 0;
  std::array<double, kTypes> sum{};
  std::array<std::int64_t, kTypes> count{};
};

void Resample(const Horizon& hz, std::size_t block, std::mt19937_64& rng,
              const std::array<bool, kTypes>& present, Draw& d) {
  d = Draw{};
  const std::size_t m = static_cast<std::size_t>(hz.bars);
  for (std::size_t filled = 0; filled < m; filled += block) {
    const std::size_t length = std::min(block, m - filled);
    const std::size_t start = static_cast<std::size_t>(rng() % m);
    d.base += CircularSum(hz.base_prefix, start, length, m);
    for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
      if (!present[k]) continue;
      d.sum[k] += CircularSum(hz.event_prefix[k], start, length, m);
      d.count[k] += CircularSum(hz.count_prefix[k], start, length, m);
    }
  }
}

// Fills the row's statistics from the events' returns and the base.
void Describe(StudyRow& row, const std::vector<double>& returns, double mfe_sum, double mae_sum,
              double base_sum, std::int64_t base_hits, std::int64_t base_n) {
  row.base_n = base_n;
  if (base_n > 0) {
    row.base_mean_return = base_sum / static_cast<double>(base_n);
    row.base_hit_rate = static_cast<double>(base_hits) / static_cast<double>(base_n);
  }
  row.n = static_cast<std::int64_t>(returns.size());
  if (returns.empty()) return;
  double sum = 0;
  std::int64_t hits = 0;
  for (double r : returns) {
    sum += r;
    if (r > 0) ++hits;
  }
  const double n = static_cast<double>(returns.size());
  row.mean_return = sum / n;
  row.median_return = Median(returns);
  row.hit_rate = static_cast<double>(hits) / n;
  row.excess_return = *row.mean_return - *row.base_mean_return;
  row.mfe = mfe_sum / n;
  row.mae = mae_sum / n;
}

void Interval(StudyRow& row, std::vector<double>& excess) {
  if (row.n < 2 || excess.empty()) return;
  std::sort(excess.begin(), excess.end());
  row.ci_low = Quantile(excess, 0.025);
  row.ci_high = Quantile(excess, 0.975);
}

}  // namespace

std::vector<StudyRow> EventStudy(const std::vector<StudySeries>& series,
                                 const StudySettings& settings) {
  const std::size_t files = series.size();
  std::vector<std::array<bool, kTypes>> present(files);
  std::array<bool, kTypes> any{};
  for (std::size_t f = 0; f < files; ++f) {
    present[f].fill(false);
    for (const auto& e : series[f].events) {
      present[f][static_cast<std::size_t>(e.type)] = true;
      any[static_cast<std::size_t>(e.type)] = true;
    }
  }
  const std::size_t horizons = settings.horizons.size();
  // rows[f][k][h]: f == files is ALL.
  std::vector<std::vector<std::vector<StudyRow>>> rows(
      files + 1, std::vector<std::vector<StudyRow>>(kTypes, std::vector<StudyRow>(horizons)));
  for (std::size_t hi = 0; hi < horizons; ++hi) {
    const int h = settings.horizons[hi];
    std::vector<Horizon> measured;
    measured.reserve(files);
    for (std::size_t f = 0; f < files; ++f) measured.push_back(Measure(series[f], h, present[f]));
    // Point estimates, per file and pooled.
    std::array<std::vector<double>, kTypes> pooled;
    std::array<double, kTypes> pooled_mfe{}, pooled_mae{};
    double pooled_base = 0;
    std::int64_t pooled_hits = 0, pooled_bars = 0;
    for (std::size_t f = 0; f < files; ++f) {
      const Horizon& hz = measured[f];
      for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
        if (!present[f][k]) continue;
        Describe(rows[f][k][hi], hz.returns[k], hz.mfe_sum[k], hz.mae_sum[k], hz.base_sum,
                 hz.base_hits, hz.bars);
        pooled[k].insert(pooled[k].end(), hz.returns[k].begin(), hz.returns[k].end());
        pooled_mfe[k] += hz.mfe_sum[k];
        pooled_mae[k] += hz.mae_sum[k];
      }
      pooled_base += hz.base_sum;
      pooled_hits += hz.base_hits;
      pooled_bars += hz.bars;
    }
    for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
      if (!any[k]) continue;
      Describe(rows[files][k][hi], pooled[k], pooled_mfe[k], pooled_mae[k], pooled_base,
               pooled_hits, pooled_bars);
    }
    // The bootstrap: the same draws of each file serve its own rows and the pooled ones.
    if (settings.resamples <= 0) continue;
    std::vector<std::vector<std::vector<double>>> excess(files + 1,
                                                         std::vector<std::vector<double>>(kTypes));
    std::vector<std::mt19937_64> rngs;
    std::vector<std::size_t> blocks;
    for (std::size_t f = 0; f < files; ++f) {
      rngs.emplace_back(SplitMix(settings.seed ^ SplitMix((f << 20) ^ static_cast<unsigned>(h))));
      const double m = static_cast<double>(measured[f].bars);
      blocks.push_back(std::max<std::size_t>(static_cast<std::size_t>(h),
                                             static_cast<std::size_t>(std::ceil(std::cbrt(m)))));
    }
    Draw draw;
    for (int b = 0; b < settings.resamples; ++b) {
      Draw total;
      std::int64_t total_bars = 0;
      for (std::size_t f = 0; f < files; ++f) {
        const Horizon& hz = measured[f];
        if (hz.bars == 0) continue;
        Resample(hz, blocks[f], rngs[f], present[f], draw);
        const double base_mean = draw.base / static_cast<double>(hz.bars);
        total.base += draw.base;
        total_bars += hz.bars;
        for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
          if (draw.count[k] == 0) continue;
          excess[f][k].push_back(draw.sum[k] / static_cast<double>(draw.count[k]) - base_mean);
          total.sum[k] += draw.sum[k];
          total.count[k] += draw.count[k];
        }
      }
      if (total_bars == 0) continue;
      for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
        if (total.count[k] == 0) continue;
        excess[files][k].push_back(total.sum[k] / static_cast<double>(total.count[k]) -
                                   total.base / static_cast<double>(total_bars));
      }
    }
    for (std::size_t f = 0; f <= files; ++f) {
      for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
        Interval(rows[f][k][hi], excess[f][k]);
      }
    }
  }
  std::vector<StudyRow> out;
  for (std::size_t f = 0; f <= files; ++f) {
    for (std::size_t k = 0; k < static_cast<std::size_t>(kTypes); ++k) {
      if (!(f == files ? any[k] : present[f][k])) continue;
      for (std::size_t hi = 0; hi < horizons; ++hi) {
        StudyRow& row = rows[f][k][hi];
        row.file = f == files ? "ALL" : series[f].name;
        row.event_type = std::string(detectors::EventTypeName(static_cast<EventType>(k)));
        row.horizon = settings.horizons[hi];
        out.push_back(std::move(row));
      }
    }
  }
  return out;
}

std::string StudyCsv(const std::vector<StudyRow>& rows) {
  std::string out;
  report::CsvWriter csv(out);
  csv.Row({"file", "event_type", "horizon", "n", "mean_return", "median_return", "hit_rate",
           "base_n", "base_mean_return", "base_hit_rate", "excess_return", "ci_low", "ci_high",
           "mfe", "mae"});
  for (const StudyRow& r : rows) {
    csv.Text(r.file).Text(r.event_type).Number(r.horizon).Number(r.n);
    csv.Number(r.mean_return).Number(r.median_return).Number(r.hit_rate).Number(r.base_n);
    csv.Number(r.base_mean_return).Number(r.base_hit_rate).Number(r.excess_return);
    csv.Number(r.ci_low).Number(r.ci_high).Number(r.mfe).Number(r.mae);
    csv.End();
  }
  return out;
}

std::string StudyJson(const StudyRequest& request, const StudyOutcome& outcome) {
  using Json = nlohmann::ordered_json;
  auto value = [](const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); };
  Json rows = Json::array();
  for (const StudyRow& r : outcome.rows) {
    rows.push_back(Json{{"file", r.file},
                        {"event_type", r.event_type},
                        {"horizon", r.horizon},
                        {"n", r.n},
                        {"mean_return", value(r.mean_return)},
                        {"median_return", value(r.median_return)},
                        {"hit_rate", value(r.hit_rate)},
                        {"base_n", r.base_n},
                        {"base_mean_return", value(r.base_mean_return)},
                        {"base_hit_rate", value(r.base_hit_rate)},
                        {"excess_return", value(r.excess_return)},
                        {"ci_low", value(r.ci_low)},
                        {"ci_high", value(r.ci_high)},
                        {"mfe", value(r.mfe)},
                        {"mae", value(r.mae)}});
  }
  Json files = Json::array();
  for (const auto& s : outcome.symbols) files.push_back(s.name);
  Json out{{"files", files},       {"horizons", request.horizons},
           {"seed", request.seed}, {"resamples", request.resamples},
           {"bars", outcome.bars}, {"events", outcome.events},
           {"rows", rows}};
  return out.dump(2) + "\n";
}

Result<StudyOutcome> RunStudy(const StudyRequest& r) {
  if (r.horizons.empty()) return Fail(ErrorCode::kInvalidArgument, "no horizon to study");
  for (std::size_t i = 0; i < r.horizons.size(); ++i) {
    const int h = r.horizons[i];
    if (h < 1 || h > kMaxStudyHorizon) {
      return Fail(ErrorCode::kInvalidArgument, "horizon " + std::to_string(h) +
                                                   " is not a whole number of bars from 1 to " +
                                                   std::to_string(kMaxStudyHorizon));
    }
    if (std::find(r.horizons.begin(), r.horizons.begin() + static_cast<std::ptrdiff_t>(i), h) !=
        r.horizons.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Fail(ErrorCode::kInvalidArgument, "horizon " + std::to_string(h) + " given twice");
    }
  }
  if (r.resamples < 0 || r.resamples > kMaxStudyResamples) {
    return Fail(ErrorCode::kInvalidArgument, "resamples " + std::to_string(r.resamples) +
                                                 " is not from 0 to " +
                                                 std::to_string(kMaxStudyResamples));
  }
  Database none({});
  auto opened = OpenData(r.data, none);
  if (!opened) return tl::unexpected(opened.error());
  const detectors::DetectorParams params = detectors::ToDetectorParams(r.params);
  StudyOutcome outcome;
  std::vector<StudySeries> series(opened->sources.size());
  std::vector<detectors::PatternEvent> events;
  events.reserve(32);
  // One pass per file: the detectors see each bar once, as in a backtest, and its prices are
  // kept for the forward returns.
  for (std::size_t s = 0; s < opened->sources.size(); ++s) {
    StudySeries& out = series[s];
    out.name = opened->symbols[s].name;
    detectors::PatternEngine patterns(params, out.name);
    Bar bar;
    while (true) {
      Result<bool> got = opened->sources[s]->Next(bar);
      if (!got) return tl::unexpected(got.error());
      if (!*got) break;
      out.open.push_back(bar.open.ToDouble());
      out.high.push_back(bar.high.ToDouble());
      out.low.push_back(bar.low.ToDouble());
      out.close.push_back(bar.close.ToDouble());
      events.clear();
      patterns.OnBar(bar, events);
      for (const auto& e : events) out.events.push_back({e.confirm_index, e.type});
    }
    outcome.bars += static_cast<std::int64_t>(out.close.size());
    outcome.events += static_cast<std::int64_t>(out.events.size());
    outcome.intraday = outcome.intraday || opened->sources[s]->intraday();
    if (patterns.volume_missing()) {
      outcome.notes.push_back(out.name +
                              ": every bar has volume 0, so volume-gated patterns (SC, BC, ST, "
                              "SPRING, SOS, LPS, UTAD, SOW, LPSY) cannot be confirmed and none "
                              "were emitted");
    }
  }
  outcome.rows = EventStudy(series, {r.horizons, r.seed, r.resamples});
  outcome.symbols = std::move(opened->symbols);
  if (!r.out.empty()) {
    auto ok = report::WriteFiles(r.out, {{"study.csv", StudyCsv(outcome.rows)}});
    if (!ok) return tl::unexpected(ok.error());
  }
  return outcome;
}

}  // namespace wyckoff::app
