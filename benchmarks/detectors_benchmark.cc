// Detector benchmarks: features (volume/spread analysis), each detector alone, the full
// PatternEngine, the NFR1 per-bar signal latency with its p99, feature rows per second, and
// many symbols analysed concurrently on a Boost.Asio thread pool.
//
// Real bars come from data/ (ORCL and YHOO daily, 20 years each); synthetic random walks
// (fixtures::RandomWalkBars) give the sizes the files cannot (a million rows, 1000 symbols).
// Benchmarks over "100 bars" report time per iteration; budgets.json divides it by 100.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <latch>
#include <map>
#include <string>
#include <vector>

#include "counted.h"
#include "wyckoff/detectors/pattern_engine.h"
#include "wyckoff/engine/bar_source.h"
#include "wyckoff/fixtures/random_walk.h"

namespace wyckoff::detectors {
namespace {

constexpr const char* kOrcl = "data/daily/orcl-1995-2014.csv";
constexpr const char* kYhoo = "data/daily/yhoo-1996-2015.csv";
constexpr int kWindow = 100;

// Every bar of a real file under the source tree, read once per process; empty (and `error`
// set) when the file cannot be opened, has a bad row, or has too few bars.
const std::vector<Bar>& RealBars(const std::string& relative, std::string* error = nullptr) {
  static std::map<std::string, std::pair<std::vector<Bar>, std::string>> cache;
  auto [it, inserted] = cache.try_emplace(relative);
  auto& [bars, message] = it->second;
  if (inserted) {
    auto source = engine::CsvBarSource::Open(std::string(WYCKOFF_SOURCE_DIR) + "/" + relative, {});
    if (!source) {
      message = source.error().message;
    } else {
      auto read = engine::ReadAll(**source);
      if (!read) {
        message = read.error().message;
      } else if (read->size() < 2 * kWindow) {
        message = relative + ": too few bars for the benchmark";
      } else {
        bars = std::move(*read);
      }
    }
  }
  if (error != nullptr) *error = message;
  return bars;
}

// Skips the benchmark (SkipWithError) when `relative` cannot be read; true when it can.
bool HaveRealBars(benchmark::State& state, const std::string& relative) {
  std::string error;
  RealBars(relative, &error);
  if (error.empty()) return true;
  state.SkipWithError(error.c_str());
  return false;
}

// Synthetic daily bars of one symbol, generated once per (count, seed).
const std::vector<Bar>& SyntheticBars(std::size_t count, std::uint64_t seed) {
  static std::map<std::pair<std::size_t, std::uint64_t>, std::vector<Bar>> cache;
  auto& bars = cache[{count, seed}];
  if (bars.empty()) bars = fixtures::RandomWalkBars({.bars = count, .seed = seed});
  return bars;
}

void SetRate(benchmark::State& state, const char* name, std::size_t per_iteration) {
  state.counters[name] = benchmark::Counter(static_cast<double>(state.iterations() * per_iteration),
                                            benchmark::Counter::kIsRate);
}

// An endless stream of a file's bars for steady-state benchmarks: after the last bar it starts
// again from the first, its times shifted so that they keep increasing by the usual step (the
// price jump at the seam breaks a range once per lap, as a gap would).
class EndlessBars {
 public:
  explicit EndlessBars(const std::vector<Bar>& bars)
      : bars_(bars), lap_(bars.back().time - bars.front().time + (bars[1].time - bars[0].time)) {}

  const Bar& Next() {
    if (next_ == bars_.size()) next_ = 0, shift_ += lap_;
    current_ = bars_[next_++];
    current_.time += shift_;
    return current_;
  }

