#include "flightbook/flights/seat_mirror.hpp"

namespace flightbook::flights {

SeatMirror::SeatMirror(const std::vector<Flight>& flights)
    : counts_(std::make_unique<std::atomic<std::int32_t>[]>(flights.size())),
      size_(flights.size()) {
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    for (std::size_t i = 0; i < flights.size(); ++i) {
        ids.push_back(flights[i].id);
        counts_[i].store(flights[i].available_seats(), std::memory_order_relaxed);
    }
    // Schedules come from a table keyed by id or a validated timetable, so
    // duplicates do not occur; if they did, the mirror would answer 0 seats
    // (an unknown flight), never more than the truth.
    if (auto index = FlightIndex::build(ids)) ids_ = std::move(index).value();
}

std::atomic<std::int32_t>* SeatMirror::slot(FlightId flight) const {
    const auto i = ids_.find(flight);
    return i ? &counts_[*i] : nullptr;
}

std::int32_t SeatMirror::available_seats(FlightId flight) const {
    const auto* s = slot(flight);
    return s == nullptr ? 0 : s->load(std::memory_order_relaxed);
}

void SeatMirror::set(FlightId flight, std::int32_t available) const {
    if (auto* s = slot(flight)) s->store(available, std::memory_order_relaxed);
}

}  // namespace flightbook::flights
