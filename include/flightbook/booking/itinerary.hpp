#pragma once
/// \file
/// Whether a list of flights forms one bookable itinerary under the search
/// rules (SPEC §3): the same rules a search applies, checked for a booking
/// request that names its flights itself.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook::booking {

/// Why flights do not form an itinerary. Each has a machine code (`to_string`).
enum class ItineraryProblem : std::uint8_t {
    kNone,                ///< "ok": the flights form an itinerary.
    kLegCount,            ///< "invalid_leg_count": not 1..rules::kMaxItineraryLegs legs.
    kRepeatedFlight,      ///< "repeated_flight": one flight named twice.
    kWrongDate,           ///< "wrong_date": leg 1 does not depart on the booking's UTC date.
    kNotConnected,        ///< "legs_do_not_connect": a leg leaves another airport than the
                          ///< previous one landed at.
    kConnectionTooShort,  ///< "connection_too_short": less than the minimum connection time.
    kLayoverTooLong,      ///< "layover_too_long": more than the maximum layover.
    kAirportRevisited,    ///< "airport_revisited": the itinerary visits an airport twice.
};

/// Machine code of a problem, e.g. "legs_do_not_connect". Thread-safe.
[[nodiscard]] std::string_view to_string(ItineraryProblem problem) noexcept;

/// The verdict: `problem == kNone` when bookable, else the first problem met
/// (checked in travel order) and a sentence naming the flights concerned.
struct ItineraryCheck {
    ItineraryProblem problem = ItineraryProblem::kNone;
    std::string message;

    [[nodiscard]] bool ok() const noexcept { return problem == ItineraryProblem::kNone; }
};

/// Checks a requested list of flight ids before any flight is fetched: leg
/// count (`rules::check_itinerary_legs`) and no id twice. Pure, thread-safe.
[[nodiscard]] ItineraryCheck check_flight_ids(const std::vector<FlightId>& ids);

/// Checks `flights` (in travel order) as an itinerary whose first leg
/// departs on `date`: everything `check_flight_ids` checks, then the date,
/// the connections (same airport, MCT <= layover <= max layover, both
/// inclusive, from `rules`) and that no airport is visited twice. Pure,
/// thread-safe.
[[nodiscard]] ItineraryCheck check_itinerary(const std::vector<Flight>& flights, UtcDate date,
                                             const search::SearchRules& rules);

}  // namespace flightbook::booking
