#!/usr/bin/env bash
# Runs the reliability storm (flightbook-storm, docs/reliability.md) against
# the system that scripts/up.sh started: flight-, booking- and
# payment-service on 8080-8082, PostgreSQL and Redis under .local/.
#   scripts/stress.sh [short|long] [flightbook-storm flags...]
# short: 16 clients, 20 s; long: 32 clients, 10 minutes. Exits non-zero on
# any violated invariant. The storm buys the reference flights' seats: reset
# the data between runs with `make db-reset && make restart`.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

profile="${1:-short}"
[ $# -gt 0 ] && shift
case "$profile" in
    short | long | tiny) ;;
    *) die "usage: $0 [short|long|tiny] [flightbook-storm flags...]" ;;
esac

for port in 8080 8081 8082; do
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null ||
        die "no ready service on 127.0.0.1:$port: start the system with scripts/up.sh"
done

storm="$FLIGHTBOOK_BUILD_DIR/tests/storm/flightbook-storm"
if [ ! -x "$storm" ]; then
    log "building flightbook-storm"
    cmake --build "$FLIGHTBOOK_BUILD_DIR" --target flightbook-storm
fi

dsn() {
    echo "host=127.0.0.1 port=$FLIGHTBOOK_PG_PORT user=$FLIGHTBOOK_DB_USER password=$FLIGHTBOOK_DB_PASSWORD dbname=$1 connect_timeout=5"
}
token_file="$FLIGHTBOOK_STATE_DIR/service-token"
token="${FLIGHTBOOK_SERVICE_TOKEN:-$([ -r "$token_file" ] && cat "$token_file" || true)}"

mkdir -p out/storm
history="out/storm/history-$profile-$(date -u +%Y%m%dT%H%M%SZ).tsv"
log "storm profile $profile; history in $history"
"$storm" --profile "$profile" --verbose \
    --flight-url http://127.0.0.1:8080 --booking-url http://127.0.0.1:8081 \
    --payment-url http://127.0.0.1:8082 --service-token "$token" \
    --flights-dsn "$(dsn flights)" --bookings-dsn "$(dsn bookings)" \
    --payments-dsn "$(dsn payments)" \
    --redis-host 127.0.0.1 --redis-port "$FLIGHTBOOK_REDIS_PORT" \
    --history "$history" "$@"
