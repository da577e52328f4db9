#!/usr/bin/env bash
# README command 2: on a fresh Debian 12 machine, installs what flightbook
# needs, builds it, starts its own PostgreSQL and Redis on loopback and runs
# every test suite — release build first, then the sanitizer builds. Exits
# non-zero on any failure.
#
# The test servers are never those of scripts/up.sh (README command 1), which
# may run at the same time from this clone or another: their state is in
# .local/test and their ports are picked free at run time (start_test_services
# in common.sh); they are stopped at the end.
#
#   FLIGHTBOOK_TEST_SANITIZERS  presets to run after release (default "asan tsan"; "" for none)
#   FLIGHTBOOK_PG_PORT, FLIGHTBOOK_REDIS_PORT  fixed ports for the test servers (default: free ones)
#   FLIGHTBOOK_TEST_STATE_DIR   their state folder (default .local/test)
#   FLIGHTBOOK_TEST_FUZZ        seconds per libFuzzer target after the sanitizer
#                               builds (default 10; 0 skips the fuzz step)
#   FLIGHTBOOK_FAST_BUILD       1: build the release tree as a one-off too (unity
#                               libraries, precompiled test headers), as CI does;
#                               default 0 keeps out/release fit for incremental work
#                               (the sanitizer trees are always built that way)
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

: "${FLIGHTBOOK_TEST_SANITIZERS=asan tsan}"
start_time=$(date +%s)
phase_start=$start_time
# Logs how long the step that just ended took (CI has a time budget).
phase_done() {
    local now
    now=$(date +%s)
    log "$1 took $((now - phase_start)) s"
    phase_start=$now
}

scripts/install-deps.sh
phase_done "installing packages"

log "checking formatting"
scripts/format.sh --check

if [ "${FLIGHTBOOK_FAST_BUILD:-0}" = 1 ]; then fast_release=ON; else fast_release=OFF; fi
CCACHE_SLOPPINESS=pch_defines,time_macros scripts/build.sh release -DFLIGHTBOOK_FAST_BUILD=$fast_release
phase_done "the release build"

# Our own PostgreSQL and Redis, stopped again when this script exits.
start_test_services

log "running every suite (release)"
ctest --preset release --parallel 2
phase_done "the release suites"

# The sanitizer builds compile only what their suites need (the services and
# the flightbook CLI, whose demo the api suite runs). AddressSanitizer
# + UBSan run every suite; ThreadSanitizer runs the concurrent ones (the
# contract, race and fault suites, the HTTP suites and the unit tests tagged
# "concurrent").
services="flight-service booking-service payment-service flightbook"
for preset in $FLIGHTBOOK_TEST_SANITIZERS; do
    case "$preset" in
        asan) targets="flightbook_unit_tests flightbook_integration_tests flightbook_contract_tests
                       flightbook_api_tests flightbook_stress_tests $services"
              labels="unit|integration|contract|api|stress" ;;
        tsan) targets="flightbook_unit_tests flightbook_contract_tests flightbook_api_tests
                       flightbook_stress_tests $services"
              labels="contract|api|stress|concurrent" ;;
        *) die "unknown sanitizer preset $preset" ;;
    esac
    # One-off builds: unity libraries and precompiled test headers
    # (FLIGHTBOOK_FAST_BUILD): fewer, larger compiler runs; ccache can reuse
    # precompiled headers only with this sloppiness.
    CCACHE_SLOPPINESS=pch_defines,time_macros FLIGHTBOOK_BUILD_TARGETS="$targets" \
        scripts/build.sh "$preset" -DFLIGHTBOOK_BUILD_EXAMPLES=OFF -DFLIGHTBOOK_FAST_BUILD=ON
    phase_done "the $preset build"
    log "running the suites under $preset"
    # contract-memory and concurrent are subsets of suites run in full here.
    exclude="package|example|contract-memory"
    [ "$preset" = tsan ] || exclude="$exclude|concurrent"
    ctest --preset "$preset" --label-regex "$labels" --label-exclude "$exclude"
    phase_done "the $preset suites"
done

# The request parsers under libFuzzer (clang, ASan + UBSan), a short run over
# the checked-in seeds; scripts/fuzz.sh documents the longer one. fuzz_routes
# (every route handler in process) is left to the longer run: its build alone
# would double this step.
: "${FLIGHTBOOK_TEST_FUZZ=10}"
if [ "$FLIGHTBOOK_TEST_FUZZ" != 0 ]; then
    FLIGHTBOOK_FUZZ_SKIP="${FLIGHTBOOK_FUZZ_SKIP-fuzz_routes}" scripts/fuzz.sh "$FLIGHTBOOK_TEST_FUZZ"
    phase_done "the fuzz step"
fi

log "all suites passed in $(( $(date +%s) - start_time )) s"
