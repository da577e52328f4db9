#include "flightbook/search/seat_availability.hpp"

#include <algorithm>

namespace flightbook::search {

TimetableSeatAvailability::TimetableSeatAvailability(std::shared_ptr<const Timetable> timetable)
    : timetable_(std::move(timetable)) {
    if (!timetable_ || timetable_->flights().empty()) return;
    const auto& flights = timetable_->flights();
    auto [lo, hi] =
        std::minmax_element(flights.begin(), flights.end(),
                            [](const Flight& a, const Flight& b) { return a.id < b.id; });
    const std::int64_t span = hi->id.value() - lo->id.value() + 1;
    // Dense only when it costs a few slots per flight; else fall back to find().
    if (span > static_cast<std::int64_t>(4 * flights.size() + 1024)) return;
    base_id_ = lo->id.value();
    dense_.assign(static_cast<std::size_t>(span), 0);
    for (const Flight& f : flights) {
        dense_[static_cast<std::size_t>(f.id.value() - base_id_)] = f.available_seats();
    }
}

std::int32_t TimetableSeatAvailability::available_seats(FlightId flight) const {
    if (!dense_.empty()) {
        const std::int64_t k = flight.value() - base_id_;
        if (k < 0 || k >= static_cast<std::int64_t>(dense_.size())) return 0;
        return dense_[static_cast<std::size_t>(k)];
    }
    const Flight* f = timetable_ ? timetable_->find(flight) : nullptr;
    return f == nullptr ? 0 : f->available_seats();
}

}  // namespace flightbook::search
