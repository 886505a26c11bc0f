// Cluster: the processes (ranks) of one MPI job started by `mpirun -np N wyckoff ...` or
// `srun`, sharing one search (optimize, walk-forward).
//
// Every rank parses the same command line and reads the data itself; rank 0 hands out batches
// of the numbered training runs (engine::TrainingRuns) as ranks ask for them, runs batches on
// its own threads too, gathers the results and alone writes files and the database. The other
// ranks only run batches.
//
// The program does not link MPI: the implementation is the module libwyckoff-mpi.so
// (app/mpi/, Boost.MPI over Open MPI), loaded by JoinCluster only when the process was started
// by an MPI launcher (DetectLaunch). `wyckoff --help`, and every command run without a
// launcher, never load libmpi.
//
//   auto cluster = JoinCluster();            // nullptr: not started by an MPI launcher
//   if ((*cluster)->rank() == 0) options.run_all = Distribute(**cluster, options);
//   else Serve(**cluster, runs, options.jobs);
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wyckoff/core/error.h"

namespace wyckoff::app {

// How the launcher started this process, from its environment alone (no MPI call):
// OMPI_COMM_WORLD_RANK/SIZE (Open MPI's mpirun), PMI_RANK/PMI_SIZE (MPICH, srun --mpi=pmi2),
// PMIX_RANK (srun --mpi=pmix, Open MPI 5). WYCKOFF_MPI=0 in the environment: not launched.
struct Launch {
  bool mpi = false;  // started by an MPI launcher
  int rank = 0;
};
Launch DetectLaunch();

// A share of the work as the cluster sees it: numbered tasks and how to run a range of them.
struct ClusterWork {
  std::size_t tasks = 0;
  std::string fingerprint;  // equal on ranks that planned the same tasks over the same data
  unsigned threads = 1;     // this rank's threads: batches are at least this big
  // Runs tasks [begin, end) on this process's threads; their results, encoded
  // (engine::EncodeResults). Called from one thread at a time.
  std::function<std::string(std::size_t begin, std::size_t end)> run;
};

// Takes the encoded results of tasks [begin, end), on rank 0's calling thread.
using TakeResults =
    std::function<Result<void>(std::size_t begin, std::size_t end, std::string_view bytes)>;

class Cluster {
 public:
  virtual ~Cluster() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Rank 0: hands out batches of `work` to every rank as it asks (itself included, on a thread
  // of its own), the batches shrinking as the work runs out, and gives each batch's results to
  // `take`. Returns when every task's results were taken and every other rank was told to
  // stop, or with the first error: a rank that planned other tasks, or could not start
  // (Abandon: "rank 2: ..."), results that `take` refused. While it runs, a rank that dies ends
  // the job (the launcher stops this process; it says so on stderr and exits).
  virtual Result<void> Coordinate(const ClusterWork& work, const TakeResults& take) = 0;
  // Other ranks: tells rank 0 what this rank planned, runs the batches it hands out until it
  // says stop.
  virtual Result<void> Serve(const ClusterWork& work) = 0;
  // A rank that cannot take part (its data did not load): rank 0 stops the others; another
  // rank tells rank 0 why.
  virtual void Abandon(const Error& why) = 0;
  // Ends MPI (MPI_Finalize): the other ranks may exit. Called after Coordinate or Serve.
  virtual void Finish() = 0;
};

// What the module exports: `extern "C" const ClusterDriver* wyckoff_cluster_driver()`.
class ClusterDriver {
 public:
  virtual ~ClusterDriver() = default;
  // Initialises MPI (once per process).
  virtual Result<std::unique_ptr<Cluster>> Join() const = 0;
};

inline constexpr const char* kClusterDriverSymbol = "wyckoff_cluster_driver";
using ClusterDriverEntry = const ClusterDriver* (*)();

// The cluster this process belongs to: nullptr when it was not started by an MPI launcher
// (DetectLaunch); else the module loaded and MPI initialised. Errors (kInvalidArgument):
// started by a launcher, but the module cannot be loaded (a program built without MPI
// support, WYCKOFF_MPI=OFF, or Open MPI's libraries missing). The module is looked for at
// $WYCKOFF_MPI_MODULE when set, else beside the program, else in PREFIX/LIBDIR/wyckoff/.
Result<std::unique_ptr<Cluster>> JoinCluster();
// For an error met before the search started (its options): when started by an MPI launcher,
// joins the job and abandons it (Cluster::Abandon), so that no rank waits for this one. Errors:
// JoinCluster's.
Result<void> AbandonCluster(const Error& why);

// True once JoinCluster joined this process to an MPI job: from then on, its errors reach rank 0
// (Cluster::Abandon), which says them.
bool JoinedCluster();

}  // namespace wyckoff::app
