#pragma once
/// \file
/// The Flight JSON object of SPEC §4, shared by the CLI and the HTTP service.

#include <cstdint>
#include <string>

#include "flightbook/domain/flight.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook {

/// Writes `flight` as {"id","flight_number","source","destination",
/// "departure_time","arrival_time" (RFC 3339, Z),"total_seats","booked_seats",
/// "available_seats","price" (two decimals)} with the counters as stored.
/// Not thread-safe on the same writer.
void write_flight_json(json::Writer& w, const Flight& flight);

/// Same, with a live seat count: available_seats = `available_seats` and
/// booked_seats = total_seats - available_seats.
void write_flight_json(json::Writer& w, const Flight& flight, std::int32_t available_seats);

/// `flight` as a standalone JSON document.
[[nodiscard]] std::string flight_to_json(const Flight& flight);

}  // namespace flightbook
