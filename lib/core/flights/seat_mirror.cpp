#include "flightbook/flights/seat_mirror.hpp"

#include <limits>

namespace flightbook::flights {

namespace {
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
}  // namespace

SeatMirror::SeatMirror(const std::vector<Flight>& flights)
    : counts_(std::make_unique<std::atomic<std::int32_t>[]>(flights.size())),
      checked_(std::make_unique<std::atomic<std::int64_t>[]>(flights.size())),
      size_(flights.size()) {
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    for (std::size_t i = 0; i < flights.size(); ++i) {
        ids.push_back(flights[i].id);
        counts_[i].store(flights[i].available_seats(), std::memory_order_relaxed);
        checked_[i].store(kNever, std::memory_order_relaxed);
    }
    // Schedules come from a table keyed by id or a validated timetable, so
    // duplicates do not occur; if they did, the mirror would answer 0 seats
    // (an unknown flight), never more than the truth.
    if (auto index = FlightIndex::build(ids)) ids_ = std::move(index).value();
}

std::optional<std::size_t> SeatMirror::index(FlightId flight) const {
    const auto i = ids_.find(flight);
    if (!i) return std::nullopt;
    return static_cast<std::size_t>(*i);
}

std::int32_t SeatMirror::available_seats(FlightId flight) const {
    const auto i = index(flight);
    return i ? counts_[*i].load(std::memory_order_relaxed) : 0;
}

void SeatMirror::set(FlightId flight, std::int32_t available) const {
    if (const auto i = index(flight)) counts_[*i].store(available, std::memory_order_relaxed);
}

void SeatMirror::set(FlightId flight, std::int32_t available,
                     std::chrono::steady_clock::time_point checked_at) const {
    const auto i = index(flight);
    if (!i) return;
    counts_[*i].store(available, std::memory_order_relaxed);
    // The count before the time: a reader that sees the new time also sees
    // a count at least this new.
    checked_[*i].store(checked_at.time_since_epoch().count(), std::memory_order_release);
}

bool SeatMirror::checked_since(FlightId flight, std::chrono::steady_clock::time_point since) const {
    const auto i = index(flight);
    return i && checked_[*i].load(std::memory_order_acquire) >= since.time_since_epoch().count();
}

}  // namespace flightbook::flights
