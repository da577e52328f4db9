#pragma once
/// \file
/// The in-memory `SeatInventory`: the embedded default and the reference
/// semantics the other adapters are tested against.

#include <memory>

#include "flightbook/clock.hpp"
#include "flightbook/domain/flight.hpp"
#include "flightbook/ports/seat_inventory.hpp"

namespace flightbook::memory {

/// Seat accounting in process memory. Thread-safe (one mutex). Time comes
/// from `clock`, which must outlive the inventory.
class InMemorySeatInventory final : public SeatInventory {
public:
    explicit InMemorySeatInventory(const Clock& clock);
    ~InMemorySeatInventory() override;

    /// Registers a flight with `total` seats of which `confirmed` are already
    /// sold outside any reservation. Errors: `kInvalidArgument` for counts
    /// outside 0 <= confirmed <= total, total > 0; `kAlreadyExists`.
    [[nodiscard]] Status add_flight(FlightId id, std::int32_t total, std::int32_t confirmed = 0);
    /// Registers every flight of a schedule (`booked_seats` count as confirmed).
    [[nodiscard]] Status add_flights(const std::vector<Flight>& flights);

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
    struct State;
    const Clock& clock_;
    std::unique_ptr<State> state_;
};

}  // namespace flightbook::memory
