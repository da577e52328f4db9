#pragma once
/// \file
/// `flights::LocalFlightSeats`: the `FlightSeats` port served in process by a
/// `FlightService` (the all-in-one demo, examples and unit tests).

#include <chrono>
#include <vector>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/ports/flight_seats.hpp"

namespace flightbook::flights {

/// Forwards every call to a `FlightService` in the same process. Thread-safe
/// (as the service is). Errors are the service's, unchanged; there is no
/// transport, so `kUnavailable` only comes from the service's own stores.
class LocalFlightSeats final : public FlightSeats {
public:
    /// `service` must outlive this adapter.
    explicit LocalFlightSeats(FlightService& service) : service_(service) {}

    [[nodiscard]] Result<Flight> get_flight(FlightId id) override;
    [[nodiscard]] Result<Reservation> hold(const ReservationId& id, std::vector<SeatLeg> legs,
                                           std::chrono::seconds ttl) override;
    [[nodiscard]] Result<Reservation> confirm(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> release(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> get(const ReservationId& id) override;

private:
    FlightService& service_;
};

}  // namespace flightbook::flights
