# The PostgreSQL benchmarks: the store's query shapes on a loaded database and COPY
# throughput. They skip with an error unless WYCKOFF_BENCH_DB or WYCKOFF_TEST_DB names a
# server; scripts/test.sh starts one, so the smoke run seeds a fresh database and runs each
# once. Without a server the smoke test is skipped (failed when CI is set); with one that it
# cannot use, it fails.
wyckoff_add_benchmark(db DEPS wyckoff::db wyckoff::strategies wyckoff::fixtures LABELS integration-db NEEDS_DATABASE)
