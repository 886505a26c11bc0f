# The detectors' benchmarks: features, Spring/SOS/UTAD alone, the full PatternEngine, the NFR1
# per-bar latency, feature rows per second, and 100 symbols on a Boost.Asio thread pool. The
# smoke run leaves out the 1000-symbol point of the scaling curve.
wyckoff_add_benchmark(detectors
                      DEPS wyckoff::detectors wyckoff::engine wyckoff::fixtures Threads::Threads
                      SMOKE_FILTER "BM_Concurrent_Symbols/1000")
