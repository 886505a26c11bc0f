// Parameter search: the combinations of a ParamGrid, backtested in parallel over bars held in
// memory, and ranked by an objective.
//
//   MarketData data = ...;                               // every symbol's bars, loaded once
//   StrategyFactory factory;
//   factory.make = [](const ParamValues& p, const SharedInputs*) { return MakeMine(p); };
//   auto plan = PlanSearch(*grid, {});                   // checks every combination's rules
//   if (!plan) return Report(plan.error());              // all rejected, too big
//   SearchOptions options{.config = config, .objective = {Objective::kSharpe}, .jobs = 2};
//   auto result = RunSearch(data.All(), *grid, *plan, factory, options);
//   if (const ComboResult* best = result->best()) Use(grid->Combination(best->index));
//
// Bars are held once in columns (BarColumns, about half a Bar's size) and shared read-only by
// every run (ColumnBarSource: no copies, no re-parsing), and what a strategy can compute once
// for all combinations goes through StrategyFactory::prepare.
// Determinism: each combination's result goes to its own slot and the ranking happens after
// all have finished, so the ranking, the files and the digest are the same whatever `jobs` is.
// Ties break by grid order (the lower combination index first).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wyckoff/engine/backtest_engine.h"
#include "wyckoff/engine/bar_columns.h"
#include "wyckoff/engine/param_grid.h"

namespace wyckoff::engine {

// A view of every symbol's bars over one stretch of time: what one run replays.
struct DataSlice {
  std::vector<SymbolInfo> symbols;
  std::vector<BarView> bars;  // bars[s] belongs to symbols[s]
  // Bars before this time only warm the strategy up (EngineConfig::trade_from).
  Timestamp trade_from = kBeginningOfTime;

  // One ColumnBarSource per symbol, for BacktestEngine::Run.
  std::vector<std::unique_ptr<BarSource>> Sources() const;
  // True when every symbol has no bars.
  bool empty() const;
};

// Every symbol's bars in memory (validated, strictly increasing times per symbol).
struct MarketData {
  std::vector<SymbolInfo> symbols;
  std::vector<BarColumns> bars;  // bars[s] belongs to symbols[s]

  // The sorted distinct bar times over all symbols: the clock steps of a run over all data.
  std::vector<Timestamp> Clock() const;
  // Every symbol's bars with begin <= time < end.
  DataSlice Slice(Timestamp begin, Timestamp end) const;
  DataSlice All() const;
};

// How the search builds strategies; the application wires the strategy registry into it (the
// engine knows no strategy by name). Which combinations are valid is the grid's schema's to
// say (ParamSchema::Check: fast < slow): no strategy is built to find out.
struct StrategyFactory {
  // Required: the strategy for one combination (values of the grid's schema that passed its
  // rules). `shared` is what `prepare` made for the data the run replays (nullptr without
  // `prepare`). Called concurrently from worker threads: it must not modify shared state.
  std::function<Result<std::unique_ptr<Strategy>>(const ParamValues& params,
                                                  const SharedInputs* shared)>
      make;
  // Optional: computed once per data slice a search trains on (the whole data for optimize,
  // each train window for walk-forward), shared read-only by every combination's strategy:
  // what does not depend on the searched parameters (features over the bars). `grid` tells
  // which parameters are fixed and which are searched. A walk-forward test window runs one
  // combination and calls `make` with nullptr.
  std::function<std::shared_ptr<const SharedInputs>(const DataSlice& data, const ParamGrid& grid)>
      prepare;
};

enum class Objective { kSharpe, kSortino, kNetProfit, kProfitFactor, kAverageR };

// "sharpe", "sortino", "net_profit", "profit_factor" or "avg_r". Error lists the choices.
Result<Objective> ParseObjective(std::string_view name);
std::string_view ObjectiveName(Objective objective);

struct ObjectiveSpec {
  Objective objective = Objective::kSharpe;
  std::int64_t min_trades = 0;  // combinations with fewer closed trades are not eligible
};

// The objective's value (higher is better; net profit as a double), or none when it is
// undefined (no trades, zero variance, not finite) or the run has fewer than min_trades trades.
std::optional<double> Score(const Metrics& metrics, const ObjectiveSpec& spec);

struct SamplingOptions {
  std::uint64_t samples = 0;  // 0: the whole grid
  std::uint64_t seed = 1;
};

// The combinations a search will run, validated.
struct SearchPlan {
  std::vector<std::uint64_t> combinations;  // the valid ones, in grid order
  std::uint64_t drawn = 0;                  // combinations considered (grid or sample)
  std::uint64_t rejected = 0;               // drawn but refused by the strategy
  std::string first_rejection;              // "fast=40 slow=30: parameter fast (40) must ..."
};

// Draws the combinations (all, or a sample) and checks each against the schema's rules before
// anything runs. Errors: a full grid above kMaxGridCombinations; every drawn combination
// rejected (the message counts them and quotes the first rejection).
Result<SearchPlan> PlanSearch(const ParamGrid& grid, const SamplingOptions& sampling);

// One combination's backtest, reduced to what ranking and reports need.
struct ComboResult {
  std::uint64_t index = 0;  // in the grid
  Metrics metrics;
  Decimal final_value;
  std::string digest;           // the run's digest
  std::optional<double> score;  // see Score()
};

class TrainingRuns;
using RunSlots = std::vector<Result<ComboResult>>;

struct SearchOptions {
  EngineConfig config;
  ObjectiveSpec objective;
  unsigned jobs = 0;  // worker threads; 0: DefaultJobs()
  // Called after each finished run with (finished, total), from worker threads, one call at a
  // time. For progress bars.
  std::function<void(std::size_t done, std::size_t total)> progress;
  // Where the training runs run: unset, on this process's `jobs` threads; set, by this
  // function, which returns every task's result in task order (a search spread over the
  // processes of an MPI job: app::Cluster). An error ends the search with it.
  std::function<Result<RunSlots>(const TrainingRuns& runs)> run_all;
};

struct SearchResult {
  std::vector<ComboResult> ranked;  // scored first (best score, then grid order), then unscored
  std::string digest;               // 16 hex digits over every run's digest, in grid order

