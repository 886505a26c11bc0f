# The detectors' benchmarks: features, Spring/SOS/UTAD alone, the full PatternEngine, the NFR1
# per-bar latency, feature rows per second, and 100 symbols on a Boost.Asio thread pool.
add_executable(wyckoff_detectors_benchmark ${CMAKE_CURRENT_SOURCE_DIR}/detectors_benchmark.cc)
target_link_libraries(wyckoff_detectors_benchmark PRIVATE wyckoff::detectors Threads::Threads
                                                          benchmark::benchmark_main)
target_compile_definitions(wyckoff_detectors_benchmark PRIVATE
                           WYCKOFF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
wyckoff_apply_warnings(wyckoff_detectors_benchmark)
list(APPEND WYCKOFF_BENCHMARK_TARGETS wyckoff_detectors_benchmark)

# Smoke run under ctest (label slow): every benchmark once with a tiny minimum time, but not
# the 1000-symbol point of the scaling curve.
if(WYCKOFF_BUILD_TESTS)
  add_test(NAME benchmark_smoke_detectors
           COMMAND wyckoff_detectors_benchmark --benchmark_min_time=0.01
                   "--benchmark_filter=-BM_Concurrent_Symbols/1000")
  set_tests_properties(benchmark_smoke_detectors PROPERTIES LABELS slow)
endif()
