#!/bin/sh
# One-shot migration job for compose: applies sql/<db>/*.sql once each.
set -eu
export PGHOST="${DB_HOST:-postgres}" PGPORT="${DB_PORT:-5432}" PGUSER="${DB_USER:-flightbook}" PGPASSWORD="${DB_PASSWORD:-flightbook}"
for db in flights bookings; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
        version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    for f in /usr/share/flightbook/sql/$db/*.sql; do
        v="$(basename "$f" .sql)"
        [ -n "$(psql -X -Atq -d "$db" -c "SELECT 1 FROM schema_migrations WHERE version = '$v'")" ] && continue
        echo "migrating $db: $v"
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" --single-transaction -f "$f" \
            -c "INSERT INTO schema_migrations (version) VALUES ('$v')"
    done
done
