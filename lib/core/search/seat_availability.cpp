#include "flightbook/search/seat_availability.hpp"

namespace flightbook::search {

TimetableSeatAvailability::TimetableSeatAvailability(std::shared_ptr<const Timetable> timetable)
    : timetable_(std::move(timetable)) {}

std::int32_t TimetableSeatAvailability::available_seats(FlightId flight) const {
    const Flight* f = timetable_ ? timetable_->find(flight) : nullptr;
    return f == nullptr ? 0 : f->available_seats();
}

}  // namespace flightbook::search
