#include "flightbook/ports/seat_inventory.hpp"

namespace flightbook {

Result<std::vector<SeatCounts>> SeatInventory::availability_many(
    const std::vector<FlightId>& flights) {
    std::vector<SeatCounts> out;
    out.reserve(flights.size());
    for (FlightId id : flights) {
        auto counts = availability(id);
        if (counts) {
            out.push_back(*counts);
        } else if (counts.error().code != ErrorCode::kNotFound) {
            return fail(std::move(counts).error());
        }
    }
    return out;
}

}  // namespace flightbook
