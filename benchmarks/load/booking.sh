#!/usr/bin/env bash
# End-to-end booking throughput with wrk, beside its upper bound measured in
# the same run: one PostgreSQL transaction that books a seat (pgbench with a
# custom script, benchmarks/load/book_seat.sql), on the same machine.
#   benchmarks/load/booking.sh [seconds]
# Starts its own flight-, payment- and booking-service on ports 1809x over
# throw-away databases (bench_flights, bench_bookings, bench_payments) in the
# local PostgreSQL of scripts/services.sh and a private Redis; the mock never
# fails and never waits. Loopback only; every run is bounded.
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
cd "$FLIGHTBOOK_ROOT"

seconds="${1:-10}"
bin="$FLIGHTBOOK_BUILD_DIR/apps"
[ -x "$bin/booking-service/booking-service" ] || scripts/build.sh release
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"
command -v pgbench >/dev/null || export PATH="$(pg_bindir):$PATH"
scripts/services.sh up >/dev/null

fport=18091 pport=18092 bport=18093 rport=18094
dbs=(bench_flights bench_bookings bench_payments)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    redis-cli -p "$rport" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

log "creating throw-away databases ${dbs[*]}"
for db in "${dbs[@]}"; do
    pg_super -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
    pg_super -d postgres -c "CREATE DATABASE $db OWNER $FLIGHTBOOK_DB_USER" >/dev/null
done
for pair in bench_flights:flights bench_bookings:bookings bench_payments:payments; do
    for f in sql/"${pair#*:}"/*.sql; do pg_app -d "${pair%%:*}" -f "$f" >/dev/null; done
done
# 1,000 flights with a million seats each, departing 2030-01-01: seats never
# run out, so every request is a complete booking.
pg_app -d bench_flights -c "
    DELETE FROM flights;
    INSERT INTO flights (id, flight_number, source, destination, departure_time, arrival_time,
                         total_seats, booked_seats, price)
    SELECT g, 'BN' || g, 'AAA', 'BBB', '2030-01-01 08:00+00', '2030-01-01 10:00+00', 1000000, 0, 100.00
      FROM generate_series(1, 1000) g;
    CREATE TABLE bench_sales (id BIGSERIAL PRIMARY KEY, flight_id BIGINT NOT NULL,
                              seats INTEGER NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());" >/dev/null

redis-server --port "$rport" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --maxmemory-policy noeviction >/dev/null
token="bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
db=(--db-host 127.0.0.1 --db-port "$FLIGHTBOOK_PG_PORT" --db-user "$FLIGHTBOOK_DB_USER"
    --db-password "$FLIGHTBOOK_DB_PASSWORD" --access-log false --worker-threads 64)
"$bin/flight-service/flight-service" "${db[@]}" --port "$fport" --db-name bench_flights \
    --redis-host 127.0.0.1 --redis-port "$rport" --service-token "$token" 2>/dev/null &
pids+=($!)
"$bin/payment-service/payment-service" "${db[@]}" --port "$pport" --db-name bench_payments \
    --failure-rate 0 --timeout-rate 0 2>/dev/null &
pids+=($!)
"$bin/booking-service/booking-service" "${db[@]}" --port "$bport" --db-name bench_bookings \
    --flight-service-url "http://127.0.0.1:$fport" --payment-service-url "http://127.0.0.1:$pport" \
    --service-token "$token" 2>/dev/null &
pids+=($!)
for port in $fport $pport $bport; do
    for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
done

commits() {
    pg_super -d postgres -Atc "SELECT sum(xact_commit) FROM pg_stat_database
                               WHERE datname IN ('bench_flights','bench_bookings','bench_payments')"
}
bookings() { pg_app -d bench_bookings -Atc "SELECT count(*) FROM bookings WHERE status = 'confirmed'"; }

base="http://127.0.0.1:$bport"
wrk -t2 -c16 -d2s -s benchmarks/load/booking.lua "$base" >/dev/null  # warm up the pools
for mode in hot spread; do
    for conns in 16 64; do
        before_commits=$(commits); before=$(bookings)
        if [ "$mode" = hot ]; then export FLIGHT=1 SPREAD=0; else export SPREAD=1000; fi
        printf '%-6s %2d connections: ' "$mode" "$conns"
        wrk -t2 -c"$conns" -d"${seconds}s" -s benchmarks/load/booking.lua "$base" | tail -1
        after_commits=$(commits); after=$(bookings)
        echo "        PostgreSQL commits per confirmed booking (all three databases, incl. reads):" \
             "$(( (after_commits - before_commits) / (after - before > 0 ? after - before : 1) ))"
    done
done

log "upper bound: one PostgreSQL transaction that books a seat (pgbench, same machine)"
for mode in hot spread; do
    flights=1; [ "$mode" = spread ] && flights=1000
    for conns in 16 64; do
        printf '%-6s %2d clients: ' "$mode" "$conns"
        PGPASSWORD="$FLIGHTBOOK_DB_PASSWORD" pgbench -h 127.0.0.1 -p "$FLIGHTBOOK_PG_PORT" \
            -U "$FLIGHTBOOK_DB_USER" -n -c "$conns" -j 2 -T "$seconds" -D flights="$flights" \
            -f benchmarks/load/book_seat.sql bench_flights 2>/dev/null \
            | grep -E "^tps|latency average" | tr '\n' ' '
        echo
    done
done
