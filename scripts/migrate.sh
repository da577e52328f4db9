#!/usr/bin/env bash
# Applies the numbered SQL files in sql/<db>/ to each service's database
# (flights, bookings, payments), each once, in order, each in its own
# transaction. Applied versions are recorded in schema_migrations.
set -euo pipefail
. "$(dirname "$0")/common.sh"

migrate_db() {
    local db="$1" dir="$2" f version
    pg_app -d "$db" -c "CREATE TABLE IF NOT EXISTS schema_migrations (
        version TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    for f in "$dir"/*.sql; do
        [ -e "$f" ] || continue
        version="$(basename "$f" .sql)"
        if [ -n "$(pg_app -d "$db" -Atc "SELECT 1 FROM schema_migrations WHERE version = '$version'")" ]; then
            continue
        fi
        log "migrating $db: $version"
        pg_app -d "$db" --single-transaction \
            -f "$f" \
            -c "INSERT INTO schema_migrations (version) VALUES ('$version')"
    done
}

migrate_db flights "$FLIGHTBOOK_ROOT/sql/flights"
migrate_db bookings "$FLIGHTBOOK_ROOT/sql/bookings"
migrate_db payments "$FLIGHTBOOK_ROOT/sql/payments"
