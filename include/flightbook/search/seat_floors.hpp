#pragma once
/// \file
/// `SeatFloors`: per airport, how many departing and arriving flights are
/// short of `s` seats, for small `s`, kept exact as seat counts change. The
/// completion index (issue 13) counts itineraries without looking at seats;
/// these counters tell the search where that is still exact ("no flight out
/// of b and no flight into d is short of 2 seats").

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "flightbook/airport.hpp"
#include "flightbook/domain/flight.hpp"
#include "flightbook/flight_index.hpp"

namespace flightbook::search {

class Timetable;

/// Short-flight counters per airport and seat level 1..kLevels.
///
/// Thread-safety: all members are thread-safe. `change` is conservative
/// while it runs: a concurrent reader may see a counter too high (and then
/// does not use the index), never too low.
class SeatFloors {
public:
    /// Seat requests above this are "unknown": the search does not use the
    /// index for them (few requests ask for more than a family's seats).
    static constexpr std::int32_t kLevels = 9;

    /// Starts from `total_seats - booked_seats` of each flight. Airports are
    /// the codes of `flights`, sorted, like `Timetable` numbers them. With a
    /// repeated flight id `valid()` is false and the floors must not be used.
    explicit SeatFloors(const std::vector<Flight>& flights);

    SeatFloors(const SeatFloors&) = delete;
    SeatFloors& operator=(const SeatFloors&) = delete;

    [[nodiscard]] bool valid() const noexcept { return valid_; }

    /// Whether airport index `i` here is airport index `i` of `timetable`
    /// for every `i` (same airport codes in the same order): only then may a
    /// search read these floors by the timetable's airport indices. Linear.
    [[nodiscard]] bool matches(const Timetable& timetable) const;

    /// Records that `flight` went from `before` to `after` seats available.
    /// Unknown flights are ignored. Callers pass the exact previous count
    /// (e.g. from an atomic exchange), so concurrent changes compose.
    void change(FlightId flight, std::int32_t before, std::int32_t after) const;
    /// The same, in two halves around the caller's own store: `before_store`
    /// raises the counters for the new count, `after_store` lowers them for
    /// the old one, so that readers never see a counter lower than the truth.
    void before_store(FlightId flight, std::int32_t after) const;
    void after_store(FlightId flight, std::int32_t before) const;

    /// True when every flight departing airport `a` has at least `seats`
    /// seats (`seats` in 1..kLevels; false otherwise).
    [[nodiscard]] bool departures_have(std::uint32_t a, std::int32_t seats) const noexcept {
        return seats >= 1 && seats <= kLevels &&
               short_dep_[slot(a, seats)].load(std::memory_order_acquire) == 0;
    }
    /// True when every flight arriving at airport `a` has at least `seats`.
    [[nodiscard]] bool arrivals_have(std::uint32_t a, std::int32_t seats) const noexcept {
        return seats >= 1 && seats <= kLevels &&
               short_arr_[slot(a, seats)].load(std::memory_order_acquire) == 0;
    }

    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    static std::size_t slot(std::uint32_t a, std::int32_t seats) noexcept {
        return static_cast<std::size_t>(a) * kLevels + static_cast<std::size_t>(seats - 1);
    }
    void add(std::size_t flight_slot, std::int32_t available, int delta) const;

    bool valid_ = false;
    std::vector<AirportCode> airports_;  // sorted
    FlightIndex ids_;
    std::vector<std::uint32_t> from_;  // per flight slot: airport index
    std::vector<std::uint32_t> to_;
    std::unique_ptr<std::atomic<std::int32_t>[]> short_dep_;  // airports × kLevels
    std::unique_ptr<std::atomic<std::int32_t>[]> short_arr_;
};

}  // namespace flightbook::search
