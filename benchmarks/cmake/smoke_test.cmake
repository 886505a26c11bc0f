# The ctest smoke run of one benchmark executable (benchmark_smoke_AREA): every benchmark once
# with a tiny minimum time. It fails when the executable fails and when any benchmark reports
# an error (SkipWithError: "error_occurred" in the JSON output, ERROR OCCURRED on the console),
# naming each one; Google Benchmark itself exits 0 in that case.
#
#   cmake -DEXE=build/.../wyckoff_db_benchmark -DOUT=smoke_db.json [-DFILTER=REGEX]
#         [-DNEEDS_DATABASE=ON] -P benchmarks/cmake/smoke_test.cmake
#
# NEEDS_DATABASE: the benchmarks run against the server in WYCKOFF_BENCH_DB or WYCKOFF_TEST_DB
# (scripts/test.sh starts one). With neither set the run is skipped, printing "SMOKE SKIPPED"
# (the test's SKIP_REGULAR_EXPRESSION), unless CI is set: then it fails, so that CI never
# passes by skipping. With one set, a server that cannot be reached fails the test.
cmake_minimum_required(VERSION 3.25)

if(NOT EXE OR NOT OUT)
  message(FATAL_ERROR "benchmark smoke: give -DEXE=executable and -DOUT=results.json")
endif()

if(NEEDS_DATABASE AND "$ENV{WYCKOFF_BENCH_DB}" STREQUAL "" AND "$ENV{WYCKOFF_TEST_DB}" STREQUAL "")
  if(NOT "$ENV{CI}" STREQUAL "")
    # Plain message() is printed as it is; FATAL_ERROR's text is wrapped at the terminal width.
    message("benchmark smoke: ${EXE} needs a database and CI is set, but neither "
            "WYCKOFF_BENCH_DB nor WYCKOFF_TEST_DB names one "
            "(scripts/pg-test-server.sh run -- ctest ...)")
    message(FATAL_ERROR "benchmark smoke failed")
  endif()
  message("SMOKE SKIPPED: no database configured: set WYCKOFF_BENCH_DB or WYCKOFF_TEST_DB, or "
          "run under scripts/pg-test-server.sh run -- ctest ...")
  return()
endif()

set(args --benchmark_min_time=0.01 --benchmark_out=${OUT} --benchmark_out_format=json)
if(FILTER)
  list(APPEND args "--benchmark_filter=${FILTER}")
endif()
file(REMOVE ${OUT})
execute_process(COMMAND ${EXE} ${args} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "benchmark smoke: ${EXE} exited with ${status}")
endif()

file(READ ${OUT} json)
string(JSON count ERROR_VARIABLE json_error LENGTH "${json}" benchmarks)
if(json_error)
  message(FATAL_ERROR "benchmark smoke: ${OUT}: ${json_error}")
endif()
if(count EQUAL 0)
  message(FATAL_ERROR "benchmark smoke: ${EXE} ran no benchmark")
endif()
set(errors "")
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  string(JSON failed ERROR_VARIABLE missing GET "${json}" benchmarks ${i} error_occurred)
  if(NOT missing AND failed)
    string(JSON name GET "${json}" benchmarks ${i} name)
    string(JSON reason ERROR_VARIABLE no_reason GET "${json}" benchmarks ${i} error_message)
    string(APPEND errors "\n  ${name}: ${reason}")
  endif()
endforeach()
if(errors)
  message("benchmark smoke: benchmarks of ${EXE} reported an error:${errors}")
  message(FATAL_ERROR "benchmark smoke failed")
endif()
message("benchmark smoke: ${count} result rows, no error")
