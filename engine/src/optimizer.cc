#include "wyckoff/engine/optimizer.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

namespace wyckoff::engine {
namespace {

constexpr std::pair<std::string_view, Objective> kObjectives[] = {
    {"sharpe", Objective::kSharpe},
    {"sortino", Objective::kSortino},
    {"net_profit", Objective::kNetProfit},
    {"profit_factor", Objective::kProfitFactor},
    {"avg_r", Objective::kAverageR}};

}  // namespace

std::vector<std::unique_ptr<BarSource>> DataSlice::Sources() const {
  std::vector<std::unique_ptr<BarSource>> sources;
  for (std::size_t s = 0; s < bars.size(); ++s) {
    sources.push_back(std::make_unique<ColumnBarSource>(bars[s], symbols[s].intraday));
  }
  return sources;
}

bool DataSlice::empty() const {
  return std::all_of(bars.begin(), bars.end(), [](const BarView& b) { return b.empty(); });
}

std::vector<Timestamp> MarketData::Clock() const {
  std::vector<Timestamp> clock;
  for (const BarColumns& series : bars) {
    const std::span<const Timestamp> times = series.times();
    clock.insert(clock.end(), times.begin(), times.end());
  }
  std::sort(clock.begin(), clock.end());
  clock.erase(std::unique(clock.begin(), clock.end()), clock.end());
  return clock;
}

DataSlice MarketData::Slice(Timestamp begin, Timestamp end) const {
  DataSlice slice{symbols, {}};
  for (const BarColumns& series : bars) {
    const std::span<const Timestamp> times = series.times();
    const auto first = std::lower_bound(times.begin(), times.end(), begin);
    const auto last = std::lower_bound(first, times.end(), end);
    slice.bars.emplace_back(series, static_cast<std::size_t>(first - times.begin()),
                            static_cast<std::size_t>(last - times.begin()));
  }
  return slice;
}

DataSlice MarketData::All() const {
  DataSlice slice{symbols, {}};
  for (const BarColumns& series : bars) slice.bars.emplace_back(series);
  return slice;
}

Result<Objective> ParseObjective(std::string_view name) {
  for (const auto& [text, objective] : kObjectives) {
    if (text == name) return objective;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "\"" + std::string(name) +
                  "\" is not an objective; expected sharpe, sortino, net_profit, profit_factor "
                  "or avg_r");
}

std::string_view ObjectiveName(Objective objective) {
  for (const auto& [text, o] : kObjectives) {
    if (o == objective) return text;
  }
  return "?";
}

std::optional<double> Score(const Metrics& m, const ObjectiveSpec& spec) {
  if (m.trade_count < spec.min_trades) return std::nullopt;
  std::optional<double> v;
  switch (spec.objective) {
    case Objective::kSharpe:
      v = m.sharpe;
      break;
    case Objective::kSortino:
      v = m.sortino;
      break;
    case Objective::kNetProfit:
      v = m.net_profit.ToDouble();
      break;
    case Objective::kProfitFactor:
      v = m.profit_factor;
      break;
    case Objective::kAverageR:
      v = m.average_r;
      break;
  }
  if (v && !std::isfinite(*v)) return std::nullopt;
  return v;
}

Result<SearchPlan> PlanSearch(const ParamGrid& grid, const SamplingOptions& sampling) {
  const bool sampled = sampling.samples != 0 && sampling.samples < grid.size();
  if (!sampled && grid.size() > kMaxGridCombinations) {
    return Fail(ErrorCode::kInvalidArgument,
                "the grid has " + std::to_string(grid.size()) + " combinations, more than " +
                    std::to_string(kMaxGridCombinations) + "; search a random sample of them");
  }
  SearchPlan plan;
  for (std::uint64_t index : SampleCombinations(grid.size(), sampling.samples, sampling.seed)) {
    ++plan.drawn;
    if (auto ok = grid.schema().Check(grid.Combination(index)); !ok) {
      if (plan.rejected++ == 0)
        plan.first_rejection = grid.Describe(index) + ": " + ok.error().message;
      continue;
    }
    plan.combinations.push_back(index);
  }
  if (plan.combinations.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the strategy rejected every combination (" + std::to_string(plan.rejected) +
                    " of " + std::to_string(plan.drawn) + "; first: " + plan.first_rejection + ")");
  }
  return plan;
}

Result<ComboResult> RunCombination(const DataSlice& data, const ParamValues& params,
                                   const SharedInputs* shared, const StrategyFactory& factory,
                                   EngineConfig config) {
  auto strategy = factory.make(params, shared);
  if (!strategy) return tl::unexpected(strategy.error());
  std::vector<std::unique_ptr<BarSource>> sources = data.Sources();
  config.trade_from = data.trade_from;
  config.record_events = false;  // ranked by metrics; nothing reads the events
  BacktestEngine engine(config, data.symbols, **strategy);
  Result<RunResult> run = engine.Run(sources, nullptr);
  if (!run) return tl::unexpected(run.error());
  ComboResult out;
  out.metrics = run->metrics;
  out.final_value = run->final_value;
  out.digest = std::move(run->digest);
  return out;
}

void Rank(std::vector<ComboResult>& results, const ObjectiveSpec& spec) {
  for (ComboResult& r : results) r.score = Score(r.metrics, spec);
  // Money objectives compare exactly: two net profits a cent apart never tie as doubles might.
  const bool money = spec.objective == Objective::kNetProfit;
  std::sort(results.begin(), results.end(), [money](const ComboResult& a, const ComboResult& b) {
    if (a.score.has_value() != b.score.has_value()) return a.score.has_value();
    if (a.score && money && a.metrics.net_profit != b.metrics.net_profit) {
      return a.metrics.net_profit > b.metrics.net_profit;
    }
    if (a.score && !money && *a.score != *b.score) return *a.score > *b.score;
    return a.index < b.index;
  });
}

std::string CombinedDigest(std::vector<const ComboResult*> results) {
  std::sort(results.begin(), results.end(),
            [](const ComboResult* a, const ComboResult* b) { return a->index < b->index; });
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const ComboResult* r : results) {
    for (unsigned char c : r->digest) hash = (hash ^ c) * 0x100000001b3ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

const ComboResult* SearchResult::best() const {
  return !ranked.empty() && ranked.front().score ? &ranked.front() : nullptr;
}

// A slice's prepared inputs: made when a task of the slice first needs them, and dropped by
// RunRange when the last of its tasks in the range finishes, so that a walk-forward holds the
// inputs of the windows it is running, not of every window (made again if needed later).
struct TrainingRuns::Prepared {
  std::mutex mutex;
  std::shared_ptr<const SharedInputs> shared;
};

TrainingRuns::TrainingRuns(std::vector<DataSlice> slices, const ParamGrid& grid,
                           const SearchPlan& plan, const StrategyFactory& factory,
                           EngineConfig config)
    : slices_(std::move(slices)),
      grid_(&grid),
      plan_(&plan),
      factory_(&factory),
      config_(std::move(config)),
      combinations_(plan.combinations.size()),
      prepared_(std::make_unique<Prepared[]>(slices_.size())) {}

TrainingRuns::~TrainingRuns() = default;
TrainingRuns::TrainingRuns(TrainingRuns&&) noexcept = default;
TrainingRuns& TrainingRuns::operator=(TrainingRuns&&) noexcept = default;

Result<ComboResult> TrainingRuns::Run(std::size_t t) const {
  const std::size_t s = t / combinations_;
  const std::uint64_t index = plan_->combinations[t % combinations_];
  std::shared_ptr<const SharedInputs> shared;  // held for the run
  if (factory_->prepare) {
    Prepared& p = prepared_[s];
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!p.shared) p.shared = factory_->prepare(slices_[s], *grid_);
    shared = p.shared;
  }
  auto out =
      RunCombination(slices_[s], grid_->Combination(index), shared.get(), *factory_, config_);
  if (out) out->index = index;
  return out;
}

RunSlots TrainingRuns::RunRange(std::size_t begin, std::size_t end, unsigned jobs,
                                const std::function<void(std::size_t, std::size_t)>& done) const {
  RunSlots slots(end - begin, Fail(ErrorCode::kInvalidArgument, "not run"));
  // Tasks of each slice left in the range; the last one drops the slice's inputs.
  auto left = std::make_unique<std::atomic<std::size_t>[]>(slices_.size());
  for (std::size_t t = begin; t < end; ++t) left[t / combinations_].fetch_add(1);
  ParallelFor(
      end - begin, jobs,
      [&](std::size_t i) {
        const std::size_t t = begin + i, s = t / combinations_;
        slots[i] = Run(t);
        if (left[s].fetch_sub(1) == 1) {
          std::lock_guard<std::mutex> lock(prepared_[s].mutex);
          prepared_[s].shared.reset();
        }
      },
      done);
  return slots;
}

std::string TrainingRuns::Fingerprint() const {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  auto add = [&hash](std::uint64_t word) { hash = (hash ^ word) * 0x100000001b3ULL; };
  auto add_decimal = [&add](Decimal d) {
    add(static_cast<std::uint64_t>(d.raw())), add(static_cast<std::uint64_t>(d.raw() >> 64));
  };
  add(slices_.size()), add(combinations_), add(grid_->size());
  for (std::uint64_t c : plan_->combinations) add(c);
  add_decimal(config_.initial_cash);
  for (const DataSlice& slice : slices_) {
    add(static_cast<std::uint64_t>(slice.trade_from));
    for (const auto& bars : slice.bars) {
      add(bars.size());
      if (bars.empty()) continue;
      add(static_cast<std::uint64_t>(bars.front().time)), add_decimal(bars.front().close);
      add(static_cast<std::uint64_t>(bars.back().time)), add_decimal(bars.back().close);
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

TrainingRuns SearchTraining(const DataSlice& data, const ParamGrid& grid, const SearchPlan& plan,
                            const StrategyFactory& factory, const SearchOptions& options) {
  return TrainingRuns({data}, grid, plan, factory, options.config);
}

Result<RunSlots> RunAll(const TrainingRuns& runs, const SearchOptions& options) {
  if (options.run_all) return options.run_all(runs);
  return runs.RunRange(0, runs.size(), options.jobs, options.progress);
}

Result<SearchResult> RunSearch(const DataSlice& data, const ParamGrid& grid, const SearchPlan& plan,
                               const StrategyFactory& factory, const SearchOptions& options) {
  const TrainingRuns runs = SearchTraining(data, grid, plan, factory, options);
  auto slots = RunAll(runs, options);
  if (!slots) return tl::unexpected(slots.error());
  const std::size_t n = plan.combinations.size();
  SearchResult result;
  result.ranked.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Result<ComboResult>& slot = (*slots)[i];
    if (!slot) {
      return Fail(slot.error().code,
                  grid.Describe(plan.combinations[i]) + ": " + slot.error().message);
    }
    result.ranked.push_back(std::move(*slot));
  }
  std::vector<const ComboResult*> all;
  for (const ComboResult& r : result.ranked) all.push_back(&r);
  result.digest = CombinedDigest(std::move(all));
  Rank(result.ranked, options.objective);
  return result;
}

unsigned DefaultJobs() { return std::max(1u, std::thread::hardware_concurrency()); }

void ParallelFor(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& task,
                 const std::function<void(std::size_t, std::size_t)>& done) {
  if (jobs == 0) jobs = DefaultJobs();
  std::mutex mutex;
  std::size_t finished = 0;
  auto run = [&](std::size_t i) {
    task(i);
    if (!done) return;
    std::lock_guard<std::mutex> lock(mutex);
    done(++finished, count);
  };
  if (jobs <= 1 || count <= 1) {
    for (std::size_t i = 0; i < count; ++i) run(i);
    return;
  }
  boost::asio::thread_pool pool(std::min<std::size_t>(jobs, count));
  for (std::size_t i = 0; i < count; ++i) boost::asio::post(pool, [&run, i] { run(i); });
  pool.join();
}

}  // namespace wyckoff::engine
