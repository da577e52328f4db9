#include "flightbook/memory/flight_repository.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace flightbook::memory {

InMemoryFlightRepository::InMemoryFlightRepository(std::vector<Flight> flights)
    : by_id_(std::move(flights)) {
    std::sort(by_id_.begin(), by_id_.end(),
              [](const Flight& a, const Flight& b) { return a.id < b.id; });
    by_departure_ = by_id_;
    std::stable_sort(
        by_departure_.begin(), by_departure_.end(),
        [](const Flight& a, const Flight& b) { return a.departure_time < b.departure_time; });
}

Result<Flight> InMemoryFlightRepository::get(FlightId id) {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                               [](const Flight& f, FlightId v) { return f.id < v; });
    if (it == by_id_.end() || it->id != id) {
        return fail(ErrorCode::kNotFound, fmt::format("flight {} not found", id.value()));
    }
    return *it;
}

Result<std::vector<Flight>> InMemoryFlightRepository::list_all() { return by_id_; }

Result<std::vector<Flight>> InMemoryFlightRepository::list_departing(UtcTime from, UtcTime to) {
    if (to < from) return fail(ErrorCode::kInvalidArgument, "range end before its start");
    auto first = std::lower_bound(by_departure_.begin(), by_departure_.end(), from,
                                  [](const Flight& f, UtcTime t) { return f.departure_time < t; });
    auto last = std::lower_bound(first, by_departure_.end(), to,
                                 [](const Flight& f, UtcTime t) { return f.departure_time < t; });
    return std::vector<Flight>(first, last);
}

}  // namespace flightbook::memory
