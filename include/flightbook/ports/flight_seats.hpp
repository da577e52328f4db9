#pragma once
/// \file
/// The `FlightSeats` port: what the booking service needs of the flight
/// service — flights (for prices, dates and connections) and seat holds keyed
/// by a reservation id. Adapters: `flights::LocalFlightSeats` (in process,
/// over `FlightService`) and `api::HttpFlightSeats` (flight-service over HTTP).

#include <chrono>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/result.hpp"
#include "flightbook/seats/reservation.hpp"

namespace flightbook {

/// Seat operations of the flight service, each idempotent on the reservation
/// id (a retry with the same id never moves seats twice). Implementations
/// are thread-safe.
///
/// Errors common to every call: `kUnavailable` (the flight service could not
/// be reached: nothing happened, retry is safe) and `kDeadlineExceeded` (no
/// answer in time: the call may have taken effect; retrying with the same
/// reservation id is safe and tells which).
class FlightSeats {
public:
    virtual ~FlightSeats() = default;

    /// One flight with its live seat counts. Errors: `kNotFound`.
    [[nodiscard]] virtual Result<Flight> get_flight(FlightId id) = 0;

    /// Holds every leg's seats, all or nothing, for `ttl`. Errors:
    /// `kNotFound` (unknown flight), `kFailedPrecondition` (a leg has fewer
    /// seats: nothing is held), `kConflict` (the id was used for other seats
    /// or is spent), `kInvalidArgument`.
    [[nodiscard]] virtual Result<Reservation> hold(const ReservationId& id,
                                                   std::vector<SeatLeg> legs,
                                                   std::chrono::seconds ttl) = 0;

    /// held → confirmed. Errors: `kNotFound`; `kFailedPrecondition` (the
    /// hold expired or was released: the seats are not sold).
    [[nodiscard]] virtual Result<Reservation> confirm(const ReservationId& id) = 0;

    /// Gives the seats back (held → released, confirmed → cancelled); a
    /// repeat moves nothing. Errors: `kNotFound`.
    [[nodiscard]] virtual Result<Reservation> release(const ReservationId& id) = 0;

    /// The reservation as stored. Errors: `kNotFound`.
    [[nodiscard]] virtual Result<Reservation> get(const ReservationId& id) = 0;
};

}  // namespace flightbook
