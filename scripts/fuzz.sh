#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, CMake preset "fuzz": clang with
# AddressSanitizer + UBSan) and runs each one over its checked-in seed corpus
# for the given time. Exits non-zero when any target finds a crash, a
# sanitizer report, a failed property, a timeout or a memory blow-up; the
# input is saved under out/fuzz/artifacts/<target>/ and the log under
# out/fuzz/logs/. See docs/reliability.md "Fuzzing".
#
#   scripts/fuzz.sh [seconds-per-target]      default 20; CI (scripts/test.sh) runs 15
#   scripts/fuzz.sh 600                       the longer run (about 70 minutes in all)
#
#   FLIGHTBOOK_FUZZ_TARGETS  targets to run (default: every fuzz/fuzz_*.cpp)
#   FLIGHTBOOK_FUZZ_SKIP     targets to leave out (scripts/test.sh leaves out
#                            fuzz_routes, which needs the whole core library
#                            built with coverage: about 4 CPU-minutes)
#   FLIGHTBOOK_FUZZ_JOBS     build parallelism (default: nproc)
#
# Inputs that reach new code are written to out/fuzz/corpus/<target>/, never
# into the seed corpus: add a useful one to fuzz/corpus/<target>/ by hand
# (and every crashing input, once fixed, as a regression seed).
#
# Reproduce a finding: out/fuzz/fuzz/<target> <artifact file>
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

seconds="${1:-20}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/fuzz.sh [seconds-per-target]"

command -v clang++ >/dev/null 2>&1 || die "clang++ is missing: run scripts/install-deps.sh"
fuzzer_rt="$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)"
[ -f "$fuzzer_rt" ] || fuzzer_rt="$(find /usr/lib/llvm-*/lib/clang -name 'libclang_rt.fuzzer-*.a' 2>/dev/null | head -n1)"
[ -n "$fuzzer_rt" ] || die "libFuzzer's runtime is missing (libclang-rt-14-dev): run scripts/install-deps.sh"

targets=""
for t in ${FLIGHTBOOK_FUZZ_TARGETS:-$(cd fuzz && ls fuzz_*.cpp | sed 's/\.cpp$//')}; do
    [[ " ${FLIGHTBOOK_FUZZ_SKIP:-} " == *" $t "* ]] || targets="$targets $t"
done
[ -n "$targets" ] || die "no fuzz target left to run"

args=(--preset fuzz)
if command -v ccache >/dev/null 2>&1; then
    args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
build_start=$(date +%s)
log "configuring preset fuzz"
cmake "${args[@]}" >/dev/null
log "building the fuzz targets"
build_targets=()
for t in $targets; do build_targets+=(--target "$t"); done
cmake --build --preset fuzz --parallel "${FLIGHTBOOK_FUZZ_JOBS:-$(nproc)}" "${build_targets[@]}"
log "built in $(( $(date +%s) - build_start )) s"

out=out/fuzz
mkdir -p "$out/logs"
failed=()
summary=()
for t in $targets; do
    seeds="fuzz/corpus/$t"
    [ -d "$seeds" ] || die "no seed corpus $seeds"
    work="$out/corpus/$t"
    artifacts="$out/artifacts/$t"
    mkdir -p "$work" "$artifacts"
    run=("$out/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
         -print_final_stats=1 -artifact_prefix="$artifacts/")
    [ -f "fuzz/dict/$t.dict" ] && run+=(-dict="fuzz/dict/$t.dict")
    log "fuzzing $t for $seconds s"
    status=0
    # The first corpus folder receives new inputs; the seeds are only read.
    # Bounded by -max_total_time; the outer timeout catches a hang in
    # libFuzzer itself (one input is bounded by -timeout).
    timeout --signal=KILL $(( seconds + 120 )) "${run[@]}" "$work" "$seeds" \
        >"$out/logs/$t.log" 2>&1 || status=$?
    done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$out/logs/$t.log" | tail -n1 || true)"
    stat() { grep -E "^stat::$1:" "$out/logs/$t.log" | awk '{print $2}' | tail -n1; }
    cov="$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")"
    ft="$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")"
    corp="$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$done_line")"
    summary+=("$(printf '%-22s runs %10s  exec/s %7s  cov %5s  ft %6s  corpus %5s' "$t" \
        "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" \
        "${corp:-?}")")
    if [ "$status" -ne 0 ]; then
        failed+=("$t")
        printf '%s\n' "---- $t failed (exit $status); last lines of $out/logs/$t.log:" >&2
        tail -n 40 "$out/logs/$t.log" >&2
    fi
done

log "fuzzing summary ($seconds s per target)"
printf '  %s\n' "${summary[@]}" >&2
if [ ${#failed[@]} -gt 0 ]; then
    die "fuzzing found problems in: ${failed[*]} (inputs in $out/artifacts/)"
fi
log "no findings"
