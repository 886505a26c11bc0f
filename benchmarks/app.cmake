# The application layer's commands as functions (app/): generate.
wyckoff_add_benchmark(app DEPS wyckoff::app)
