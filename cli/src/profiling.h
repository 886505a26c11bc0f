// ScopedProfiler: a gperftools CPU profile around the part of a command that does the work.
//
//   ScopedProfiler profiler;
//   request.hooks = profiler.Hooks(options.profile);   // empty path: no profiling
//   app::RunBacktest(request);                         // profiles the engine's run only
//
// Turn the profile into a flame graph with scripts/flamegraph.sh. A run too short to sample
// says so (ShortRunWarning): gperftools samples 100 times a CPU second unless
// CPUPROFILE_FREQUENCY says otherwise, so a run over a small file may hold no sample at all.
//
// The program does not link libprofiler: it is loaded (dlopen) when a profile is asked for, so
// that no other command pays for loading it.
#pragma once

#include <dlfcn.h>
#include <fcntl.h>
#include <gperftools/profiler.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "commands.h"
#include "wyckoff/app/backtest.h"
#include "wyckoff/core/error.h"

namespace wyckoff::cli {

// gperftools' profiler, loaded on first use.
struct ProfilerLibrary {
  int (*start)(const char* path) = nullptr;
  void (*stop)() = nullptr;
  void (*state)(ProfilerState* state) = nullptr;

  // The library, or the loader's reason why not.
  static const Result<ProfilerLibrary>& Get() {
    static const Result<ProfilerLibrary> library = Load();
    return library;
  }

 private:
  static Result<ProfilerLibrary> Load() {
    void* handle = dlopen("libprofiler.so.0", RTLD_NOW | RTLD_LOCAL);
    const auto fail = [](const char* what) {
      return Fail(ErrorCode::kIo,
                  std::string("a CPU profile needs gperftools' libprofiler (Debian package "
                              "libgoogle-perftools4): ") +
                      what);
    };
    if (handle == nullptr) return fail(dlerror());
    ProfilerLibrary p;
    p.start = reinterpret_cast<int (*)(const char*)>(dlsym(handle, "ProfilerStart"));
    p.stop = reinterpret_cast<void (*)()>(dlsym(handle, "ProfilerStop"));
    p.state = reinterpret_cast<void (*)(ProfilerState*)>(dlsym(handle, "ProfilerGetCurrentState"));
    if (p.start == nullptr || p.stop == nullptr || p.state == nullptr) {
      return fail("libprofiler.so.0 lacks ProfilerStart, ProfilerStop or ProfilerGetCurrentState");
    }
    return p;
  }
};

// Checks before a run that the profile can be written to `path` (empty: no profile): the
// profiler itself aborts the process when its file fails. Error names the path and the OS's
// reason ("/dev/full: cannot write the profile: No space left on device").
inline Result<void> CheckProfilePath(const std::string& path) {
  if (path.empty()) return {};
  if (const auto& library = ProfilerLibrary::Get(); !library) {
    return tl::unexpected(library.error());
  }
  auto fail = [&](int error) {
    return Fail(ErrorCode::kIo,
                EscapeControl(path) + ": cannot write the profile: " + std::strerror(error));
  };
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(errno);
  bool wrote = write(fd, "", 1) == 1;
  int error = errno;
  if (close(fd) != 0 && wrote) wrote = false, error = errno;
  if (!wrote) return fail(error);
  // A regular file is left empty for the profiler; a device cannot be truncated and needs not.
  if (truncate(path.c_str(), 0) != 0) return {};
  return {};
}

// The CPU time of the whole process so far, in seconds (every thread).
inline double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// gperftools' sampling rate: CPUPROFILE_FREQUENCY, default 100 a CPU second.
inline double ProfilerFrequency() {
  const char* env = std::getenv("CPUPROFILE_FREQUENCY");
  const double f = env != nullptr ? std::atof(env) : 0.0;
  return f > 0 ? f : 100.0;
}

// The samples a profile should hold to be worth reading (shares to about +-5%).
inline constexpr int kProfileSamplesWanted = 300;

class ScopedProfiler {
 public:
  ScopedProfiler() = default;
  explicit ScopedProfiler(const std::string& path) { Start(path); }
  ~ScopedProfiler() { Stop(); }
  ScopedProfiler(const ScopedProfiler&) = delete;
  ScopedProfiler& operator=(const ScopedProfiler&) = delete;

  // Starts a profile written to `path` (empty: nothing).
  void Start(const std::string& path) {
    if (path.empty() || running_) return;
    const auto& library = ProfilerLibrary::Get();
    running_ = library && library->start(path.c_str()) != 0;
    if (!running_) std::cerr << "warning: cannot start the CPU profiler writing " << path << "\n";
    if (running_) {
      cpu_at_start_ = ProcessCpuSeconds();
      wall_at_start_ = std::chrono::steady_clock::now();
    }
  }
  void Stop() {
    if (!running_) return;
    const ProfilerLibrary& library = *ProfilerLibrary::Get();  // running_: it loaded
    ProfilerState state{};
    library.state(&state);
    samples_ = state.samples_gathered;
    cpu_seconds_ = ProcessCpuSeconds() - cpu_at_start_;
    wall_seconds_ =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_at_start_).count();
    library.stop();
    running_ = false;
    stopped_ = true;
  }
  // Hooks that profile an application's run (only its engine work) into `path`. With
  // `stop_after` false the profile goes on after the run (for repeated runs: Stop() after the
  // last one).
  app::RunHooks Hooks(const std::string& path, bool stop_after = true) {
    if (path.empty()) return {};
    if (!stop_after) return {[this, path] { Start(path); }, [] {}};
    return {[this, path] { Start(path); }, [this] { Stop(); }};
  }

  // After Stop: when the profile holds fewer than kProfileSamplesWanted samples, a warning
  // that says so and how to get enough: for a command that can repeat its run (`repeat`, the
  // runs made so far), `--repeat N`; otherwise a longer run. Nothing otherwise.
  std::optional<std::string> ShortRunWarning(std::optional<long long> repeat) const {
    if (!stopped_ || samples_ >= kProfileSamplesWanted) return std::nullopt;
    const double frequency = ProfilerFrequency();
    char cpu[64];
    if (cpu_seconds_ < 0.001) {
      std::snprintf(cpu, sizeof cpu, "under a millisecond");
    } else {
      std::snprintf(cpu, sizeof cpu, "%.3f s", cpu_seconds_);
    }
    char text[320];
    std::snprintf(text, sizeof text,
                  "warning: the profile holds %d sample%s: the run took %s of CPU, too short to "
                  "profile at %.0f samples a second; ",
                  samples_, samples_ == 1 ? "" : "s", cpu, frequency);
    std::string warning = text;
    if (!repeat) return warning + "profile a longer run (more bars, a bigger grid)";
    // The runs are single-threaded: wall time is their CPU time, measured finer.
    const double wanted = kProfileSamplesWanted / frequency;  // CPU seconds
    const double per_run =
        std::max(std::max(cpu_seconds_, wall_seconds_) / static_cast<double>(*repeat), 1e-6);
    const long long n = std::min(kMaxRepeat, static_cast<long long>(std::ceil(wanted / per_run)));
    std::snprintf(text, sizeof text, "repeat it with --repeat %lld (about %.0f s)", n,
                  std::max(1.0, std::round(per_run * static_cast<double>(n))));
    return warning + text;
  }

 private:
  bool running_ = false;
  bool stopped_ = false;
  double cpu_at_start_ = 0;
  double cpu_seconds_ = 0;
  std::chrono::steady_clock::time_point wall_at_start_;
  double wall_seconds_ = 0;
  int samples_ = 0;
};

}  // namespace wyckoff::cli
