#pragma once
/// \file
/// The PostgreSQL `SeatInventory`: the flights database is the source of truth.

#include <memory>

#include "flightbook/clock.hpp"
#include "flightbook/ports/seat_inventory.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/seats/reservation_transition.hpp"

namespace flightbook::postgres {

/// Seat accounting in the flights database (tables `flights`,
/// `seat_reservations`, `seat_reservation_legs`, migration 0003).
/// Each operation is one READ COMMITTED transaction that locks the
/// reservation row first and then the flight rows in ascending id order, so
/// concurrent operations never deadlock; seats are taken by a conditional
/// UPDATE (`total_seats - booked_seats >= n`) and the CHECK constraint on
/// `booked_seats` is the last line of defence. Thread-safe and safe across
/// processes. Time comes from `clock` (which must outlive the inventory), not
/// from the database server, so expiry follows the injected clock.
class PostgresSeatInventory final : public SeatInventory {
public:
    PostgresSeatInventory(std::shared_ptr<ConnectionPool> pool, const Clock& clock);

    [[nodiscard]] Result<Reservation> hold(const HoldRequest& request) override;
    [[nodiscard]] Result<Reservation> confirm(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> release(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> get(const ReservationId& id) override;
    [[nodiscard]] Result<SeatCounts> availability(FlightId flight) override;
    [[nodiscard]] Result<std::vector<SeatCounts>> availability_many(
        const std::vector<FlightId>& flights) override;
    [[nodiscard]] Result<std::vector<Reservation>> release_expired(UtcTime now,
                                                                   std::size_t limit) override;

private:
    // Locks the reservation, asks `transition` and persists its decision.
    [[nodiscard]] Result<Reservation> apply(const ReservationId& id, ReservationEvent event);

    std::shared_ptr<ConnectionPool> pool_;
    const Clock& clock_;
};

}  // namespace flightbook::postgres
