# The application layer's commands as functions (app/): generate; and the program's whole
# process, started and waited for (startup: --help, a small backtest).
wyckoff_add_benchmark(app DEPS wyckoff::app)
target_compile_definitions(wyckoff_app_benchmark PRIVATE WYCKOFF_CLI="$<TARGET_FILE:wyckoff>")
add_dependencies(wyckoff_app_benchmark wyckoff)
