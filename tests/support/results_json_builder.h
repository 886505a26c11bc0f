// Test support for the comparator and budget tests: Google Benchmark 1.7 JSON output written by
// hand, and a scratch folder per test.
//
//   ResultsJson results;
//   results.Samples("BM_Foo", {100, 101, 99}).Aggregate("BM_Foo", "mean", 100);
//   std::string path = scratch.Write("base.json", results.Text());
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace wyckoff::gate::test_support {

// Rows in the order added, formatted as Google Benchmark 1.7.1 writes them.
class ResultsJson {
 public:
  using Counters = std::map<std::string, double>;

  // One iteration row (one repetition) of `name`.
  ResultsJson& Sample(const std::string& name, double real_time, const std::string& unit = "ns",
                      const Counters& counters = {}) {
    std::string row = Begin(name, "iteration") + Field("repetition_index", repetition_++) +
                      Field("iterations", 1000) + Field("real_time", real_time) +
                      Field("cpu_time", real_time) + Quoted("time_unit", unit);
    for (const auto& [key, value] : counters) row += Field(key, value);
    return End(row);
  }

  // One iteration row per value.
  ResultsJson& Samples(const std::string& name, const std::vector<double>& real_times,
                       const std::string& unit = "ns") {
    for (double t : real_times) Sample(name, t, unit);
    return *this;
  }

  // An aggregate row, "BM_Foo_mean", which readers must ignore.
  ResultsJson& Aggregate(const std::string& name, const std::string& aggregate, double real_time) {
    std::string row = Begin(name + "_" + aggregate, "aggregate", name) +
                      Quoted("aggregate_name", aggregate) + Field("iterations", 3) +
                      Field("real_time", real_time) + Field("cpu_time", real_time) +
                      Quoted("time_unit", "ns");
    return End(row);
  }

  // A row of a benchmark that called SkipWithError(message).
  ResultsJson& Error(const std::string& name, const std::string& message) {
    std::string row = Begin(name, "iteration") + "      \"error_occurred\": true,\n" +
                      Quoted("error_message", message) + Field("iterations", 0) +
                      Field("real_time", 0) + Field("cpu_time", 0) + Quoted("time_unit", "ns");
    return End(row);
  }

  std::string Text() const {
    std::string rows;
    for (std::size_t i = 0; i < rows_.size(); ++i) rows += (i > 0 ? ",\n" : "") + rows_[i];
    return "{\n  \"context\": {\n    \"date\": \"2026-01-01T00:00:00+00:00\",\n"
           "    \"executable\": \"./wyckoff_test_benchmark\",\n    \"num_cpus\": 2,\n"
           "    \"library_build_type\": \"release\"\n  },\n  \"benchmarks\": [\n" +
           rows + "\n  ]\n}\n";
  }

 private:
  static std::string Field(const std::string& key, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return "      \"" + key + "\": " + buffer + ",\n";
  }
  static std::string Quoted(const std::string& key, const std::string& value) {
    return "      \"" + key + "\": \"" + value + "\",\n";
  }
  // `run_name` is the benchmark's name; `name` adds "_mean" and such on aggregate rows.
  static std::string Begin(const std::string& name, const std::string& run_type,
                           const std::string& run_name = "") {
    return "    {\n" + Quoted("name", name) +
           Quoted("run_name", run_name.empty() ? name : run_name) + Quoted("run_type", run_type) +
           Field("repetitions", 3) + Field("threads", 1);
  }
  ResultsJson& End(std::string row) {
    row.erase(row.size() - 2);  // the last ",\n"
    rows_.push_back(row + "\n    }");
    return *this;
  }

  std::vector<std::string> rows_;
  int repetition_ = 0;
};

// A fresh folder per test, removed afterwards.
class ScratchFolder {
 public:
  ScratchFolder() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("wyckoff_" + std::string(test->test_suite_name()) + "_" + test->name() + "_" +
             std::to_string(::getpid()));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;

  // Writes `text` to a file in the folder; returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string file = Path(name);
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The whole file as text ("" when it cannot be read).
inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace wyckoff::gate::test_support
