#include "flightbook/search/seat_floors.hpp"

#include <algorithm>

#include "flightbook/search/timetable.hpp"

namespace flightbook::search {

SeatFloors::SeatFloors(const std::vector<Flight>& flights) {
    for (const Flight& f : flights) {
        airports_.push_back(f.source);
        airports_.push_back(f.destination);
    }
    std::sort(airports_.begin(), airports_.end());
    airports_.erase(std::unique(airports_.begin(), airports_.end()), airports_.end());
    const std::size_t cells = airports_.size() * kLevels;
    short_dep_ = std::make_unique<std::atomic<std::int32_t>[]>(cells);
    short_arr_ = std::make_unique<std::atomic<std::int32_t>[]>(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        short_dep_[i].store(0, std::memory_order_relaxed);
        short_arr_[i].store(0, std::memory_order_relaxed);
    }
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    auto index_of = [&](const AirportCode& c) {
        return static_cast<std::uint32_t>(std::lower_bound(airports_.begin(), airports_.end(), c) -
                                          airports_.begin());
    };
    for (const Flight& f : flights) {
        ids.push_back(f.id);
        from_.push_back(index_of(f.source));
        to_.push_back(index_of(f.destination));
    }
    auto index = FlightIndex::build(ids);
    if (!index) return;  // repeated ids: never claim anything
    ids_ = std::move(index).value();
    valid_ = true;
    for (std::size_t i = 0; i < flights.size(); ++i) add(i, flights[i].available_seats(), +1);
}

bool SeatFloors::matches(const Timetable& timetable) const {
    if (!valid_ || timetable.airport_count() != airports_.size()) return false;
    for (std::size_t i = 0; i < airports_.size(); ++i) {
        if (timetable.airport_code(static_cast<AirportIndex>(i)) != airports_[i]) return false;
    }
    return true;
}

// Adds `delta` to the counters of every level the count is short of.
void SeatFloors::add(std::size_t flight_slot, std::int32_t available, int delta) const {
    const std::int32_t first = std::max(available + 1, 1);  // levels s with available < s
    for (std::int32_t s = first; s <= kLevels; ++s) {
        short_dep_[slot(from_[flight_slot], s)].fetch_add(delta, std::memory_order_acq_rel);
        short_arr_[slot(to_[flight_slot], s)].fetch_add(delta, std::memory_order_acq_rel);
    }
}

void SeatFloors::before_store(FlightId flight, std::int32_t after) const {
    if (!valid_) return;
    if (const auto i = ids_.find(flight)) add(*i, after, +1);
}

void SeatFloors::after_store(FlightId flight, std::int32_t before) const {
    if (!valid_) return;
    if (const auto i = ids_.find(flight)) add(*i, before, -1);
}

void SeatFloors::change(FlightId flight, std::int32_t before, std::int32_t after) const {
    before_store(flight, after);
    after_store(flight, before);
}

std::size_t SeatFloors::memory_bytes() const noexcept {
    return airports_.capacity() * sizeof(AirportCode) +
           (from_.capacity() + to_.capacity()) * sizeof(std::uint32_t) +
           2 * airports_.size() * kLevels * sizeof(std::int32_t) + ids_.memory_bytes();
}

}  // namespace flightbook::search