  // The best combination, or nullptr when none has a score.
  const ComboResult* best() const;
};

// Runs every planned combination over `data` on a thread pool and ranks them. Errors: the
// first failure in grid order (a strategy that `make` refuses after all, a run error).
Result<SearchResult> RunSearch(const DataSlice& data, const ParamGrid& grid, const SearchPlan& plan,
                               const StrategyFactory& factory, const SearchOptions& options);

// The training runs of a search as numbered tasks: task t runs the combination
// plan.combinations[t % n] (n: the plan's size) over slice t / n. optimize has one slice (all
// the data), walk-forward one per window (its train part). A process that builds them from the
// same data, grid, plan and settings numbers them the same way, so that the tasks of one search
// can run in several processes and their results be gathered in task order.
class TrainingRuns {
 public:
  TrainingRuns(std::vector<DataSlice> slices, const ParamGrid& grid, const SearchPlan& plan,
               const StrategyFactory& factory, EngineConfig config);
  ~TrainingRuns();
  TrainingRuns(TrainingRuns&&) noexcept;
  TrainingRuns& operator=(TrainingRuns&&) noexcept;
  std::size_t size() const { return slices_.size() * combinations_; }
  std::size_t slices() const { return slices_.size(); }
  const SearchPlan& plan() const { return *plan_; }
  const ParamGrid& grid() const { return *grid_; }
  // Runs task `t` (from any thread). The factory's `prepare` runs when a task of a slice needs
  // the slice's inputs and they are not held: once per slice within one RunRange, which drops
  // them when the slice's last task in its range finishes (memory: the inputs of the slices
  // being run, not of every slice).
  Result<ComboResult> Run(std::size_t t) const;
  // Runs tasks [begin, end) on `jobs` threads (ParallelFor); results in task order.
  RunSlots RunRange(std::size_t begin, std::size_t end, unsigned jobs,
                    const std::function<void(std::size_t, std::size_t)>& done = {}) const;
  // 16 hex digits over what numbers the tasks (the slices' bars, the combinations, the engine
  // settings): equal fingerprints, equal tasks.
  std::string Fingerprint() const;

 private:
  std::vector<DataSlice> slices_;
  const ParamGrid* grid_;
  const SearchPlan* plan_;
  const StrategyFactory* factory_;
  EngineConfig config_;
  std::size_t combinations_;
  struct Prepared;
  std::unique_ptr<Prepared[]> prepared_;
};

// The training runs of RunSearch: one slice, `data`.
TrainingRuns SearchTraining(const DataSlice& data, const ParamGrid& grid, const SearchPlan& plan,
                            const StrategyFactory& factory, const SearchOptions& options);

// Every task of `runs`: options.run_all when set, else this process's `jobs` threads.
Result<RunSlots> RunAll(const TrainingRuns& runs, const SearchOptions& options);

// The building blocks RunSearch and walk-forward runs share.

// One backtest of `params` over `data` (trading from data.trade_from).
Result<ComboResult> RunCombination(const DataSlice& data, const ParamValues& params,
                                   const SharedInputs* shared, const StrategyFactory& factory,
                                   EngineConfig config);
// Scores `results` and sorts them best first (see SearchResult::ranked).
void Rank(std::vector<ComboResult>& results, const ObjectiveSpec& spec);
// 16 hex digits of FNV-1a over the digests of `results` in grid order.
std::string CombinedDigest(std::vector<const ComboResult*> results);

// The number of hardware threads, at least 1.
unsigned DefaultJobs();
// Runs task(0) ... task(count - 1) on a Boost.Asio thread pool of `jobs` threads (in order on
// the calling thread when jobs <= 1 or count <= 1) and returns when all have finished. Each
// task must write only its own result slot. `done`, when set, is called after each task,
// serialised.
void ParallelFor(std::size_t count, unsigned jobs, const std::function<void(std::size_t)>& task,
                 const std::function<void(std::size_t done, std::size_t total)>& done = {});

}  // namespace wyckoff::engine
