#include "flightbook/flights/local_flight_seats.hpp"

namespace flightbook::flights {
namespace {

Result<Reservation> reservation_of(Result<SeatChange> change) {
    if (!change) return fail(std::move(change).error());
    return std::move(change->reservation);
}

}  // namespace

Result<Flight> LocalFlightSeats::get_flight(FlightId id) { return service_.get_flight(id); }

Result<Reservation> LocalFlightSeats::hold(const ReservationId& id, std::vector<SeatLeg> legs,
                                           std::chrono::seconds ttl) {
    // A zero ttl would mean "the service's default" there; the port promises
    // the caller's ttl, so refuse it instead of silently changing its meaning.
    if (ttl.count() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "hold ttl must be positive");
    }
    return reservation_of(service_.hold(id, std::move(legs), ttl));
}

Result<Reservation> LocalFlightSeats::confirm(const ReservationId& id) {
    return reservation_of(service_.confirm(id));
}

Result<Reservation> LocalFlightSeats::release(const ReservationId& id) {
    return reservation_of(service_.release(id));
}

Result<Reservation> LocalFlightSeats::get(const ReservationId& id) {
    return reservation_of(service_.reservation(id));
}

}  // namespace flightbook::flights
