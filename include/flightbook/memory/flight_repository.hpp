#pragma once
/// \file
/// The in-memory `FlightRepository`: a fixed schedule held in process memory.

#include <vector>

#include "flightbook/ports/flight_repository.hpp"

namespace flightbook::memory {

/// A read-only schedule. Thread-safe (immutable after construction). Its
/// `booked_seats` are the values it was built with; live counts come from a
/// `SeatInventory`.
class InMemoryFlightRepository final : public FlightRepository {
public:
    explicit InMemoryFlightRepository(std::vector<Flight> flights);

    [[nodiscard]] Result<Flight> get(FlightId id) override;
    [[nodiscard]] Result<std::vector<Flight>> list_all() override;
    [[nodiscard]] Result<std::vector<Flight>> list_departing(UtcTime from, UtcTime to) override;

private:
    std::vector<Flight> by_id_;         // sorted by id
    std::vector<Flight> by_departure_;  // sorted by departure, then id
};

}  // namespace flightbook::memory
