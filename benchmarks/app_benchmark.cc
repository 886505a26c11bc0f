// Whole commands. `wyckoff generate` as a function, making one million one-minute bars with
// planted structures and writing them to a temporary file (the page cache; the disk is not
// what is measured). And the program itself, started as a user starts it (posix_spawn, then
// wait): `wyckoff --help`, and a backtest of a bundled daily file, from exec to exit.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <string>
#include <vector>

#include "wyckoff/app/generate.h"

extern char** environ;

namespace wyckoff::app {
namespace {

namespace fs = std::filesystem;

void BM_Generate_1MBars(benchmark::State& state) {
  const fs::path dir = fs::temp_directory_path() / "wyckoff-bench-app";
  fs::create_directories(dir);
  GenerateRequest request{.options = {.bars = 1'000'000}, .out = (dir / "bars.csv").string()};
  std::int64_t bars = 0;
  for (auto _ : state) {
    auto made = RunGenerate(request);
    if (!made) {
      state.SkipWithError(made.error().message.c_str());
      return;
    }
    bars += static_cast<std::int64_t>(made->bars);
  }
  state.counters["bars_per_second"] =
      benchmark::Counter(static_cast<double>(bars), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(fs::file_size(request.out)) *
                          static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Generate_1MBars)->Unit(benchmark::kMillisecond)->UseRealTime();

// Runs the program with `args`, its output to /dev/null; its exit status.
int RunProgram(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  std::string program = WYCKOFF_CLI;
  argv.push_back(program.data());
  std::vector<std::string> copies = args;
  for (std::string& a : copies) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void Process(benchmark::State& state, const std::vector<std::string>& args) {
  for (auto _ : state) {
    if (RunProgram(args) != 0) {
      state.SkipWithError("the program failed");
      return;
    }
  }
}

void BM_Process_Help(benchmark::State& state) { Process(state, {"--help"}); }
BENCHMARK(BM_Process_Help)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Process_BacktestDaily(benchmark::State& state) {
  Process(state, {"backtest", "--data", WYCKOFF_SOURCE_DIR "/data/daily/ko-1997-1998.csv"});
}
BENCHMARK(BM_Process_BacktestDaily)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace wyckoff::app
