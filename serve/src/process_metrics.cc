#include "process_metrics.h"

#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace wyckoff::serve {
namespace {

prometheus::MetricFamily One(std::string name, std::string help, prometheus::MetricType type,
                             double value) {
  prometheus::MetricFamily family{std::move(name), std::move(help), type, {}};
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessMetrics() {
  std::vector<prometheus::MetricFamily> out;
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The fields after the command name in parentheses (which may hold spaces): state is field 3.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return out;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0, threads = 0, start_ticks = 0, vsize = 0, rss_pages = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
    if (i == 20) threads = std::stod(field);
    if (i == 22) start_ticks = std::stod(field);
    if (i == 23) vsize = std::stod(field);
    if (i == 24) rss_pages = std::stod(field);
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  double boot = 0;
  std::ifstream stat_all("/proc/stat");
  for (std::string line; std::getline(stat_all, line);) {
    if (line.rfind("btime ", 0) == 0) boot = std::stod(line.substr(6));
  }
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++fds;
  }
  using prometheus::MetricType;
  out.push_back(One("process_cpu_seconds_total", "User and system CPU time spent in seconds.",
                    MetricType::Counter, (utime + stime) / ticks));
  out.push_back(
      One("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, fds));
  out.push_back(One("process_resident_memory_bytes", "Resident memory size in bytes.",
                    MetricType::Gauge, rss_pages * page));
  out.push_back(One("process_start_time_seconds",
                    "Start time of the process since unix epoch in seconds.", MetricType::Gauge,
                    boot + start_ticks / ticks));
  out.push_back(
      One("process_threads", "Number of OS threads in the process.", MetricType::Gauge, threads));
  out.push_back(One("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                    MetricType::Gauge, vsize));
  return out;
}

}  // namespace wyckoff::serve
