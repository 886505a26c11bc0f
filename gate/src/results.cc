#include "results.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

namespace wyckoff::gate::internal {
namespace {

using nlohmann::json;

// Google Benchmark's own numeric fields; every other numeric field of a row is a user counter.
constexpr std::array<std::string_view, 8> kStandardNumericFields = {
    "family_index", "per_family_instance_index",
    "repetitions",  "repetition_index",
    "threads",      "iterations",
    "real_time",    "cpu_time"};

bool IsStandardField(std::string_view key) {
  return std::find(kStandardNumericFields.begin(), kStandardNumericFields.end(), key) !=
         kStandardNumericFields.end();
}

// Google Benchmark writes a value that is not a finite number as a bare NaN, -NaN, Infinity
// or -Infinity (the coefficient of variation of a counter that is 0 in every repetition is
// 0/0), which JSON has no room for. Outside strings those words become null: no sample of that
// counter, where the whole file used to be refused.
std::string NonFiniteAsNull(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    in_string = c == '"';
    const std::size_t word = i + (c == '-' ? 1 : 0);
    bool replaced = false;
    for (const std::string_view literal : {std::string_view("NaN"), std::string_view("Infinity")}) {
      if (text.substr(word, literal.size()) == literal) {
        out += "null";
        i = word + literal.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

// The JSON of file `path`; an empty file is "PATH: empty file, expected EXPECTED".
Result<json> ParseJson(const std::string& path, const std::string& text,
                       std::string_view expected) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(ErrorCode::kParse, path + ": empty file, expected " + std::string(expected));
  }
  try {
    if (text.find("NaN") != std::string::npos || text.find("Infinity") != std::string::npos) {
      return json::parse(NonFiniteAsNull(text));
    }
    return json::parse(text);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for 1e400
    return Fail(ErrorCode::kParse,
                path + ": not valid JSON (" + JsonParseErrorDetail(e.what()) + ")");
  }
}

std::string StringOf(const json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The row's own name, "BM_Foo/8" or "BM_Foo/8_median".
std::string RowName(const json& row) { return StringOf(row, "name"); }

// The benchmark a row measures: "run_name" names it without the "_median" suffix of an
// aggregate (and equals "name" on iteration rows); files without it have only "name".
std::string BenchmarkName(const json& row) {
  std::string run_name = StringOf(row, "run_name");
  return run_name.empty() ? RowName(row) : run_name;
}

// Where a row came from, for error messages: `results.json: benchmarks[4] ("BM_Foo")`.
std::string RowLocation(const std::string& path, std::size_t index, const json& row) {
  return path + ": benchmarks[" + std::to_string(index) + "] (\"" + RowName(row) + "\")";
}

bool IsAggregate(const json& row) {
  auto type = row.find("run_type");
  if (type != row.end() && type->is_string()) return type->get<std::string>() == "aggregate";
  return row.contains("aggregate_name");  // files written before run_type existed
}

bool IsMedianAggregate(const json& row) {
  auto name = row.find("aggregate_name");
  return name != row.end() && name->is_string() && name->get<std::string>() == "median";
}

Result<void> AddSample(const std::string& where, const json& row, SuiteResults& into) {
  const std::string name = BenchmarkName(row);
  if (name.empty()) return Fail(ErrorCode::kParse, where + ": no \"name\"");
  auto [it, inserted] = into.by_name.try_emplace(name);
  if (inserted) into.names.push_back(name);
  BenchmarkSamples& samples = it->second;

  if (auto error = row.find("error_occurred");
      error != row.end() && error->is_boolean() && error->get<bool>()) {
    if (samples.error_count++ == 0) samples.error_message = StringOf(row, "error_message");
    return {};
  }
  std::string unit = StringOf(row, "time_unit");
  if (unit.empty()) unit = "ns";
  const double scale = unit == "min" ? 0.0 : NanosPerUnit(unit);
  if (scale == 0.0) {
    return Fail(ErrorCode::kParse,
                where + ": time_unit \"" + unit + "\" is not one of ns, us, ms, s");
  }
  auto real = row.find("real_time");
  auto cpu = row.find("cpu_time");
  if (real == row.end() || !real->is_number()) {
    return Fail(ErrorCode::kParse, where + ": no numeric \"real_time\"");
  }
  samples.real_time_ns.push_back(real->get<double>() * scale);
  ++samples.repetitions;
  if (cpu != row.end() && cpu->is_number()) {
    samples.cpu_time_ns.push_back(cpu->get<double>() * scale);
  }
  for (const auto& [key, value] : row.items()) {
    if (value.is_number() && !IsStandardField(key)) {
      samples.counters[key].push_back(value.get<double>());
    }
  }
  return {};
}

}  // namespace

Result<void> ReadResultsFile(const std::string& path, RowPolicy policy, SuiteResults& into) {
  Result<std::string> text = ReadTextFile(path);
  if (!text) return tl::unexpected(text.error());
  Result<json> doc =
      ParseJson(path, *text, "Google Benchmark JSON output (--benchmark_format=json)");
  if (!doc) return tl::unexpected(doc.error());

  auto rows = doc->is_object() ? doc->find("benchmarks") : doc->end();
  if (!doc->is_object() || rows == doc->end() || !rows->is_array()) {
    return Fail(ErrorCode::kParse, path +
                                       ": no \"benchmarks\" array, expected Google Benchmark "
                                       "JSON output (--benchmark_format=json)");
  }
  if (rows->empty()) return Fail(ErrorCode::kParse, path + ": the \"benchmarks\" array is empty");

  const bool has_iterations = std::any_of(rows->begin(), rows->end(), [](const json& row) {
    return row.is_object() && !IsAggregate(row);
  });
  if (!has_iterations && policy == RowPolicy::kIterationsOnly) {
    return Fail(ErrorCode::kInvalidArgument,
                path +
                    ": only aggregate rows; run without "
                    "--benchmark_report_aggregates_only to keep per-repetition samples");
  }
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const json& row = (*rows)[i];
    if (!row.is_object()) {
      return Fail(ErrorCode::kParse,
                  path + ": benchmarks[" + std::to_string(i) + "] is not an object");
    }
    const bool use = has_iterations ? !IsAggregate(row) : IsMedianAggregate(row);
    if (!use) continue;
    if (Result<void> added = AddSample(RowLocation(path, i, row), row, into); !added) {
      return added;
    }
  }
  return {};
}

Result<SuiteResults> ReadResultsFiles(const std::vector<std::string>& paths, RowPolicy policy) {
  SuiteResults results;
  for (const std::string& path : paths) {
    if (Result<void> read = ReadResultsFile(path, policy, results); !read) {
      return tl::unexpected(read.error());
    }
  }
  return results;
}

namespace {

// Appends the median of each of `file`'s sample lists (one process) to `into`'s lists.
void AppendMedians(const BenchmarkSamples& file, BenchmarkSamples& into) {
  into.repetitions += file.repetitions;
  if (file.error_count > 0 && into.error_count == 0) into.error_message = file.error_message;
  into.error_count += file.error_count;
  if (!file.real_time_ns.empty()) into.real_time_ns.push_back(Median(file.real_time_ns));
  if (!file.cpu_time_ns.empty()) into.cpu_time_ns.push_back(Median(file.cpu_time_ns));
  for (const auto& [counter, values] : file.counters) {
    into.counters[counter].push_back(Median(values));
  }
}

}  // namespace

Result<SuiteResults> ReadProcessMedians(const std::vector<std::string>& paths, RowPolicy policy) {
  SuiteResults results;
  for (const std::string& path : paths) {
    SuiteResults file;
    if (Result<void> read = ReadResultsFile(path, policy, file); !read) {
      return tl::unexpected(read.error());
    }
    for (const std::string& name : file.names) {
      auto [it, inserted] = results.by_name.try_emplace(name);
      if (inserted) results.names.push_back(name);
      AppendMedians(file.by_name.at(name), it->second);
    }
  }
  return results;
}

Result<CountsFile> ReadCountsFile(const std::string& path) {
  Result<std::string> text = ReadTextFile(path);
  if (!text) return tl::unexpected(text.error());
  Result<json> parsed = ParseJson(path, *text, "the counts of scripts/bench-count.sh");
  if (!parsed) return tl::unexpected(parsed.error());
  const json& document = *parsed;
  auto version = document.is_object() ? document.find("wyckoff_counts") : document.end();
  if (!document.is_object() || version == document.end() || *version != 1) {
    return Fail(ErrorCode::kParse, path +
                                       ": not a counts file of scripts/bench-count.sh "
                                       "(expected \"wyckoff_counts\": 1)");
  }
  auto rows = document.find("benchmarks");
  if (rows == document.end() || !rows->is_array()) {
    return Fail(ErrorCode::kParse, path + ": no \"benchmarks\" array");
  }
  CountsFile counts;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const json& row = (*rows)[i];
    const std::string where = RowLocation(path, i, row);
    const std::string name = RowName(row);
    if (name.empty()) return Fail(ErrorCode::kParse, where + ": no \"name\"");
    CountedCost cost;
    for (auto [key, field] : {std::pair{"instructions", &cost.instructions},
                              std::pair{"estimated_cycles", &cost.estimated_cycles}}) {
      auto value = row.find(key);
      if (value == row.end() || !value->is_number() || !(value->get<double>() > 0)) {
        return Fail(ErrorCode::kParse, where + ": \"" + key + "\" must be a number above 0");
      }
      *field = value->get<double>();
    }
    if (!counts.by_name.try_emplace(name, cost).second) {
      return Fail(ErrorCode::kParse, where + ": \"" + name + "\" appears twice");
    }
    counts.names.push_back(name);
  }
  return counts;
}

double Median(std::vector<double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kNotFound, path + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail(ErrorCode::kIo, path + ": read failed");
  return text.str();
}

Result<void> WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file << text;
  if (file) file.close();
  if (!file) return Fail(ErrorCode::kIo, path + ": cannot write (" + std::strerror(errno) + ")");
  return {};
}

std::string JsonParseErrorDetail(const std::string& what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    if (std::size_t end = what.find("] "); end != std::string::npos) return what.substr(end + 2);
  }
  return what;
}

bool IsRateCounter(std::string_view name) {
  constexpr std::string_view kSuffix = "per_second";
  return name.size() >= kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix;
}

double NanosPerUnit(std::string_view unit) {
  if (unit == "ns") return 1.0;
  if (unit == "us") return 1e3;
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "min") return 60e9;
  return 0.0;
}

}  // namespace wyckoff::gate::internal
