#pragma once
/// \file
/// The in-memory `FlightRepository`: a fixed schedule held in process memory.

#include <vector>

#include "flightbook/ports/flight_repository.hpp"
#include "flightbook/ports/seat_inventory.hpp"

namespace flightbook::memory {

/// A read-only schedule. Thread-safe (immutable after construction).
///
/// As the port promises, `booked_seats` is the value at read time: with
/// `seats` set, every read takes it from that inventory (held + confirmed),
/// so a timetable reload never resets counts to the schedule file's; without
/// it, the values the schedule was built with (a frozen world, for tests).
class InMemoryFlightRepository final : public FlightRepository {
public:
    /// `seats`, when not null, must outlive the repository.
    explicit InMemoryFlightRepository(std::vector<Flight> flights, SeatInventory* seats = nullptr);

    [[nodiscard]] Result<Flight> get(FlightId id) override;
    [[nodiscard]] Result<std::vector<Flight>> list_all() override;
    [[nodiscard]] Result<std::vector<Flight>> list_departing(UtcTime from, UtcTime to) override;

private:
    // Overwrites booked_seats with the inventory's live counts.
    [[nodiscard]] Status refresh(std::vector<Flight>& flights) const;

    SeatInventory* seats_;
    std::vector<Flight> by_id_;         // sorted by id
    std::vector<Flight> by_departure_;  // sorted by departure, then id
};

}  // namespace flightbook::memory
