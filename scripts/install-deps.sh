#!/usr/bin/env bash
# Installs every build, test and benchmark dependency from Debian packages.
# Idempotent: re-running installs nothing new. Needs root (apt-get).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev                   # Multiprecision, Asio (header-only parts)
  libexpected-dev                # tl::expected, our result type
  nlohmann-json3-dev             # summary.json and other JSON files
  libcli11-dev                   # the CLI
  libgtest-dev libgmock-dev      # tests
  libbenchmark-dev               # Google Benchmark suite
  libpqxx-dev                    # PostgreSQL client
  libboost-mpi-dev openmpi-bin   # Boost.MPI over Open MPI: optimize and walk-forward over the
                                 # ranks of an MPI job (libwyckoff-mpi.so; ctest -L integration-mpi)
  libxxhash-dev                  # XXH3 (header-only use): the stage cache's key, engine/bar_cache.h
  postgresql-15 postgresql-contrib  # throwaway server for integration tests
  libgoogle-perftools-dev google-perftools  # CPU profiler and google-pprof
  python3                        # scripts/flamegraph.py (SVG flame graphs), synthetic-bars.py
  librsvg2-bin                   # rsvg-convert: look at a flame graph SVG as a PNG
  prometheus-cpp-dev             # metrics export (wyckoff serve, --metrics-file)
  prometheus                     # promtool and a real Prometheus: the monitoring/ tests
                                 # (ctest -L integration-metrics)
  chromium                       # headless browser of the HTML report's browser tests
                                 # (ctest -L browser; driven over the DevTools protocol by
                                 # scripts/headless_chromium.py: no chromium-driver needed)
  clang-format
  gcovr                          # line coverage: scripts/coverage.sh
  time                           # /usr/bin/time: peak memory in scripts/perf-table.sh
  clang-16 libclang-rt-16-dev    # libFuzzer, ASan, UBSan: scripts/fuzz.sh (clang 14 cannot
                                 # capture structured bindings, which our sources do)
  valgrind                       # Cachegrind: the regression gate's counted stage,
                                 # scripts/bench-count.sh (and its test)
  dpkg-dev file                  # the .deb: cpack -G DEB runs dpkg-shlibdeps, which needs file
  zsh                            # the test of the generated zsh completion
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: installed ${missing[*]}"
