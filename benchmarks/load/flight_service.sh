#!/usr/bin/env bash
# Load test of a running-from-scratch flight-service with wrk, on loopback only.
#   benchmarks/load/flight_service.sh [memory|postgres|redis] [seconds]
# memory: in-memory adapters over the reference CSV (no databases needed);
# postgres / redis: the local services from scripts/services.sh (flights
# database, reset to the reference data before and after: its seats are sold here).
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"
cd "$FLIGHTBOOK_ROOT"

store="${1:-memory}"
seconds="${2:-5}"
port=18090
exe="$FLIGHTBOOK_BUILD_DIR/apps/flight-service/flight-service"
[ -x "$exe" ] || scripts/build.sh release
command -v wrk >/dev/null || die "wrk is not installed (scripts/install-deps.sh)"

args=(--port "$port" --access-log false --seat-store "$store" --worker-threads 16)
if [ "$store" = memory ]; then
    args+=(--schedule examples/data/reference_flights.csv)
else
    scripts/services.sh reset >/dev/null
    args+=(--db-host 127.0.0.1 --db-port "$FLIGHTBOOK_PG_PORT" --db-user "$FLIGHTBOOK_DB_USER"
           --db-password "$FLIGHTBOOK_DB_PASSWORD" --db-name flights
           --redis-host 127.0.0.1 --redis-port "$FLIGHTBOOK_REDIS_PORT")
fi
"$exe" "${args[@]}" 2>/dev/null &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # The storm sells every seat: leave the reference data as it was.
    [ "$store" = memory ] || scripts/services.sh reset >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$port"
# Warm up: open every pooled database connection before measuring.
wrk -t2 -c16 -d2s "$base/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2" >/dev/null
log "search DEL→BLR (5 itineraries incl. 1-stop), ${seconds}s, 2 threads, 16 connections"
wrk -t2 -c16 -d"${seconds}s" --latency "$base/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2" \
    | grep -E "Requests/sec|50%|99%"
log "GET /api/flights/1"
wrk -t2 -c16 -d"${seconds}s" --latency "$base/api/flights/1" | grep -E "Requests/sec|50%|99%"
log "decrement 1 seat, fresh reservation id per request (sells out the 16 flights)"
wrk -t2 -c16 -d"${seconds}s" -s benchmarks/load/decrement.lua "$base" | grep -E "Requests/sec|sold="
