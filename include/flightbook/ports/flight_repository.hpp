#pragma once
/// \file
/// The `FlightRepository` port: read access to the flight schedule, for
/// building the search timetable and for GET /api/flights/{id}.

#include <cstdint>
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

    /// A number that changes whenever flights are added, removed or changed
    /// (seat counts excepted), so that a reader can tell cheaply that its copy
    /// of the schedule is out of date. A store that cannot tell answers the
    /// same number always. Errors: `kUnavailable` from the store.
    [[nodiscard]] virtual Result<std::int64_t> schedule_version() { return std::int64_t{0}; }
};

}  // namespace flightbook
