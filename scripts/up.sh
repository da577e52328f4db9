#!/usr/bin/env bash
# README command 1: on a fresh Debian 12 machine, installs what flightbook
# needs, builds it, starts PostgreSQL and Redis on loopback with both
# databases migrated and the reference data loaded, starts the services that
# are built, and prints example requests.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cd "$FLIGHTBOOK_ROOT"

scripts/install-deps.sh
scripts/build.sh release
scripts/services.sh up
scripts/apps.sh start

bin="$FLIGHTBOOK_BUILD_DIR/apps"
cat <<TXT

flightbook is up.
  PostgreSQL  127.0.0.1:$FLIGHTBOOK_PG_PORT  databases flights, bookings (user $FLIGHTBOOK_DB_USER)
  Redis       127.0.0.1:$FLIGHTBOOK_REDIS_PORT
$(scripts/apps.sh status | sed 's/^/  /')

Try:
  $bin/flightbook/flightbook search --schedule examples/data/reference_flights.csv \\
      --source DEL --destination BLR --date 2024-02-15 --seats 2
  curl -s 'http://127.0.0.1:8080/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2'
  curl -s http://127.0.0.1:8080/api/flights/1
  curl -s http://127.0.0.1:8080/health

Stop everything with: make down   (or scripts/apps.sh stop && scripts/services.sh down)
TXT
