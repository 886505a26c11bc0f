# The engine's benchmarks: backtests, broker, portfolio, metrics, Decimal, CSV loading. The
# smoke runs leave out the fixtures that alone take seconds (10 million bars, the 100 MB file).
foreach(area engine decimal csv)
  wyckoff_add_benchmark(${area} DEPS wyckoff::engine wyckoff::strategies wyckoff::fixtures
                        SMOKE_FILTER "BM_Scaling_Bars/10000000|BM_Csv_Load100MB|BM_Csv_LoadCached100MB|BM_Csv_LoadCachedHashed100MB")
endforeach()
# Report writing: equity.csv and trades.csv through the report module's writers.
wyckoff_add_benchmark(report DEPS wyckoff::report wyckoff::fixtures)
