#!/bin/sh
# One-shot migration job for docker/compose.yaml: creates the flights,
# bookings and payments databases if they are missing (docker/postgres-init.sql
# runs only when the PostgreSQL volume is new), then applies sql/<db>/*.sql
# once each, in order, each in its own transaction, recording them in
# schema_migrations like scripts/migrate.sh does.
# Reads DB_HOST DB_PORT DB_USER DB_PASSWORD (the services' names) and
# FLIGHTBOOK_SQL_DIR (default /usr/share/flightbook/sql).
set -eu
export PGHOST="${DB_HOST:-postgres}" PGPORT="${DB_PORT:-5432}" PGUSER="${DB_USER:-flightbook}"
export PGPASSWORD="${DB_PASSWORD:-}" PGCONNECT_TIMEOUT=10
sql_dir="${FLIGHTBOOK_SQL_DIR:-/usr/share/flightbook/sql}"
databases="flights bookings payments"

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

for db in $databases; do
    if [ -z "$(psql -X -Atq -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
        echo "creating database $db"
        psql_q -d postgres -c "CREATE DATABASE $db"
    fi
done

for db in $databases; do
    psql_q -d "$db" -c "SET client_min_messages = warning;
        CREATE TABLE IF NOT EXISTS schema_migrations (
        version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    for f in "$sql_dir/$db"/*.sql; do
        [ -e "$f" ] || continue
        v="$(basename "$f" .sql)"
        [ -n "$(psql -X -Atq -d "$db" -c "SELECT 1 FROM schema_migrations WHERE version = '$v'")" ] && continue
        echo "migrating $db: $v"
        psql_q -d "$db" --single-transaction -f "$f" \
            -c "INSERT INTO schema_migrations (version) VALUES ('$v')"
    done
done
echo "migrations applied: $databases"