 private:
  const std::vector<Bar>& bars_;
  Timestamp lap_;
  Timestamp shift_ = 0;
  std::size_t next_ = 0;
  Bar current_;
};

// ---- What each detector sees ----------------------------------------------------------------

// The inputs of the detectors at one bar, recorded once so that a detector can be timed alone:
// the bar, its features, the held range, the phase, and UTAD's reference range.
struct Snapshot {
  BarValues bar;
  FeatureValues features;
  bool has_range = false;
  TradingRange range;
  bool has_reference = false;  // UTAD: the held range, or the last one an SOS broke up
  TradingRange reference;
  Phase phase = Phase::kNone;
  RangeKind kind = RangeKind::kAccumulation;
  bool pattern_counts = false;
  bool spring_seen = false;
};

DetectorContext ContextOf(const Snapshot& s) {
  DetectorContext ctx;
  ctx.index = s.features.index;
  ctx.bar = &s.bar;
  ctx.features = &s.features;
  ctx.range = s.has_range ? &s.range : nullptr;
  ctx.phase = s.phase;
  ctx.kind = s.kind;
  ctx.pattern_counts = s.pattern_counts;
  ctx.spring_seen = s.spring_seen;
  ctx.symbol = "BENCH";
  return ctx;
}

// A file's snapshots and the bars at which each detector confirmed an event.
struct Recording {
  std::vector<Snapshot> snapshots;
  std::vector<std::int64_t> springs, sos, utads;
};

// Runs the PatternEngine's steps (features, range, phases, Spring, SOS, UTAD, upside exit; not
// LPS) over `bars`, taking a snapshot after the range step of every bar: what each detector
// is given in the engine, to within the effects of earlier detectors at the same bar.
Recording Record(const std::vector<Bar>& bars, const DetectorParams& params) {
  Recording rec;
  FeatureCalculator features(params);
  TradingRangeTracker tracker(params);
  PhaseMachine phases(params);
  SpringDetector springs(params);
  SosDetector sos(params);
  UtadDetector utad(params);
  std::vector<PatternEvent> events;
  const double scale = 1.0;  // daily bars
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto t = static_cast<std::int64_t>(i);
    Snapshot& s = rec.snapshots.emplace_back();
    s.bar = ToBarValues(bars[i]);
    s.features = features.Update(s.bar);
    tracker.OnBar(s.bar, s.features, scale);
    phases.SyncRange(tracker.current(), t);
    if (tracker.current() != nullptr) {
      s.has_range = true;
      s.range = *tracker.current();
    }
    s.phase = phases.phase();
    s.kind = phases.kind();
    s.pattern_counts = phases.PatternCounts(t);
    s.spring_seen = phases.spring_seen();
    phases.OnBar(ContextOf(s), events);
    const TradingRange& released = tracker.last_released();
    if (s.has_range || (released.id != 0 && released.status == RangeStatus::kBrokenUp)) {
      s.has_reference = true;
      s.reference = s.has_range ? s.range : released;
    }
    if (springs.OnBar(ContextOf(s), events).confirmed) {
      phases.OnSpring(t);
      rec.springs.push_back(t);
    }
    if (sos.OnBar(ContextOf(s), events)) {
      tracker.BreakUp(t);
      phases.OnSos(t);
      rec.sos.push_back(t);
    }
    if (utad.OnBar(ContextOf(s), s.has_reference ? &s.reference : nullptr, events)) {
      rec.utads.push_back(t);
    }
    tracker.CheckUpsideExit(s.bar, t, scale);
    phases.SyncRange(tracker.current(), t);
    events.clear();
  }
  return rec;
}

// kWindow snapshots around the first event in `at` (60 bars before it), or the last kWindow
// snapshots when there is none; `label` says which.
std::vector<Snapshot> WindowAround(const Recording& rec, const std::vector<std::int64_t>& at,
                                   std::string& label) {
  const auto n = static_cast<std::int64_t>(rec.snapshots.size());
  std::int64_t first = n - kWindow;
  label = "last 100 bars (no event in the file)";
  if (!at.empty()) {
    first = std::clamp<std::int64_t>(at.front() - 60, 0, n - kWindow);
    label = "bars " + std::to_string(first) + "-" + std::to_string(first + kWindow - 1) +
            ", event at " + std::to_string(at.front());
  }
  return {rec.snapshots.begin() + first, rec.snapshots.begin() + first + kWindow};
}

enum class Detector { kSpring, kSos, kUtad };

// The window of the first file (ORCL, then YHOO) in which `detector` confirms an event.
std::vector<Snapshot> DetectorWindow(Detector detector, std::string& label) {
  struct File {
    const char* name;
    const char* path;
  };
  for (const File& file : {File{"ORCL", kOrcl}, File{"YHOO", kYhoo}}) {
    const Recording rec = Record(RealBars(file.path), DetectorParams{});
    const auto& at = detector == Detector::kSpring ? rec.springs
                     : detector == Detector::kSos  ? rec.sos
                                                   : rec.utads;
    if (!at.empty() || file.path == kYhoo) {
      std::vector<Snapshot> window = WindowAround(rec, at, label);
      label = std::string(file.name) + " " + label;
      return window;
    }
  }
  return {};
}

// ---- Features -------------------------------------------------------------------------------

// Volume/spread analysis (volume and spread ratios, close position, ATR, effort class) of 100
// real bars per iteration, in the steady state: one calculator over the endless ORCL stream.
void BM_Features_Volume100(benchmark::State& state) {
  if (!HaveRealBars(state, kOrcl)) return;
  std::vector<BarValues> values;
  for (const Bar& bar : RealBars(kOrcl)) values.push_back(ToBarValues(bar));
  FeatureCalculator features(DetectorParams{});
  std::size_t next = 0;
  for (auto _ : state) {
    for (int i = 0; i < kWindow; ++i) {
      if (next == values.size()) next = 0;
      benchmark::DoNotOptimize(features.Update(values[next++]));
    }
  }
  SetRate(state, "bars_per_second", kWindow);
}
BENCHMARK(BM_Features_Volume100)->Apply(benchmarks::Counted);

// Feature calculation throughput: a million synthetic 1-minute rows per iteration.
void BM_Features_Rows(benchmark::State& state) {
  static const std::vector<BarValues> rows = [] {
    std::vector<BarValues> out;
    for (const Bar& bar : fixtures::RandomWalkBars(
             {.bars = 1'000'000, .seed = 11, .interval = 60 * kNanosPerSecond})) {
      out.push_back(ToBarValues(bar));
    }
    return out;
  }();
  for (auto _ : state) {
    FeatureCalculator features(DetectorParams{});
    for (const BarValues& row : rows) benchmark::DoNotOptimize(features.Update(row));
  }
  SetRate(state, "rows_per_second", rows.size());
}
BENCHMARK(BM_Features_Rows)->Unit(benchmark::kMillisecond);

// ---- Each detector alone over 100 bars ------------------------------------------------------

// Times one detector over the window of real bars where it confirms an event (a fresh detector
// per iteration; its inputs were recorded beforehand). `step` runs the detector on one bar.
template <typename MakeDetector, typename Step>
void TimeDetector(benchmark::State& state, Detector which, MakeDetector make, Step step) {
  if (!HaveRealBars(state, kOrcl) || !HaveRealBars(state, kYhoo)) return;
  std::string label;
  const std::vector<Snapshot> window = DetectorWindow(which, label);
  if (window.size() != static_cast<std::size_t>(kWindow)) {
    return state.SkipWithError(("no window of 100 bars: " + label).c_str());
  }
  std::vector<PatternEvent> events;
  events.reserve(16);
  std::int64_t found = 0;
  for (auto _ : state) {
    auto detector = make();
    for (const Snapshot& s : window) {
      events.clear();
      step(detector, s, events);
      found += static_cast<std::int64_t>(events.size());
    }
  }
  SetRate(state, "bars_per_second", kWindow);
  state.counters["events"] = static_cast<double>(found) / static_cast<double>(state.iterations());
  state.SetLabel(label);
}

void BM_Spring_100Bars(benchmark::State& state) {
  TimeDetector(
      state, Detector::kSpring, [] { return SpringDetector(DetectorParams{}); },
      [](SpringDetector& d, const Snapshot& s, std::vector<PatternEvent>& out) {
        d.OnBar(ContextOf(s), out);
      });
}
BENCHMARK(BM_Spring_100Bars)->Apply(benchmarks::Counted);

void BM_Sos_100Bars(benchmark::State& state) {
  TimeDetector(
      state, Detector::kSos, [] { return SosDetector(DetectorParams{}); },
      [](SosDetector& d, const Snapshot& s, std::vector<PatternEvent>& out) {
        d.OnBar(ContextOf(s), out);
      });
}
BENCHMARK(BM_Sos_100Bars)->Apply(benchmarks::Counted);

void BM_Utad_100Bars(benchmark::State& state) {
  TimeDetector(
      state, Detector::kUtad, [] { return UtadDetector(DetectorParams{}); },
      [](UtadDetector& d, const Snapshot& s, std::vector<PatternEvent>& out) {
        d.OnBar(ContextOf(s), s.has_reference ? &s.reference : nullptr, out);
      });
}
BENCHMARK(BM_Utad_100Bars)->Apply(benchmarks::Counted);

// ---- The full pipeline ----------------------------------------------------------------------

// A PatternEngine warmed up on `warmup` bars of the endless stream.
void WarmUp(PatternEngine& patterns, EndlessBars& stream, int warmup) {
  std::vector<PatternEvent> events;
  for (int i = 0; i < warmup; ++i) {
    events.clear();
    patterns.OnBar(stream.Next(), events);
  }
}

// Every detector (features, range, phases, Spring, SOS, LPS, UTAD) over 100 real bars per
// iteration, in the steady state of one PatternEngine over the endless ORCL stream.
void BM_Pipeline_100Bars(benchmark::State& state) {
  if (!HaveRealBars(state, kOrcl)) return;
  EndlessBars stream(RealBars(kOrcl));
  PatternEngine patterns(DetectorParams{}, "ORCL");
  WarmUp(patterns, stream, 1000);
  std::vector<PatternEvent> events;
  events.reserve(64);
  std::int64_t found = 0;
  for (auto _ : state) {
    for (int i = 0; i < kWindow; ++i) {
      events.clear();
      found += patterns.OnBar(stream.Next(), events);
    }
  }
  SetRate(state, "bars_per_second", kWindow);
  state.counters["events_per_100_bars"] =
      static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Pipeline_100Bars)->Apply(benchmarks::Counted);

// The percentiles of `samples` (sorted in place) as counters, in nanoseconds.
void SetPercentiles(benchmark::State& state, std::vector<double>& samples) {
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    return samples[static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1))];
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["max_ns"] = samples.back();
}

