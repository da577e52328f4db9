#pragma once
/// \file
/// The HTTP API of the booking service (SPEC §4, docs/bookings.md) over
/// `booking::BookingService`.

#include "flightbook/booking/booking_service.hpp"
#include "flightbook/http/server.hpp"

namespace flightbook::api {

/// Settings of the booking routes.
struct BookingRoutesOptions {
    /// Adds `Idempotent-Replayed: true` to an answer replayed for a repeated
    /// Idempotency-Key (the body is the first answer's, byte for byte).
    bool mark_replays = true;
};

/// Registers on `server`:
///
///     POST /api/bookings                 create
///     {"user_id","flight_id"|"flight_ids","seats","date"[,"payment_type"]} GET  /api/bookings/{id}
///     one booking (also `GET /api/bookings?id=`) PUT  /api/bookings/{id}/cancel     cancel (POST
///     too) GET  /api/bookings?user_id=&limit=&offset=   a user's bookings, newest first
///
/// The caller is `X-User-Id` (a positive integer): required for reads and
/// cancel (missing → 401, malformed → 400); optional on create, where it must
/// equal the body's user_id (else 403). `Idempotency-Key` (1..128 printable
/// ASCII) makes create repeatable. `service` must outlive the server.
/// Errors: those of `Server::route`.
[[nodiscard]] Status register_booking_routes(http::Server& server, booking::BookingService& service,
                                             BookingRoutesOptions options = {});

}  // namespace flightbook::api
