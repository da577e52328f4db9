#!/usr/bin/env bash
# A repeated search through flight-service beside nginx serving the same
# answer as a static file, measured side by side in one run with wrk (2
# threads, 16 and 64 connections), in three settings: every page re-read
# from the seat store and no search cache (the behaviour before issue 10),
# the 100 ms freshness bound without the search cache, and the defaults
# (bound and search cache) with 16 and with 64 worker threads (one per
# connection at 64 connections: see docs/http.md on busy workers).
#   benchmarks/load/search_vs_static.sh [seconds]
# flight-service runs on the Redis seat store over a throw-away database
# (bench_search) in the local PostgreSQL of scripts/services.sh and a private
# Redis. nginx (Debian's nginx-light) runs from a private config. Loopback
# only; every run is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
. "$(dirname "$0")/static_nginx.sh"
cd "$FLIGHTBOOK_ROOT"

seconds="${1:-5}"
exe="$FLIGHTBOOK_BUILD_DIR/apps/flight-service/flight-service"
[ -x "$exe" ] || scripts/build.sh release
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
nginx_binary >/dev/null
scripts/services.sh up >/dev/null

fport=18097 nport=18098 rport=18099
work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

pg_super -d postgres -c "DROP DATABASE IF EXISTS bench_search WITH (FORCE)" >/dev/null
pg_super -d postgres -c "CREATE DATABASE bench_search OWNER $FLIGHTBOOK_DB_USER" >/dev/null
for f in sql/flights/*.sql; do pg_app -d bench_search -f "$f" >/dev/null; done
redis-server --port "$rport" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --maxmemory-policy noeviction >/dev/null

path="/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2"
start_flight_service() {
    "$exe" --port "$fport" --access-log false --seat-store redis \
        --db-host 127.0.0.1 --db-port "$FLIGHTBOOK_PG_PORT" --db-user "$FLIGHTBOOK_DB_USER" \
        --db-password "$FLIGHTBOOK_DB_PASSWORD" --db-name bench_search \
        --redis-host 127.0.0.1 --redis-port "$rport" "$@" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$fport/ready" >/dev/null && break; sleep 0.1; done
}
stop_flight_service() {
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
}

# nginx serves the same bytes flight-service answers.
start_flight_service
curl -s "http://127.0.0.1:$fport$path" >"$work/answer.json"
stop_flight_service
mkdir -p "$work/www/api/flights"
cp "$work/answer.json" "$work/www/api/flights/search"
start_static_nginx "$work" "$nport"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$nport$path" && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$nport$path" | cmp -s - "$work/answer.json" || { cat "$work/nginx-error.log" >&2; die "nginx does not serve the answer"; }

measure() {  # url connections -> "req/s p50 p99"
    wrk -t2 -c"$2" -d"${seconds}s" --latency "$1" |
        awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}'
}
printf '%-34s %5s %12s %10s %10s %8s\n' target conns req/s p50 p99 ratio
configs=("no cache, freshness 0|--search-cache-mb 0 --seat-freshness-ms 0 --worker-threads 16"
         "no cache, freshness 100|--search-cache-mb 0 --worker-threads 16"
         "cache, freshness 100|--worker-threads 16"
         "cache, 100, 64 threads|--worker-threads 64")
for config in "${configs[@]}"; do
    label="${config%%|*}"
    read -r -a flags <<<"${config#*|}"
    start_flight_service "${flags[@]}"
    wrk -t2 -c16 -d2s "http://127.0.0.1:$fport$path" >/dev/null  # warm up
    for conns in 16 64; do
        read -r s_rps s_p50 s_p99 < <(measure "http://127.0.0.1:$nport$path" "$conns")
        read -r f_rps f_p50 f_p99 < <(measure "http://127.0.0.1:$fport$path" "$conns")
        printf '%-34s %5s %12s %10s %10s %8s\n' "nginx static file" "$conns" "$s_rps" "$s_p50" "$s_p99" ""
        printf '%-34s %5s %12s %10s %10s %8.2f\n' "search, $label" "$conns" \
            "$f_rps" "$f_p50" "$f_p99" "$(echo "$f_rps / $s_rps" | bc -l)"
    done
    stop_flight_service
done