// NFR1: the latency of one bar through features, range, phases and every detector (one
// iteration is one bar of the endless ORCL stream). After the timed loop, 20,000 more bars are
// timed one by one for the p50/p99/max counters; those samples include one steady_clock read
// (about 20 ns).
void BM_Signal_PerBar(benchmark::State& state) {
  if (!HaveRealBars(state, kOrcl)) return;
  EndlessBars stream(RealBars(kOrcl));
  PatternEngine patterns(DetectorParams{}, "ORCL");
  WarmUp(patterns, stream, 1000);
  std::vector<PatternEvent> events;
  events.reserve(64);
  for (auto _ : state) {
    events.clear();
    benchmark::DoNotOptimize(patterns.OnBar(stream.Next(), events));
  }
  SetRate(state, "bars_per_second", 1);

  constexpr int kSamples = 20'000;
  std::vector<double> samples(kSamples);
  for (double& sample : samples) {
    events.clear();
    const Bar& bar = stream.Next();
    const auto start = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(patterns.OnBar(bar, events));
    const auto stop = std::chrono::steady_clock::now();
    sample = static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
  }
  SetPercentiles(state, samples);
}
BENCHMARK(BM_Signal_PerBar)->Apply(benchmarks::Counted);

// ---- Many symbols at once -------------------------------------------------------------------

