#pragma once
/// \file
/// The live seat-availability port used by search, and the adapter that reads
/// the counters stored in a timetable snapshot.

#include <cstdint>
#include <memory>
#include <vector>

#include "flightbook/search/seat_floors.hpp"
#include "flightbook/search/timetable.hpp"
#include "flightbook/types.hpp"

namespace flightbook::search {

/// Where search reads how many seats a flight has left at answer time. The
/// timetable is immutable; seats change elsewhere (booking, seat inventory).
///
/// Thread-safety: implementations must allow concurrent calls.
class SeatAvailability {
public:
    virtual ~SeatAvailability() = default;
    /// Seats still for sale on `flight`; 0 (or less) for an unknown flight.
    [[nodiscard]] virtual std::int32_t available_seats(FlightId flight) const = 0;
    /// Optional per-airport short-flight counters kept in step with
    /// `available_seats` (issue 13), or nullptr when this source has none:
    /// then a search never counts from the completion index and reads every
    /// leg's seats itself, exactly as without an index.
    [[nodiscard]] virtual const SeatFloors* floors() const noexcept { return nullptr; }
};

/// Answers `total_seats - booked_seats` from the flights inside a timetable
/// snapshot (e.g. as read from a CSV file), copied at construction into a
/// compact table so that a lookup touches one small array. Used by the CLI
/// and the tests. Thread-safe (read-only); keeps the snapshot alive.
class TimetableSeatAvailability final : public SeatAvailability {
public:
    explicit TimetableSeatAvailability(std::shared_ptr<const Timetable> timetable);
    [[nodiscard]] std::int32_t available_seats(FlightId flight) const override;
    [[nodiscard]] const SeatFloors* floors() const noexcept override { return floors_.get(); }

private:
    std::shared_ptr<const Timetable> timetable_;
    std::vector<std::int32_t> counts_;    // aligned with timetable_->flights()
    std::unique_ptr<SeatFloors> floors_;  // the counts never change, nor do these
};

}  // namespace flightbook::search
