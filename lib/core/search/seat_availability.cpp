#include "flightbook/search/seat_availability.hpp"

namespace flightbook::search {

TimetableSeatAvailability::TimetableSeatAvailability(std::shared_ptr<const Timetable> timetable)
    : timetable_(std::move(timetable)) {
    if (!timetable_) return;
    counts_.reserve(timetable_->flights().size());
    for (const Flight& f : timetable_->flights()) counts_.push_back(f.available_seats());
    floors_ = std::make_unique<SeatFloors>(timetable_->flights());
}

std::int32_t TimetableSeatAvailability::available_seats(FlightId flight) const {
    const auto i = timetable_ ? timetable_->index_of(flight) : std::nullopt;
    return i ? counts_[*i] : 0;
}

}  // namespace flightbook::search
