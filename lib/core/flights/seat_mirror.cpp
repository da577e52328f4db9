#include "flightbook/flights/seat_mirror.hpp"

#include <algorithm>
#include <limits>

#include "flightbook/rules.hpp"

namespace flightbook::flights {

namespace {
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::min();
}  // namespace

SeatMirror::SeatMirror(const std::vector<Flight>& flights)
    : counts_(std::make_unique<std::atomic<std::int32_t>[]>(flights.size())),
      checked_(std::make_unique<std::atomic<std::int64_t>[]>(flights.size())),
      changed_(std::make_unique<std::atomic<std::int64_t>[]>(flights.size())),
      size_(flights.size()) {
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    for (std::size_t i = 0; i < flights.size(); ++i) {
        ids.push_back(flights[i].id);
        counts_[i].store(flights[i].available_seats(), std::memory_order_relaxed);
        checked_[i].store(kNever, std::memory_order_relaxed);
        changed_[i].store(kNever, std::memory_order_relaxed);
    }
    // Schedules come from a table keyed by id or a validated timetable, so
    // duplicates do not occur; if they did, the mirror would answer 0 seats
    // (an unknown flight), never more than the truth.
    if (auto index = FlightIndex::build(ids)) {
        ids_ = std::move(index).value();
        floors_ = std::make_unique<search::SeatFloors>(flights);
    }
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

void SeatMirror::store(FlightId flight, std::size_t slot, std::int32_t available) const {
    // The floors rise before the count and fall after it, so a search never
    // reads a floor better than the counts it could read.
    if (floors_) floors_->before_store(flight, available);
    const std::int32_t before = counts_[slot].exchange(available, std::memory_order_acq_rel);
    if (floors_) floors_->after_store(flight, before);
    if (available <= before) return;
    // Levels before+1 .. available were crossed upwards. The counter moves
    // after the count, so a reader that sees the new counter reads a count
    // at least this new (release/acquire).
    for (std::int32_t level = std::max(before + 1, 1);
         level <= std::min(available, kSharedLevel - 1); ++level) {
        restocks_[static_cast<std::size_t>(level)].fetch_add(1, std::memory_order_release);
    }
    if (std::max(before + 1, kSharedLevel) <= std::min(available, rules::kMaxSeatsPerRequest)) {
        restocks_[kSharedLevel].fetch_add(1, std::memory_order_release);
    }
}

std::uint64_t SeatMirror::restocks(std::int32_t seats) const {
    const auto level = std::clamp(seats, 1, kSharedLevel);
    return restocks_[static_cast<std::size_t>(level)].load(std::memory_order_acquire);
}

void SeatMirror::set(FlightId flight, std::int32_t available) const {
    if (const auto i = index(flight)) store(flight, *i, available);
}

void SeatMirror::set(FlightId flight, std::int32_t available,
                     std::chrono::steady_clock::time_point checked_at) const {
    const auto i = index(flight);
    if (!i) return;
    store(flight, *i, available);
    // The count before the time: a reader that sees the new time also sees
    // a count at least this new.
    checked_[*i].store(checked_at.time_since_epoch().count(), std::memory_order_release);
}

bool SeatMirror::checked_since(FlightId flight, std::chrono::steady_clock::time_point since) const {
    const auto i = index(flight);
    if (!i) return false;
    // A change received from the feed after the read replaced the count read
    // (note_change): the count is no longer the one read at that time.
    const std::int64_t checked = checked_[*i].load(std::memory_order_acquire);
    return checked >= since.time_since_epoch().count() &&
           checked > changed_[*i].load(std::memory_order_acquire);
}

void SeatMirror::note_change(FlightId flight, std::int32_t available,
                             std::chrono::steady_clock::time_point received) const {
    const auto i = index(flight);
    if (!i) return;
    // The mark before the count: a reader that sees the count from the feed
    // also sees that the feed no longer vouches for it.
    const std::int64_t at = received.time_since_epoch().count();
    std::int64_t seen = changed_[*i].load(std::memory_order_relaxed);
    while (seen < at && !changed_[*i].compare_exchange_weak(seen, at, std::memory_order_release)) {
    }
    store(flight, *i, available);
}

bool SeatMirror::unchanged_since(FlightId flight,
                                 std::chrono::steady_clock::time_point session_start) const {
    const auto i = index(flight);
    if (!i) return false;
    const std::int64_t checked = checked_[*i].load(std::memory_order_acquire);
    // A change received at the very tick of a read may postdate it: ties
    // count as changed.
    return checked >= session_start.time_since_epoch().count() &&
           checked > changed_[*i].load(std::memory_order_acquire);
}

}  // namespace flightbook::flights
