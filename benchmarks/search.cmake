# The parameter search's benchmarks: 1000 combinations over one year of 1-minute bars, and a
# four-window walk-forward run (docs/walk-forward.md has the figures).
add_executable(wyckoff_search_benchmark ${CMAKE_CURRENT_SOURCE_DIR}/search_benchmark.cc)
target_link_libraries(wyckoff_search_benchmark PRIVATE wyckoff::engine wyckoff::strategies
                                                       benchmark::benchmark_main)
target_compile_definitions(wyckoff_search_benchmark PRIVATE
                           WYCKOFF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
wyckoff_apply_warnings(wyckoff_search_benchmark)
list(APPEND WYCKOFF_BENCHMARK_TARGETS wyckoff_search_benchmark)

# Smoke run under ctest (label slow): each benchmark once (BM_Optimize_1000Combos alone is a
# few seconds).
if(WYCKOFF_BUILD_TESTS)
  add_test(NAME benchmark_smoke_search
           COMMAND wyckoff_search_benchmark --benchmark_min_time=0.01)
  set_tests_properties(benchmark_smoke_search PROPERTIES LABELS slow)
endif()
