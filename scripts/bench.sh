#!/usr/bin/env bash
# Builds the release preset and runs every Google Benchmark binary, writing
# JSON results to out/bench/. Benchmarks that need PostgreSQL or Redis use the
# local services (started here). Pass a filter as $1 to run a subset, e.g.
#   scripts/bench.sh search_bench
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

scripts/build.sh release
scripts/services.sh up
export_test_env
mkdir -p out/bench
for exe in "$FLIGHTBOOK_BUILD_DIR"/benchmarks/*_bench; do
    name="$(basename "$exe")"
    [ -n "${1:-}" ] && [ "$name" != "$1" ] && continue
    log "running $name"
    "$exe" --benchmark_out="out/bench/$name.json" --benchmark_out_format=json
done
