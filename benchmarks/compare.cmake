# The regression comparator, the budget checker and the ratchet (`wyckoff bench compare`,
# `wyckoff bench budgets`, `wyckoff bench ratchet`): a library, so that the CLI and the unit tests share it. Included by
# benchmarks/CMakeLists.txt, so its paths are relative to benchmarks/: public headers in
# benchmarks/include/wyckoff/benchmarks/, sources in benchmarks/src/.
wyckoff_add_library(bench_compare
  SOURCES
    src/budgets.cc
    src/compare.cc
    src/format.cc
    src/ratchet.cc
    src/results.cc
    src/utest.cc
  DEPS wyckoff::engine
  PRIVATE_DEPS nlohmann_json::nlohmann_json)
