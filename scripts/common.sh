# Shared settings for the scripts in this folder. Source it; do not run it.
# Every value can be overridden from the environment.

FLIGHTBOOK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FLIGHTBOOK_ROOT
: "${FLIGHTBOOK_STATE_DIR:=$FLIGHTBOOK_ROOT/.local}"   # databases, logs, pid files
: "${FLIGHTBOOK_BUILD_DIR:=$FLIGHTBOOK_ROOT/out/release}"   # the release preset
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
