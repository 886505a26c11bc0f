#include "wyckoff/app/cluster.h"

#include <dlfcn.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string_view>
#include <system_error>
#include <vector>

#include "distributed.h"
#include "wyckoff/engine/run_codec.h"

#ifndef WYCKOFF_MPI_MODULE_NAME
#error "WYCKOFF_MPI_MODULE_NAME and WYCKOFF_INSTALLED_LIBDIR must be defined by app/CMakeLists.txt"
#endif

namespace wyckoff::app {
namespace {

namespace fs = std::filesystem;

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

std::vector<fs::path> ModuleCandidates() {
  if (const char* env = Env("WYCKOFF_MPI_MODULE")) return {fs::path(env)};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path bin = exe.parent_path();
  return {bin / WYCKOFF_MPI_MODULE_NAME,
          bin.parent_path() / WYCKOFF_INSTALLED_LIBDIR / "wyckoff" / WYCKOFF_MPI_MODULE_NAME};
}

Result<const ClusterDriver*> LoadDriver() {
  static std::once_flag once;
  static Result<const ClusterDriver*> driver = nullptr;
  std::call_once(once, [] {
    std::string tried;
    std::string reason = "not found: this wyckoff may be built without MPI (WYCKOFF_MPI=OFF)";
    for (const fs::path& path : ModuleCandidates()) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      std::error_code ec;
      if (!fs::exists(path, ec)) continue;
      // RTLD_GLOBAL: Open MPI loads its own plugins, which look for libmpi's symbols globally.
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
      if (handle == nullptr) {
        reason = dlerror();
        break;
      }
      auto entry = reinterpret_cast<ClusterDriverEntry>(dlsym(handle, kClusterDriverSymbol));
      if (entry == nullptr) {
        reason = path.string() + " does not export " + kClusterDriverSymbol;
        break;
      }
      driver = entry();
      return;
    }
    driver = Fail(ErrorCode::kInvalidArgument,
                  "started by an MPI launcher, but MPI support is not available: cannot load " +
                      std::string(WYCKOFF_MPI_MODULE_NAME) + " (" + reason + "; looked at " +
                      tried + ")");
  });
  return driver;
}

int RankFrom(const char* text) {
  int rank = 0;
  if (text != nullptr) std::from_chars(text, text + std::string_view(text).size(), rank);
  return rank;
}

}  // namespace

Launch DetectLaunch() {
  if (const char* off = Env("WYCKOFF_MPI"); off != nullptr && std::string_view(off) == "0") {
    return {};
  }
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    if (const char* rank = Env(name)) return {true, RankFrom(rank)};
  }
  return {};
}

namespace {
bool joined = false;
}  // namespace

Result<std::unique_ptr<Cluster>> JoinCluster() {
  if (!DetectLaunch().mpi) return nullptr;
  auto driver = LoadDriver();
  if (!driver) return tl::unexpected(driver.error());
  auto cluster = (*driver)->Join();
  joined = joined || cluster.has_value();
  return cluster;
}

bool JoinedCluster() { return joined; }

Result<void> AbandonCluster(const Error& why) {
  auto cluster = JoinCluster();
  if (!cluster) return tl::unexpected(cluster.error());
  if (*cluster) (*cluster)->Abandon(why), (*cluster)->Finish();
  return {};
}

std::function<Result<engine::RunSlots>(const engine::TrainingRuns&)> Distribute(
    Cluster& cluster, const engine::SearchOptions& options) {
  return [&cluster, jobs = options.jobs, progress = options.progress](
             const engine::TrainingRuns& runs) -> Result<engine::RunSlots> {
    engine::RunSlots slots(runs.size(), Fail(ErrorCode::kInvalidArgument, "not run"));
    std::size_t taken = 0;
    auto take = [&](std::size_t begin, std::size_t end, std::string_view bytes) -> Result<void> {
      auto decoded = engine::DecodeResults(bytes);
      if (!decoded) return tl::unexpected(decoded.error());
      if (decoded->size() != end - begin || end > slots.size()) {
        return Fail(ErrorCode::kParse, "a batch of run results has the wrong number of runs");
      }
      for (std::size_t i = begin; i < end; ++i) slots[i] = std::move((*decoded)[i - begin]);
      taken += end - begin;
      if (progress) progress(taken, slots.size());
      return {};
    };
    auto ok = cluster.Coordinate(Work(runs, jobs), take);
    cluster.Finish();
    if (!ok) return tl::unexpected(ok.error());
    return slots;
  };
}

ClusterWork Work(const engine::TrainingRuns& runs, unsigned jobs) {
  if (jobs == 0) jobs = engine::DefaultJobs();
  return ClusterWork{.tasks = runs.size(),
                     .fingerprint = runs.Fingerprint(),
                     .threads = jobs,
                     .run = [&runs, jobs](std::size_t begin, std::size_t end) {
                       return engine::EncodeResults(runs.RunRange(begin, end, jobs));
                     }};
}

Result<void> ServeRuns(Cluster& cluster, const engine::TrainingRuns& runs, unsigned jobs) {
  auto ok = cluster.Serve(Work(runs, jobs));
  cluster.Finish();
  return ok;
}

}  // namespace wyckoff::app
