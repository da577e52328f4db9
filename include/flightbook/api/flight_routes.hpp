#pragma once
/// \file
/// The HTTP API of the flight service (SPEC §4) over `flights::FlightService`.

#include <string>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/http/server.hpp"

namespace flightbook::api {

/// Settings of the flight routes.
struct FlightRoutesOptions {
    /// When non-empty, the seat endpoints (internal, for the booking service)
    /// require `X-Service-Token: <token>` or `Authorization: Bearer <token>`;
    /// anything else is 401.
    std::string service_token;
};

/// Registers on `server`:
///
///     GET  /api/flights/search              itinerary search (SPEC §3)
///     GET  /api/flights/{id}                one flight with live seats (also `?id=`)
///     POST /api/flights/validate            {"flight_id","seats","date"}
///     POST /api/flights/seats/decrement     {"flight_id","seats","date","reservation_id"}
///     POST /api/flights/seats/increment     {"flight_id","seats","reservation_id"}
///     POST /api/flights/seats/hold          {"reservation_id","legs":[...],"ttl_seconds"?}
///     POST /api/flights/seats/confirm       {"reservation_id"}
///     POST /api/flights/seats/release       {"reservation_id"}
///     GET  /api/flights/seats/reservations/{id}
///
/// `service` must outlive the server. Errors: those of `Server::route`.
[[nodiscard]] Status register_flight_routes(http::Server& server, flights::FlightService& service,
                                            FlightRoutesOptions options = {});

}  // namespace flightbook::api
