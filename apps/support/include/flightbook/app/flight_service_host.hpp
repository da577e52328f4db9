#pragma once
/// \file
/// flight-service as a composable unit (SPEC §4): itinerary search, flights
/// and seat accounting over PostgreSQL + Redis, PostgreSQL alone, or memory.

#include <memory>
#include <optional>
#include <vector>

#include "flightbook/app/service_host.hpp"
#include "flightbook/domain/flight.hpp"

namespace flightbook::app {

/// Settings and builder of flight-service (default port 8080).
[[nodiscard]] ServiceDefinition flight_service_definition();

/// Builds flight-service. With `--seat-store memory`, `schedule` (when
/// given) is served instead of reading `--schedule`.
[[nodiscard]] Result<std::unique_ptr<ServiceHost>> build_flight_service(
    const Config& config, std::optional<std::vector<Flight>> schedule = std::nullopt);

}  // namespace flightbook::app
