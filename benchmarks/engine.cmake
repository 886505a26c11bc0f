# The engine's benchmarks: backtests, broker, portfolio, metrics, Decimal, CSV loading.
foreach(area engine decimal csv)
  add_executable(wyckoff_${area}_benchmark ${CMAKE_CURRENT_SOURCE_DIR}/${area}_benchmark.cc)
  target_link_libraries(wyckoff_${area}_benchmark PRIVATE wyckoff::engine wyckoff::strategies
                                                          benchmark::benchmark_main)
  target_compile_definitions(wyckoff_${area}_benchmark PRIVATE
                             WYCKOFF_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  wyckoff_apply_warnings(wyckoff_${area}_benchmark)
  list(APPEND WYCKOFF_BENCHMARK_TARGETS wyckoff_${area}_benchmark)
endforeach()

# Smoke runs under ctest (label slow): every benchmark once with a tiny minimum time, except
# the ones whose fixtures alone take seconds (10 million bars, the 100 MB file).
if(WYCKOFF_BUILD_TESTS)
  foreach(area engine decimal csv)
    add_test(NAME benchmark_smoke_${area}
             COMMAND wyckoff_${area}_benchmark --benchmark_min_time=0.01
                     "--benchmark_filter=-(BM_Scaling_Bars/10000000|BM_Csv_Load100MB)")
    set_tests_properties(benchmark_smoke_${area} PROPERTIES LABELS slow)
  endforeach()
endif()
