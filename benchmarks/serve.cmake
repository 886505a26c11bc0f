# The live signal service (serve/): 100 symbols posting bars to an in-process `wyckoff serve`
# server over loopback, per-request latency.
wyckoff_add_benchmark(serve DEPS wyckoff::serve wyckoff::engine)
