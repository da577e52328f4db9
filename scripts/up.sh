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
  PostgreSQL  127.0.0.1:$FLIGHTBOOK_PG_PORT  databases flights, bookings, payments (user $FLIGHTBOOK_DB_USER)
  Redis       127.0.0.1:$FLIGHTBOOK_REDIS_PORT
$(scripts/apps.sh status | sed 's/^/  /')
  The seat endpoints of flight-service need the service token in
  $FLIGHTBOOK_STATE_DIR/service-token (booking-service sends it).
  The payment mock declines ${PAYMENT_FAILURE_RATE:-0.15} and times out ${PAYMENT_TIMEOUT_RATE:-0.05} of
  charges; PAYMENT_FAILURE_RATE=0 PAYMENT_TIMEOUT_RATE=0 bash scripts/up.sh never fails.

Search and look up flights:
  curl -s 'http://127.0.0.1:8080/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2'
  curl -s http://127.0.0.1:8080/api/flights/1

Book two seats on AI101 as user 42, then read, list and cancel the booking:
  id=\$(curl -s -X POST http://127.0.0.1:8081/api/bookings -H 'X-User-Id: 42' \\
       -d '{"user_id":42,"flight_id":1,"seats":2,"date":"2024-02-15","payment_type":"upi"}' \\
       | tee /dev/stderr | sed -n 's/.*"booking_id":\([0-9]*\).*/\1/p'); echo
  curl -s http://127.0.0.1:8081/api/bookings/\$id -H 'X-User-Id: 42'
  curl -s 'http://127.0.0.1:8081/api/bookings?user_id=42' -H 'X-User-Id: 42'
  curl -s -X PUT http://127.0.0.1:8081/api/bookings/\$id/cancel -H 'X-User-Id: 42'

A two-leg itinerary (DEL→HYD→BLR), booked all or nothing:
  curl -s -X POST http://127.0.0.1:8081/api/bookings -H 'X-User-Id: 42' \\
       -d '{"user_id":42,"flight_ids":[8,9],"seats":1,"date":"2024-02-15"}'

Without any server: $bin/flightbook/flightbook search --schedule examples/data/reference_flights.csv \\
      --source DEL --destination BLR --date 2024-02-15 --seats 2

Stop everything with: make down   (or scripts/apps.sh stop && scripts/services.sh down)
TXT
