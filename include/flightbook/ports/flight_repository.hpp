#pragma once
/// \file
/// The `FlightRepository` port: read access to the flight schedule, for
/// building the search timetable and for GET /api/flights/{id}.

#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/result.hpp"

namespace flightbook {

/// Reads flights. Implementations are thread-safe. `booked_seats` is the
/// value at read time (held + confirmed seats).
class FlightRepository {
public:
    virtual ~FlightRepository() = default;

    /// One flight. Errors: `kNotFound`; `kUnavailable` from the store.
    [[nodiscard]] virtual Result<Flight> get(FlightId id) = 0;

    /// Every flight, ordered by id.
    [[nodiscard]] virtual Result<std::vector<Flight>> list_all() = 0;

    /// Flights departing in [from, to), ordered by departure time then id.
    /// Errors: `kInvalidArgument` when `to < from`.
    [[nodiscard]] virtual Result<std::vector<Flight>> list_departing(UtcTime from, UtcTime to) = 0;
};

}  // namespace flightbook
