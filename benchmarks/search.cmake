# The parameter search's benchmarks: 1000 combinations over one year of 1-minute bars, and a
# four-window walk-forward run (docs/walk-forward.md has the figures). The smoke run takes
# about 10 s (BM_Optimize_1000Combos alone is a few seconds).
wyckoff_add_benchmark(search DEPS wyckoff::engine wyckoff::strategies wyckoff::fixtures)
