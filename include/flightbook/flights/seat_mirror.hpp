#pragma once
/// \file
/// `SeatMirror`: the available-seat count of every flight of a schedule, held
/// in process memory so that search can read it per leg in nanoseconds.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/flight_index.hpp"
#include "flightbook/search/seat_availability.hpp"

namespace flightbook::flights {

/// A mirror of live seat counts, refreshed from the `SeatInventory` (the
/// truth) after every seat operation of this process and on every reload.
/// The set of flights is fixed at construction; counts change.
///
/// Thread-safety: all members are thread-safe (relaxed atomics: a reader
/// sees each count either before or after a concurrent update).
class SeatMirror final : public search::SeatAvailability {
public:
    /// Starts every flight at `total_seats - booked_seats`. Ids are unique in
    /// any real schedule; with a repeated id every flight reads as unknown
    /// (0 seats), never as more than the truth.
    explicit SeatMirror(const std::vector<Flight>& flights);

    /// Seats still for sale; 0 for a flight this mirror does not know.
    [[nodiscard]] std::int32_t available_seats(FlightId flight) const override;
    /// Short-flight counters per airport kept with every `set` (issue 13).
    [[nodiscard]] const search::SeatFloors* floors() const noexcept override {
        return floors_.get();
    }

    /// Records a count; ignored for unknown flights.
    void set(FlightId flight, std::int32_t available) const;
    /// Records a count read from the truth at `checked_at` (a steady-clock
    /// time), so that `checked_since` can tell how old it is.
    void set(FlightId flight, std::int32_t available,
             std::chrono::steady_clock::time_point checked_at) const;

    /// Whether the count of `flight` was read from the truth at or after
    /// `since` and has not been replaced by a change from the feed since
    /// (false for unknown flights and counts never checked). Search
    /// answers from counts no older than a bound without asking the store
    /// again (FlightServiceOptions::seat_freshness).
    [[nodiscard]] bool checked_since(FlightId flight,
                                     std::chrono::steady_clock::time_point since) const;

    /// Records a count that another instance published through the seat-change
    /// feed, received at `received`. The count is used for search at once
    /// (and a rise counts as a restock), but the flight is no longer vouched
    /// for by the feed until it is read from the store again: messages of
    /// different instances may arrive out of order.
    void note_change(FlightId flight, std::int32_t available,
                     std::chrono::steady_clock::time_point received) const;

    /// Whether the count of `flight` was read from the store at or after
    /// `session_start` and no change of it was received since that read: the
    /// seat-change feed, live since `session_start`, then vouches for it up to
    /// its last heartbeat (SeatFeedTracker).
    [[nodiscard]] bool unchanged_since(FlightId flight,
                                       std::chrono::steady_clock::time_point session_start) const;

    /// How many times, since construction, a count rose across the level
    /// `seats` (from below it to at least it), for `seats` 1..9; requests
    /// of 10 or more seats share one counter that moves when any level
    /// from 10 to 100 is crossed. A cached route list computed for
    /// `seats` seats may lack an itinerary through a flight that was sold
    /// out for it then; it is safe to reuse only while this number stays
    /// the same (the search cache checks it; see docs/search.md).
    [[nodiscard]] std::uint64_t restocks(std::int32_t seats) const;

private:
    [[nodiscard]] std::optional<std::size_t> index(FlightId flight) const;
    void store(FlightId flight, std::size_t slot, std::int32_t available) const;

    static constexpr std::int32_t kSharedLevel = 10;  // restocks_[10]: levels 10..100

    FlightIndex ids_;  // id -> slot in counts_ and checked_
    std::unique_ptr<std::atomic<std::int32_t>[]> counts_;
    // Steady-clock ticks of the last check; the minimum means "never".
    std::unique_ptr<std::atomic<std::int64_t>[]> checked_;
    // Steady-clock ticks of the last change received from the feed.
    std::unique_ptr<std::atomic<std::int64_t>[]> changed_;
    std::size_t size_ = 0;
    mutable std::array<std::atomic<std::uint64_t>, kSharedLevel + 1> restocks_{};
    std::unique_ptr<search::SeatFloors> floors_;  // null with repeated ids
};

}  // namespace flightbook::flights