// One symbol's analysis: a fresh PatternEngine over all its bars; returns the events found.
std::int64_t Analyse(const std::vector<Bar>& bars, const std::string& symbol) {
  PatternEngine patterns(DetectorParams{}, symbol);
  std::vector<PatternEvent> events;
  events.reserve(64);
  std::int64_t found = 0;
  for (const Bar& bar : bars) {
    events.clear();
    found += patterns.OnBar(bar, events);
  }
  return found;
}

// `symbols` symbols of 1000 synthetic daily bars each, analysed as one task per symbol on a
// thread pool of `threads` threads; one iteration waits for all of them.
void AnalyseConcurrently(benchmark::State& state, int symbols, int threads) {
  constexpr std::size_t kBars = 1000;
  std::vector<const std::vector<Bar>*> data;
  std::vector<std::string> names;
  for (int s = 0; s < symbols; ++s) {
    data.push_back(&SyntheticBars(kBars, 1000 + static_cast<std::uint64_t>(s)));
    names.push_back("S" + std::to_string(s));
  }
  boost::asio::thread_pool pool(static_cast<std::size_t>(threads));
  std::atomic<std::int64_t> found{0};
  for (auto _ : state) {
    std::latch done(symbols);
    for (int s = 0; s < symbols; ++s) {
      boost::asio::post(pool, [&, s] {
        found += Analyse(*data[static_cast<std::size_t>(s)], names[static_cast<std::size_t>(s)]);
        done.count_down();
      });
    }
    done.wait();
  }
  pool.join();
  SetRate(state, "bars_per_second", static_cast<std::size_t>(symbols) * kBars);
  state.counters["threads"] = threads;
  state.SetComplexityN(symbols);
}

// 100 symbols x 1000 bars analysed concurrently on 2 threads.
void BM_Concurrent_100Symbols(benchmark::State& state) { AnalyseConcurrently(state, 100, 2); }
BENCHMARK(BM_Concurrent_100Symbols)->Unit(benchmark::kMillisecond)->UseRealTime();

// Scaling with the number of symbols (1000 bars each, 2 threads).
void BM_Concurrent_Symbols(benchmark::State& state) {
  AnalyseConcurrently(state, static_cast<int>(state.range(0)), 2);
}
BENCHMARK(BM_Concurrent_Symbols)
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Complexity(benchmark::oN);

// The same 100 symbols on one thread: the pool's speed-up is the ratio to BM_Concurrent_100Symbols.
void BM_Concurrent_100Symbols_1Thread(benchmark::State& state) {
  AnalyseConcurrently(state, 100, 1);
}
BENCHMARK(BM_Concurrent_100Symbols_1Thread)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace wyckoff::detectors
