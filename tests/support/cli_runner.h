// Running the built `wyckoff` executable from tests: exit code, stdout and stderr.
//
//   Outcome r = RunWyckoff("backtest --data data/daily/ko-1997-1998.csv");
//   EXPECT_EQ(r.exit_code, 0) << r.err;
//
// The test target defines WYCKOFF_CLI (the executable's path) and WYCKOFF_SOURCE_DIR (the
// repository root, the working directory of every run); RunShell needs neither.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace wyckoff::testing {

struct Outcome {
  int exit_code;
  std::string out, err;
};

inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh, empty folder under the temporary directory: TEMP/wyckoff-tests/SUITE/NAME.
inline std::filesystem::path FreshDir(const std::string& suite, const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "wyckoff-tests" / suite / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Runs the shell command line `command`, from the folder `cwd` when given. Each call has its
// own capture files: ctest runs tests in parallel processes.
inline Outcome RunShell(const std::string& command, const std::string& cwd = "") {
  static int calls = 0;
  const auto dir = FreshDir("runs", std::to_string(getpid()) + "-" + std::to_string(++calls));
  const std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + command + " >" +
                          (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  const int status = std::system(cmd.c_str());
  Outcome outcome{WEXITSTATUS(status), Slurp(dir / "stdout"), Slurp(dir / "stderr")};
  std::filesystem::remove_all(dir);
  return outcome;
}

#ifdef WYCKOFF_CLI
// Runs `wyckoff ARGS` (a shell command line) from the repository root, or from the folder
// `cwd`.
inline Outcome RunWyckoff(const std::string& args, const std::string& cwd = WYCKOFF_SOURCE_DIR) {
  return RunShell(std::string(WYCKOFF_CLI) + " " + args, cwd);
}
#endif

}  // namespace wyckoff::testing
