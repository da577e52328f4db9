#!/usr/bin/env bash
# Local PostgreSQL and Redis for development and tests, on loopback only,
# with their data under $FLIGHTBOOK_STATE_DIR (default .local/) and on
# $FLIGHTBOOK_PG_PORT / $FLIGHTBOOK_REDIS_PORT (default 55432 / 56379).
#   services.sh up       start both (initialising on first use), create databases, migrate
#   services.sh down     stop both cleanly
#   services.sh status   say what runs
#   services.sh reset    drop and recreate the databases (data lost), migrate again
#   services.sh logs     tail the server logs and those of the services (scripts/apps.sh)
# Every command acts only on the servers of this state folder: a server of
# another folder (another clone, the test servers) is never used or stopped,
# and a port it holds is reported instead.
set -euo pipefail
. "$(dirname "$0")/common.sh"

PGDIR="$FLIGHTBOOK_STATE_DIR/postgres"
PGDATA="$PGDIR/data"
REDISDIR="$FLIGHTBOOK_STATE_DIR/redis"
DATABASES=(flights bookings payments flightbook_test)

pg_running() { [ -f "$PGDATA/postmaster.pid" ] && as_pg "$(pg_bindir)/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
# The port this folder's PostgreSQL listens on (line 4 of postmaster.pid).
pg_port() { sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null; }

# This folder's redis-server: its pid file names a live redis-server process.
redis_pid() {
    local pid
    pid="$(cat "$REDISDIR/redis.pid" 2>/dev/null)" || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ] && echo "$pid"
}
# The port it was started on (recorded at start; older starts: the default).
redis_port() { cat "$REDISDIR/redis.port" 2>/dev/null || echo "$FLIGHTBOOK_REDIS_PORT"; }
redis_running() {
    redis_pid >/dev/null && redis-cli -h 127.0.0.1 -p "$(redis_port)" ping 2>/dev/null | grep -q PONG
}

# The postgres user must be able to reach its folder; a checkout under a
# private home directory is not reachable, so fall back to a folder in /tmp.
choose_pg_dir() {
    mkdir -p "$PGDIR"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$PGDIR"
        if ! runuser -u postgres -- test -w "$PGDIR"; then
            local alt="/tmp/flightbook-pg-$(echo "$FLIGHTBOOK_STATE_DIR" | md5sum | cut -c1-8)"
            mkdir -p "$alt" && chown postgres:postgres "$alt" && chmod 700 "$alt"
            ln -sfn "$alt" "$PGDIR/data-link"
            PGDATA="$alt/data"
            log "postgres cannot reach $PGDIR; using $alt"
        fi
    fi
}

