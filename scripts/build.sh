#!/usr/bin/env bash
# Configures and builds one CMake preset (CMakePresets.json) into out/<preset>.
#   scripts/build.sh [debug|release|asan|tsan] [extra cmake -D arguments...]
# Uses ccache when present. The default preset is release.
# FLIGHTBOOK_BUILD_TARGETS="a b" builds only those targets (default: all).
set -euo pipefail
. "$(dirname "$0")/common.sh"

preset="${1:-release}"
shift || true
args=(--preset "$preset")
if command -v ccache >/dev/null 2>&1; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cd "$FLIGHTBOOK_ROOT"
log "configuring preset $preset"
cmake "${args[@]}" "$@" >/dev/null
log "building preset $preset with $(nproc) jobs"
targets=()
for t in ${FLIGHTBOOK_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build --preset "$preset" --parallel "$(nproc)" "${targets[@]}"
