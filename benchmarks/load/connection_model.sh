#!/usr/bin/env bash
# The HTTP connection model (issue 10) side by side: `flightbook demo`
# (in-memory stores, no database) from two builds — before and after a change
# of the HTTP layer — and nginx (Debian's nginx-light) serving the same bytes
# as static files, wrk with 2 threads at 16 and 64 connections, for /health
# and the reference search (DEL→BLR, 2 seats). For each row the three targets
# run one after the other, so that all see the same machine load.
#   benchmarks/load/connection_model.sh BEFORE_BUILD_DIR [seconds] [rounds]
# The "after" build is $FLIGHTBOOK_BUILD_DIR (scripts/common.sh). Extra
# environment for either server: BEFORE_ENV / AFTER_ENV ("NAME=value ...").
# Loopback only; every run is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
. "$(dirname "$0")/static_nginx.sh"
cd "$FLIGHTBOOK_ROOT"

[ $# -ge 1 ] || die "usage: $0 BEFORE_BUILD_DIR [seconds] [rounds]"
before="$1/apps/flightbook/flightbook"
after="$FLIGHTBOOK_BUILD_DIR/apps/flightbook/flightbook"
seconds="${2:-5}"
rounds="${3:-1}"
[ -x "$before" ] || die "no $before"
[ -x "$after" ] || die "no $after"
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
nginx_binary >/dev/null

bport=18110 aport=18120 nport=18130
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_demo() {  # exe base-port env
    # shellcheck disable=SC2086  # the environment list is split on purpose
    env ${3:-} "$1" demo --flight-port "$2" --booking-port $(($2 + 1)) \
        --payment-port $(($2 + 2)) --access-log false >/dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$2/ready" >/dev/null && return; sleep 0.1; done
    die "flightbook demo on port $2 did not start"
}
start_demo "$before" "$bport" "${BEFORE_ENV:-}"
start_demo "$after" "$aport" "${AFTER_ENV:-}"

search="/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2"
mkdir -p "$work/www/api/flights"
curl -fs "http://127.0.0.1:$aport/health" >"$work/www/health"
curl -fs "http://127.0.0.1:$aport$search" >"$work/www/api/flights/search"
start_static_nginx "$work" "$nport"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$nport/health" && break; sleep 0.1; done

measure() {  # url connections -> "req/s p50 p99"
    wrk -t2 -c"$2" -d"${seconds}s" --latency "$1" |
        awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}
for port in "$bport" "$aport"; do wrk -t2 -c16 -d2s "http://127.0.0.1:$port/health" >/dev/null; done

printf '%-6s %-7s %5s %-7s %12s %10s %10s %8s\n' round path conns target req/s p50 p99 ratio
for round in $(seq 1 "$rounds"); do
    for conns in 16 64; do
        for path in /health "$search"; do
            name="${path%%\?*}"
            read -r n_rps n_p50 n_p99 < <(measure "http://127.0.0.1:$nport$path" "$conns")
            printf '%-6s %-7s %5s %-7s %12s %10s %10s %8s\n' "$round" "${name##*/}" "$conns" nginx \
                "$n_rps" "$n_p50" "$n_p99" ""
            for side in before after; do
                port="$bport"
                [ "$side" = after ] && port="$aport"
                read -r rps p50 p99 < <(measure "http://127.0.0.1:$port$path" "$conns")
                printf '%-6s %-7s %5s %-7s %12s %10s %10s %8.2f\n' "$round" "${name##*/}" \
                    "$conns" "$side" "$rps" "$p50" "$p99" "$(echo "$rps / $n_rps" | bc -l)"
            done
        done
    done
done