pg_up() {
    local bin; bin="$(pg_bindir)" || die "PostgreSQL is not installed (run scripts/install-deps.sh)"
    choose_pg_dir
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        log "initialising PostgreSQL in $PGDATA"
        local pw; pw="$(mktemp)"
        printf '%s\n' "$FLIGHTBOOK_PG_SUPERUSER_PASSWORD" >"$pw"
        chmod 644 "$pw"
        as_pg mkdir -p "$PGDATA"
        as_pg "$bin/initdb" -D "$PGDATA" -U postgres --pwfile="$pw" \
            --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pw"
    fi
    if pg_running; then
        local running_port; running_port="$(pg_port)"
        [ "$running_port" = "$FLIGHTBOOK_PG_PORT" ] ||
            die "the PostgreSQL of $FLIGHTBOOK_STATE_DIR already runs on port $running_port, not $FLIGHTBOOK_PG_PORT: stop it (services.sh down) or set FLIGHTBOOK_PG_PORT=$running_port"
        log "PostgreSQL already running on 127.0.0.1:$FLIGHTBOOK_PG_PORT"
    else
        port_in_use "$FLIGHTBOOK_PG_PORT" &&
            die "127.0.0.1:$FLIGHTBOOK_PG_PORT is in use by another program (the system of another clone?); set FLIGHTBOOK_PG_PORT to a free port"
        log "starting PostgreSQL on 127.0.0.1:$FLIGHTBOOK_PG_PORT"
        as_pg "$bin/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
            -o "-p $FLIGHTBOOK_PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' \
                -c max_connections=200 -c shared_buffers=128MB -c fsync=on" >/dev/null \
            || { tail -20 "$PGDATA/server.log" >&2; die "PostgreSQL did not start"; }
    fi
    pg_super -d postgres -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$FLIGHTBOOK_DB_USER') THEN
            CREATE ROLE $FLIGHTBOOK_DB_USER LOGIN CREATEDB PASSWORD '$FLIGHTBOOK_DB_PASSWORD';
        END IF; END \$\$;"
    local db
    for db in "${DATABASES[@]}"; do
        if [ -z "$(pg_super -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
            log "creating database $db"
            pg_super -d postgres -c "CREATE DATABASE $db OWNER $FLIGHTBOOK_DB_USER"
        fi
    done
}

redis_up() {
    command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (run scripts/install-deps.sh)"
    mkdir -p "$REDISDIR"
    if redis_pid >/dev/null; then
        [ "$(redis_port)" = "$FLIGHTBOOK_REDIS_PORT" ] ||
            die "the Redis of $FLIGHTBOOK_STATE_DIR already runs on port $(redis_port), not $FLIGHTBOOK_REDIS_PORT: stop it (services.sh down) or set FLIGHTBOOK_REDIS_PORT=$(redis_port)"
        if redis_running; then
            log "Redis already running on 127.0.0.1:$FLIGHTBOOK_REDIS_PORT"
            return
        fi
    fi
    port_in_use "$FLIGHTBOOK_REDIS_PORT" &&
        die "127.0.0.1:$FLIGHTBOOK_REDIS_PORT is in use by another program (the system of another clone?); set FLIGHTBOOK_REDIS_PORT to a free port"
    log "starting Redis on 127.0.0.1:$FLIGHTBOOK_REDIS_PORT (appendonly, noeviction)"
    # Seat counters and holds live here: they must never be evicted, and the
    # append-only file keeps them across a restart. No RDB snapshots.
    redis-server --port "$FLIGHTBOOK_REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --dir "$REDISDIR" --pidfile "$REDISDIR/redis.pid" --logfile "$REDISDIR/redis.log" \
        --save '' --appendonly yes --appendfsync everysec \
        --maxmemory 512mb --maxmemory-policy noeviction
    echo "$FLIGHTBOOK_REDIS_PORT" >"$REDISDIR/redis.port"
    local i
    for i in $(seq 1 50); do redis_running && return 0; sleep 0.1; done
    tail -20 "$REDISDIR/redis.log" >&2
    die "Redis did not start"
}

pg_down() {
    choose_pg_dir
    if pg_running; then
        log "stopping PostgreSQL"
        as_pg "$(pg_bindir)/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
    fi
}

redis_down() {
    local pid
    pid="$(redis_pid)" || { rm -f "$REDISDIR/redis.port"; return 0; }
    log "stopping Redis (127.0.0.1:$(redis_port))"
    redis-cli -h 127.0.0.1 -p "$(redis_port)" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -TERM "$pid" 2>/dev/null || true; sleep 1; }
    rm -f "$REDISDIR/redis.port"
}

case "${1:-up}" in
    up)
        pg_up
        redis_up
        "$(dirname "$0")/migrate.sh"
        ;;
    down)
        redis_down
        pg_down
        ;;
    status)
        [ -d "$PGDIR" ] && choose_pg_dir
        if pg_running; then echo "postgres: running on 127.0.0.1:$(pg_port) (data in $PGDATA)"; else echo "postgres: stopped"; fi
        if redis_running; then echo "redis: running on 127.0.0.1:$(redis_port) (data in $REDISDIR)"; else echo "redis: stopped"; fi
        ;;
    reset)
        pg_up
        redis_up
        for db in "${DATABASES[@]}"; do
            log "recreating database $db"
            pg_super -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
            pg_super -d postgres -c "CREATE DATABASE $db OWNER $FLIGHTBOOK_DB_USER"
        done
        redis-cli -h 127.0.0.1 -p "$FLIGHTBOOK_REDIS_PORT" flushall >/dev/null
        "$(dirname "$0")/migrate.sh"
        ;;
    logs)
        choose_pg_dir
        logs=()
        for f in "$PGDATA/server.log" "$REDISDIR/redis.log" "$FLIGHTBOOK_STATE_DIR"/run/*.log; do
            [ -f "$f" ] && logs+=("$f")
        done
        [ ${#logs[@]} -gt 0 ] || die "no logs yet under $FLIGHTBOOK_STATE_DIR"
        tail -n 50 -F "${logs[@]}"
        ;;
    *)
        die "usage: $0 up|down|status|reset|logs"
        ;;
esac
