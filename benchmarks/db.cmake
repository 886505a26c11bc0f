# The PostgreSQL benchmarks: the store's query shapes on a loaded database and COPY
# throughput. They skip, saying why, unless WYCKOFF_BENCH_DB or WYCKOFF_TEST_DB names a server.
add_executable(wyckoff_db_benchmark ${CMAKE_CURRENT_SOURCE_DIR}/db_benchmark.cc)
target_link_libraries(wyckoff_db_benchmark PRIVATE wyckoff::db benchmark::benchmark_main)
wyckoff_apply_warnings(wyckoff_db_benchmark)
list(APPEND WYCKOFF_BENCHMARK_TARGETS wyckoff_db_benchmark)

# Smoke run under ctest: with a server (scripts/test.sh starts one) every query and COPY runs
# once on a freshly seeded database; without one every benchmark skips.
if(WYCKOFF_BUILD_TESTS)
  add_test(NAME benchmark_smoke_db COMMAND wyckoff_db_benchmark --benchmark_min_time=0.01)
  set_tests_properties(benchmark_smoke_db PROPERTIES LABELS "slow;integration-db")
endif()
