#pragma once
/// \file
/// booking-service as a composable unit (SPEC §4, docs/bookings.md):
/// bookings over PostgreSQL (or memory), calling flight-service for seats and
/// payment-service for money, with the reconciler that settles pending ones.

#include "flightbook/app/service_host.hpp"

namespace flightbook::app {

/// Settings and builder of booking-service (default port 8081).
[[nodiscard]] ServiceDefinition booking_service_definition();

}  // namespace flightbook::app
