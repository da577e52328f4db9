#!/usr/bin/env bash
# Starts and stops the flightbook services that are built, in the background,
# with logs and pid files under $FLIGHTBOOK_STATE_DIR/run.
#   apps.sh start|stop|status
set -euo pipefail
. "$(dirname "$0")/common.sh"

RUN="$FLIGHTBOOK_STATE_DIR/run"
SERVICES=("flight-service:8080" "payment-service:8082" "booking-service:8081")
mkdir -p "$RUN"

# The token that guards flight-service's seat endpoints, shared with
# booking-service: generated once per state folder (mode 600), or taken from
# FLIGHTBOOK_SERVICE_TOKEN when the caller sets one.
service_token() {
    local file="$FLIGHTBOOK_STATE_DIR/service-token"
    if [ ! -s "$file" ]; then
        (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    fi
    cat "$file"
}

# SPEC §4 variables. Anything the caller exported (PAYMENT_FAILURE_RATE=0,
# PAYMENT_SEED, ...) passes through to the services unchanged.
service_env() {
    export DB_HOST=127.0.0.1 DB_PORT="$FLIGHTBOOK_PG_PORT" DB_USER="$FLIGHTBOOK_DB_USER"
    export DB_PASSWORD="$FLIGHTBOOK_DB_PASSWORD" REDIS_HOST=127.0.0.1 REDIS_PORT="$FLIGHTBOOK_REDIS_PORT"
    export FLIGHT_SERVICE_URL="http://127.0.0.1:8080" PAYMENT_SERVICE_URL="http://127.0.0.1:8082"
    : "${FLIGHTBOOK_SERVICE_TOKEN:=$(service_token)}"
    export FLIGHTBOOK_SERVICE_TOKEN
}

running() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

start() {
    service_env
    local entry name port exe db
    for entry in "${SERVICES[@]}"; do
        name="${entry%%:*}"; port="${entry##*:}"
        exe="$FLIGHTBOOK_BUILD_DIR/apps/$name/$name"
        [ -x "$exe" ] || continue
        running "$name" && continue
        case "$name" in
            flight-service) db=flights ;;
            booking-service) db=bookings ;;
            payment-service) db=payments ;;
            *) db="" ;;
        esac
        log "starting $name on 127.0.0.1:$port"
        DB_NAME="$db" PORT="$port" nohup "$exe" >>"$RUN/$name.log" 2>&1 &
        echo $! >"$RUN/$name.pid"
        local i
        for i in $(seq 1 100); do
            curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
            running "$name" || { tail -20 "$RUN/$name.log" >&2; die "$name exited"; }
            sleep 0.1
        done
    done
}

stop() {
    local entry name pid i
    for entry in "${SERVICES[@]}"; do
        name="${entry%%:*}"
        running "$name" || { rm -f "$RUN/$name.pid"; continue; }
        pid="$(cat "$RUN/$name.pid")"
        log "stopping $name (SIGTERM)"
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$RUN/$name.pid"
    done
}

status() {
    local entry name port
    for entry in "${SERVICES[@]}"; do
        name="${entry%%:*}"; port="${entry##*:}"
        if running "$name"; then
            echo "$name  http://127.0.0.1:$port  (log: $RUN/$name.log)"
        elif [ -x "$FLIGHTBOOK_BUILD_DIR/apps/$name/$name" ]; then
            echo "$name  stopped"
        else
            echo "$name  not built yet"
        fi
    done
}

case "${1:-status}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
