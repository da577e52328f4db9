#include "flightbook/memory/flight_repository.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace flightbook::memory {

InMemoryFlightRepository::InMemoryFlightRepository(std::vector<Flight> flights,
                                                   SeatInventory* seats)
    : seats_(seats), by_id_(std::move(flights)) {
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
    std::vector<Flight> one{*it};
    FLIGHTBOOK_TRY_STATUS(refresh(one));
    return one.front();
}

Result<std::vector<Flight>> InMemoryFlightRepository::list_all() {
    std::vector<Flight> all = by_id_;
    FLIGHTBOOK_TRY_STATUS(refresh(all));
    return all;
}

Status InMemoryFlightRepository::refresh(std::vector<Flight>& flights) const {
    if (seats_ == nullptr || flights.empty()) return ok();
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    for (const Flight& f : flights) ids.push_back(f.id);
    auto counts = seats_->availability_many(ids);
    if (!counts) return fail(std::move(counts).error());
    // availability_many answers in the order asked, leaving unknown flights out.
    std::size_t next = 0;
    for (Flight& f : flights) {
        if (next < counts->size() && (*counts)[next].flight_id == f.id) {
            f.booked_seats = (*counts)[next].total - (*counts)[next].available;
            ++next;
        }
    }
    return ok();
}

Result<std::vector<Flight>> InMemoryFlightRepository::list_departing(UtcTime from, UtcTime to) {
    if (to < from) return fail(ErrorCode::kInvalidArgument, "range end before its start");
    auto first = std::lower_bound(by_departure_.begin(), by_departure_.end(), from,
                                  [](const Flight& f, UtcTime t) { return f.departure_time < t; });
    auto last = std::lower_bound(first, by_departure_.end(), to,
                                 [](const Flight& f, UtcTime t) { return f.departure_time < t; });
    std::vector<Flight> out(first, last);
    FLIGHTBOOK_TRY_STATUS(refresh(out));
    return out;
}

}  // namespace flightbook::memory
