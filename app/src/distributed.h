// The glue between a search's training runs (engine::TrainingRuns) and a Cluster.
#pragma once

#include <functional>

#include "wyckoff/app/cluster.h"
#include "wyckoff/engine/optimizer.h"

namespace wyckoff::app {

// The work `runs` as the cluster sees it: tasks run on `jobs` threads (0: all), results encoded.
ClusterWork Work(const engine::TrainingRuns& runs, unsigned jobs);

// For rank 0's engine::SearchOptions::run_all: coordinates the runs over every rank, decodes
// the gathered results into task order (progress as they arrive), then ends MPI.
std::function<Result<engine::RunSlots>(const engine::TrainingRuns&)> Distribute(
    Cluster& cluster, const engine::SearchOptions& options);

// The other ranks: runs the batches rank 0 hands out, then ends MPI.
Result<void> ServeRuns(Cluster& cluster, const engine::TrainingRuns& runs, unsigned jobs);

}  // namespace wyckoff::app
