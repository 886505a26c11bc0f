// ScopedProfiler: a gperftools CPU profile around the part of a command that does the work.
//
//   ScopedProfiler profiler(options.profile);   // empty path: no profiling
//   RunTheWork();
//   profiler.Stop();                             // or at scope exit
//
// Turn the profile into a flame graph with scripts/flamegraph.sh.
#pragma once

#include <gperftools/profiler.h>

#include <iostream>
#include <string>

namespace wyckoff::cli {

class ScopedProfiler {
 public:
  explicit ScopedProfiler(const std::string& path) {
    if (path.empty()) return;
    running_ = ProfilerStart(path.c_str()) != 0;
    if (!running_) std::cerr << "warning: cannot start the CPU profiler writing " << path << "\n";
  }
  ~ScopedProfiler() { Stop(); }
  ScopedProfiler(const ScopedProfiler&) = delete;
  ScopedProfiler& operator=(const ScopedProfiler&) = delete;

  void Stop() {
    if (!running_) return;
    ProfilerStop();
    running_ = false;
  }

 private:
  bool running_ = false;
};

}  // namespace wyckoff::cli
