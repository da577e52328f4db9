# Shared settings for the scripts in this folder. Source it; do not run it.
# Every value can be overridden from the environment.

FLIGHTBOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FLIGHTBOOK_ROOT
: "${FLIGHTBOOK_STATE_DIR:=$FLIGHTBOOK_ROOT/.local}"   # databases, logs, pid files
: "${FLIGHTBOOK_BUILD_DIR:=$FLIGHTBOOK_ROOT/out/release}"   # the release preset
# Whether the caller chose the ports (start_test_services picks free ones
# otherwise).
flightbook_pg_port_given="${FLIGHTBOOK_PG_PORT:+yes}"
flightbook_redis_port_given="${FLIGHTBOOK_REDIS_PORT:+yes}"
: "${FLIGHTBOOK_PG_PORT:=55432}"
: "${FLIGHTBOOK_REDIS_PORT:=56379}"
: "${FLIGHTBOOK_DB_USER:=flightbook}"
: "${FLIGHTBOOK_DB_PASSWORD:=flightbook}"
: "${FLIGHTBOOK_PG_SUPERUSER_PASSWORD:=postgres-local}"
export FLIGHTBOOK_STATE_DIR FLIGHTBOOK_BUILD_DIR FLIGHTBOOK_PG_PORT FLIGHTBOOK_REDIS_PORT \
       FLIGHTBOOK_DB_USER FLIGHTBOOK_DB_PASSWORD

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The PostgreSQL server binaries are not on PATH on Debian.
pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
    done
    command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v pg_ctl)"; return 0; }
    return 1
}

# Runs a command as the postgres user when we are root (PostgreSQL refuses
# to run as root); as ourselves otherwise.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# psql as the superuser over loopback TCP.
pg_super() {
    PGPASSWORD="$FLIGHTBOOK_PG_SUPERUSER_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$FLIGHTBOOK_PG_PORT" -U postgres "$@"
}

# psql as the application user.
pg_app() {
    PGOPTIONS="-c client_min_messages=warning" \
    PGPASSWORD="$FLIGHTBOOK_DB_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$FLIGHTBOOK_PG_PORT" -U "$FLIGHTBOOK_DB_USER" "$@"
}

# Exports the environment the test suites and services read.
export_test_env() {
    export FLIGHTBOOK_TEST_PG_DSN="host=127.0.0.1 port=$FLIGHTBOOK_PG_PORT user=$FLIGHTBOOK_DB_USER password=$FLIGHTBOOK_DB_PASSWORD dbname=flightbook_test connect_timeout=5"
    export FLIGHTBOOK_TEST_PG_ADMIN_DSN="host=127.0.0.1 port=$FLIGHTBOOK_PG_PORT user=$FLIGHTBOOK_DB_USER password=$FLIGHTBOOK_DB_PASSWORD dbname=postgres connect_timeout=5"
    export FLIGHTBOOK_TEST_REDIS_HOST=127.0.0.1
    export FLIGHTBOOK_TEST_REDIS_PORT="$FLIGHTBOOK_REDIS_PORT"
}

# True when something listens on 127.0.0.1:$1: ss when it is installed, and a
# connect through bash's /dev/tcp in any case (refused at once when free).
port_in_use() {
    local port="$1"
    if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]; then
        return 0
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# free_port FIRST LAST: prints a port of FIRST..LAST that nothing listens on,
# trying them from a random place so that two runs started at the same time
# rarely pick the same one. Fails when every port of the range is in use.
free_port() {
    local first="$1" last="$2" count start i port
    count=$((last - first + 1))
    start=$((RANDOM % count))
    for ((i = 0; i < count; i++)); do
        port=$((first + (start + i) % count))
        port_in_use "$port" || { echo "$port"; return 0; }
    done
    return 1
}

# The tests' own PostgreSQL and Redis (scripts/test.sh, make stress-test),
# never those of scripts/up.sh: state in $FLIGHTBOOK_TEST_STATE_DIR (default
# .local/test), ports picked free at run time — PostgreSQL from 25432-25631,
# Redis from 26379-26578, below the kernel's ephemeral range — unless the
# caller set FLIGHTBOOK_PG_PORT / FLIGHTBOOK_REDIS_PORT. Starts them (stopping
# first what a killed earlier run left behind), exports the test environment,
# and stops them when the calling shell exits. One run per state folder at a
# time (a lock file).
start_test_services() {
    local services="$FLIGHTBOOK_ROOT/scripts/services.sh" attempt
    FLIGHTBOOK_STATE_DIR="${FLIGHTBOOK_TEST_STATE_DIR:-$FLIGHTBOOK_ROOT/.local/test}"
    export FLIGHTBOOK_STATE_DIR
    mkdir -p "$FLIGHTBOOK_STATE_DIR"
    # fd 9 holds the lock; the servers must not inherit it (9>&- below), or a
    # server left running by a killed run would keep the folder locked.
    exec 9>"$FLIGHTBOOK_STATE_DIR/lock"
    flock -n 9 || die "another test run is using $FLIGHTBOOK_STATE_DIR"
    "$services" down 9>&-
    trap 'stop_test_services' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    for attempt in 1 2 3; do
        if [ -z "$flightbook_pg_port_given" ]; then
            FLIGHTBOOK_PG_PORT="$(free_port 25432 25631)" || die "no free port in 25432-25631 for PostgreSQL"
        elif port_in_use "$FLIGHTBOOK_PG_PORT"; then
            die "FLIGHTBOOK_PG_PORT=$FLIGHTBOOK_PG_PORT is set but 127.0.0.1:$FLIGHTBOOK_PG_PORT is in use; unset it to let the tests pick a free port"
        fi
        if [ -z "$flightbook_redis_port_given" ]; then
            FLIGHTBOOK_REDIS_PORT="$(free_port 26379 26578)" || die "no free port in 26379-26578 for Redis"
        elif port_in_use "$FLIGHTBOOK_REDIS_PORT"; then
            die "FLIGHTBOOK_REDIS_PORT=$FLIGHTBOOK_REDIS_PORT is set but 127.0.0.1:$FLIGHTBOOK_REDIS_PORT is in use; unset it to let the tests pick a free port"
        fi
        export FLIGHTBOOK_PG_PORT FLIGHTBOOK_REDIS_PORT
        log "test servers: PostgreSQL 127.0.0.1:$FLIGHTBOOK_PG_PORT, Redis 127.0.0.1:$FLIGHTBOOK_REDIS_PORT, state in $FLIGHTBOOK_STATE_DIR"
        "$services" up 9>&- && { export_test_env; return 0; }
        # Most likely a port taken between the check and the start.
        "$services" down 9>&- || true
        [ -n "$flightbook_pg_port_given" ] && [ -n "$flightbook_redis_port_given" ] && break
        log "the test servers did not start (attempt $attempt); trying other ports"
    done
    die "could not start the test PostgreSQL and Redis"
}

# Stops what start_test_services started (run by its EXIT trap).
stop_test_services() {
    log "stopping the test servers"
    "$FLIGHTBOOK_ROOT/scripts/services.sh" down 9>&- || true
}
