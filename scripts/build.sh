#!/usr/bin/env bash
# Configures and builds flightbook. Uses Ninja and ccache when present.
#   FLIGHTBOOK_BUILD_DIR   build folder           (default: build)
#   FLIGHTBOOK_BUILD_TYPE  CMake build type       (default: RelWithDebInfo)
#   FLIGHTBOOK_SANITIZE    "address;undefined" or "thread" (default: none)
# Extra arguments go to the CMake configure step.
set -euo pipefail
. "$(dirname "$0")/common.sh"

args=(-S "$FLIGHTBOOK_ROOT" -B "$FLIGHTBOOK_BUILD_DIR"
      -DCMAKE_BUILD_TYPE="$FLIGHTBOOK_BUILD_TYPE"
      -DFLIGHTBOOK_SANITIZE="${FLIGHTBOOK_SANITIZE:-}")
if [ ! -f "$FLIGHTBOOK_BUILD_DIR/CMakeCache.txt" ]; then
    command -v ninja >/dev/null 2>&1 && args+=(-G Ninja)
fi
if command -v ccache >/dev/null 2>&1; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
log "configuring $FLIGHTBOOK_BUILD_DIR ($FLIGHTBOOK_BUILD_TYPE${FLIGHTBOOK_SANITIZE:+, sanitize=$FLIGHTBOOK_SANITIZE})"
cmake "${args[@]}" "$@" >/dev/null
log "building with $(nproc) jobs"
cmake --build "$FLIGHTBOOK_BUILD_DIR" --parallel "$(nproc)"
