# The PostgreSQL benchmarks: the store's query shapes on a loaded database and COPY
# throughput. They skip, saying why, unless WYCKOFF_BENCH_DB or WYCKOFF_TEST_DB names a server;
# scripts/test.sh starts one, so the smoke run seeds a fresh database and runs each once.
wyckoff_add_benchmark(db DEPS wyckoff::db wyckoff::fixtures LABELS integration-db)
