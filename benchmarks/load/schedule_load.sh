#!/usr/bin/env bash
# `flightbook load` at real size: rows per second for a week at 53,000 flights
# a day (about 370,000 rows), and the time from the load's COMMIT to the first
# search of a running flight-service that sees the new flights, with the
# search latency seen by a client while the timetable is rebuilt.
#   benchmarks/load/schedule_load.sh
# Uses a throw-away database (bench_schedule) in the local PostgreSQL of
# scripts/services.sh and a flight-service on port 18095 (PostgreSQL seat
# store). Loopback only; every loop is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
cd "$FLIGHTBOOK_ROOT"

bin="$FLIGHTBOOK_BUILD_DIR/apps"
[ -x "$bin/flightbook/flightbook" ] || scripts/build.sh release
scripts/services.sh up >/dev/null
port=18095
work="$(mktemp -d)"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

log "creating the throw-away database bench_schedule"
pg_super -d postgres -c "DROP DATABASE IF EXISTS bench_schedule WITH (FORCE)" >/dev/null
pg_super -d postgres -c "CREATE DATABASE bench_schedule OWNER $FLIGHTBOOK_DB_USER" >/dev/null
for f in sql/flights/*.sql; do pg_app -d bench_schedule -f "$f" >/dev/null; done
export DB_HOST=127.0.0.1 DB_PORT="$FLIGHTBOOK_PG_PORT" DB_USER="$FLIGHTBOOK_DB_USER" \
       DB_PASSWORD="$FLIGHTBOOK_DB_PASSWORD" DB_NAME=bench_schedule

"$bin/flightbook/flightbook" generate --flights-per-day 53000 --days 7 --out "$work/week.csv" >/dev/null
rows=$(($(wc -l <"$work/week.csv") - 1))

log "loading $rows flights (replace), three times"
for i in 1 2 3; do
    "$bin/flightbook/flightbook" load --schedule "$work/week.csv" --mode replace
done

"$bin/flight-service/flight-service" --port "$port" --seat-store postgres --access-log false \
    --schedule-check-interval-ms 1000 2>"$work/flight.log" &
pid=$!
for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break
    sleep 0.1
done
curl -sf "http://127.0.0.1:$port/ready" >/dev/null || die "flight-service did not become ready"

# A new route, absent until the load: ZZA→ZZB on 2024-02-20.
cat >"$work/new.csv" <<CSV
id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,price
9000001,ZZ1,ZZA,ZZB,2024-02-20T08:00:00Z,2024-02-20T09:00:00Z,100,0,50.00
CSV
search="http://127.0.0.1:$port/api/flights/search?source=ZZA&destination=ZZB&date=2024-02-20&seats=1"
curl -s "$search" | grep -q '"id":9000001' && die "the new flight is there before the load"

# Searches keep running during the rebuild: one client in a tight loop,
# timing each answer, while the load lands.
busy="http://127.0.0.1:$port/api/flights/search?source=AMX&destination=ZGT&date=2024-02-15&seats=1"
(
    end=$((SECONDS + 8))
    while [ $SECONDS -lt $end ]; do
        curl -s -o /dev/null -w '%{time_total}\n' "$busy"
    done
) >"$work/latency.txt" &
prober=$!
sleep 2
"$bin/flightbook/flightbook" load --schedule "$work/new.csv" --mode append
committed=$(date +%s%N)
seen=""
for _ in $(seq 1 1000); do
    if curl -s "$search" | grep -q '"id":9000001'; then seen=$(date +%s%N); break; fi
    sleep 0.005
done
[ -n "$seen" ] || die "flight-service never saw the new flight"
wait "$prober"
visible_ms=$(( (seen - committed) / 1000000 ))
reload_line=$(grep -m1 schedule_reloaded "$work/flight.log" || true)
sort -n "$work/latency.txt" | awk -v visible="$visible_ms" '
    { v[NR] = $1 * 1000 }
    END {
        printf "COMMIT to first search that sees the new flight: %d ms\n", visible
        printf "searches during the window: %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
               NR, v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1], v[NR]
    }'
[ -n "$reload_line" ] && echo "flight-service: $reload_line"
