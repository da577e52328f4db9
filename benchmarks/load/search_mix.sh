#!/usr/bin/env bash
# Searches on a realistic schedule over HTTP, beside nginx serving a static
# file of the same size, side by side in one run (issue 10, b and c):
#   (b) a mix of hot and cold queries among the 300 busiest airports of a
#       generated 53,000-flights-a-day, two-day schedule loaded into
#       PostgreSQL (80 % from 40 hot queries, 20 % from 4,000 others);
#   (c) the same while a seat storm sells seats on the first day's flights
#       through flight-service (wrk, 8 connections, POST seats/decrement).
# Each with and without the search cache (--search-cache-mb 0), 64 worker
# threads, wrk 2 threads at 16 and 64 connections. Also prints the CPU time
# flight-service spent per search (from /proc, user + system).
#   benchmarks/load/search_mix.sh [seconds]
# Uses a throw-away database (bench_mix) in the local PostgreSQL of
# scripts/services.sh, a private Redis, and nginx (Debian's nginx-light).
# Loopback only; every run is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
. "$(dirname "$0")/static_nginx.sh"
cd "$FLIGHTBOOK_ROOT"

seconds="${1:-5}"
bin="$FLIGHTBOOK_BUILD_DIR/apps"
[ -x "$bin/flight-service/flight-service" ] || scripts/build.sh release
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
nginx_binary >/dev/null
scripts/services.sh up >/dev/null

fport=18101 nport=18102 rport=18103
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

log "generating and loading 53,000 flights a day for two days into bench_mix"
pg_super -d postgres -c "DROP DATABASE IF EXISTS bench_mix WITH (FORCE)" >/dev/null
pg_super -d postgres -c "CREATE DATABASE bench_mix OWNER $FLIGHTBOOK_DB_USER" >/dev/null
for f in sql/flights/*.sql; do pg_app -d bench_mix -f "$f" >/dev/null; done
export DB_HOST=127.0.0.1 DB_PORT="$FLIGHTBOOK_PG_PORT" DB_USER="$FLIGHTBOOK_DB_USER" \
       DB_PASSWORD="$FLIGHTBOOK_DB_PASSWORD" DB_NAME=bench_mix
"$bin/flightbook/flightbook" generate --flights-per-day 53000 --days 2 --out "$work/s.csv" >/dev/null
"$bin/flightbook/flightbook" load --schedule "$work/s.csv" --mode replace >/dev/null
redis-server --port "$rport" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --maxmemory-policy noeviction >/dev/null

# The 300 busiest airports (departures + arrivals), then the query paths.
awk -F, 'NR > 1 {n[$3]++; n[$4]++} END {for (a in n) print n[a], a}' "$work/s.csv" |
    sort -rn | head -300 | awk '{print $2}' >"$work/airports"
awk -v seed=7 'BEGIN {srand(seed)} {a[NR] = $1} END {
    for (i = 0; i < 4040; i++) {
        s = a[int(rand() * NR) + 1]; do { d = a[int(rand() * NR) + 1] } while (d == s)
        printf "/api/flights/search?source=%s&destination=%s&date=2024-02-15&seats=1\n", s, d
    }}' "$work/airports" >"$work/paths"
head -40 "$work/paths" >"$work/hot"
tail -n +41 "$work/paths" >"$work/cold"
cat >"$work/mix.lua" <<LUA
local function lines(file)
    local t = {}
    for l in io.lines(file) do t[#t + 1] = l end
    return t
end
local hot = lines("$work/hot")
local cold = lines("$work/cold")
local n = 0
function init(args) math.randomseed(os.time() + n) end
request = function()
    n = n + 1
    local path
    if math.random() < 0.8 then path = hot[math.random(#hot)] else path = cold[math.random(#cold)] end
    return wrk.format("GET", path)
end
LUA
cat >"$work/storm.lua" <<'LUA'
local n = 0
request = function()
    n = n + 1
    local body = string.format(
        '{"flight_id":%d,"seats":1,"date":"2024-02-15","reservation_id":"mix-%d-%d"}',
        math.random(1, 50000), math.random(1, 1000000000), n)
    return wrk.format("POST", "/api/flights/seats/decrement",
                      {["Content-Type"] = "application/json"}, body)
end
LUA

start_flight_service() {
    "$bin/flight-service/flight-service" --port "$fport" --access-log false --seat-store redis \
        --worker-threads 64 --redis-host 127.0.0.1 --redis-port "$rport" "$@" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$fport/ready" >/dev/null && break; sleep 0.1; done
    curl -fs "http://127.0.0.1:$fport/ready" >/dev/null || die "flight-service did not become ready"
}
stop_flight_service() {
    kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# nginx serves a file as large as the mean answer of the hot queries.
start_flight_service
total=0
while read -r p; do
    total=$((total + $(curl -s "http://127.0.0.1:$fport$p" | wc -c)))
done <"$work/hot"
mean=$((total / 40))
stop_flight_service
mkdir -p "$work/www"
head -c "$mean" /dev/zero | tr '\0' 'x' >"$work/www/answer.json"
start_static_nginx "$work" "$nport"
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$nport/answer.json" && break; sleep 0.1; done
log "mean answer of the hot queries: $mean bytes (nginx serves a file of that size)"

measure() {  # connections url [script] -> "req/s p50 p99 requests"
    local script=()
    [ -n "${3:-}" ] && script=(-s "$3")
    wrk -t2 -c"$1" -d"${seconds}s" --latency "${script[@]}" "$2" |
        awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
             / requests in / {n=$1} END {print rps, p50, p99, n}'
}
printf '%-36s %5s %10s %9s %9s %7s %12s\n' target conns req/s p50 p99 ratio cpu_us/search
for config in "cache|" "no cache|--search-cache-mb 0"; do
    label="${config%%|*}"
    read -r -a flags <<<"${config#*|}"
    for storm in no yes; do
        start_flight_service "${flags[@]}"
        wrk -t2 -c16 -d2s -s "$work/mix.lua" "http://127.0.0.1:$fport/" >/dev/null  # warm up
        storm_pid=""
        if [ "$storm" = yes ]; then
            wrk -t1 -c8 -d"$((seconds * 5 + 10))s" -s "$work/storm.lua" \
                "http://127.0.0.1:$fport/" >"$work/storm.out" &
            storm_pid=$!
            sleep 1
        fi
        for conns in 16 64; do
            read -r s_rps s_p50 s_p99 _ < <(measure "$conns" "http://127.0.0.1:$nport/answer.json")
            t0=$(cpu_ticks "${pids[-1]}")
            read -r f_rps f_p50 f_p99 f_n < <(measure "$conns" "http://127.0.0.1:$fport/" "$work/mix.lua")
            t1=$(cpu_ticks "${pids[-1]}")
            tick=$(getconf CLK_TCK)
            printf '%-36s %5s %10s %9s %9s %7s %12s\n' "nginx static file ($mean B)" "$conns" \
                "$s_rps" "$s_p50" "$s_p99" "" ""
            printf '%-36s %5s %10s %9s %9s %7.2f %12.1f\n' "search mix, $label, storm $storm" \
                "$conns" "$f_rps" "$f_p50" "$f_p99" "$(echo "$f_rps / $s_rps" | bc -l)" \
                "$(echo "($t1 - $t0) * 1000000 / $tick / $f_n" | bc -l)"
        done
        if [ -n "$storm_pid" ]; then
            kill "$storm_pid" 2>/dev/null || true
            wait "$storm_pid" 2>/dev/null || true
        fi
        stop_flight_service
    done
done
