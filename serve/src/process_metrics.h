// The process's own figures in the names of Prometheus' process collector: resident memory,
// threads, open file descriptors, CPU time, start time; read from /proc/self at each scrape.
// prometheus-cpp has no process collector; `wyckoff load --sustained` and the dashboard watch
// these for growth.
#pragma once

#include <prometheus/metric_family.h>

#include <vector>

namespace wyckoff::serve {

// process_resident_memory_bytes, process_virtual_memory_bytes, process_threads,
// process_open_fds, process_cpu_seconds_total, process_start_time_seconds.
std::vector<prometheus::MetricFamily> ProcessMetrics();

}  // namespace wyckoff::serve
