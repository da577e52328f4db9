#pragma once
/// \file
/// Exact itinerary search (SPEC §3) over a `Timetable` snapshot.

#include <cstdint>
#include <vector>

#include "flightbook/money.hpp"
#include "flightbook/result.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/search/seat_availability.hpp"
#include "flightbook/search/timetable.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook::search {

class CompletionIndex;

/// One itinerary: 1 to 4 legs. Plain value type.
struct Itinerary {
    std::vector<FlightId> flights;        ///< Legs in travel order.
    Money total_price;                    ///< Sum of one-seat prices.
    std::int64_t total_time_minutes = 0;  ///< Last arrival - first departure, floored.
    int stops = 0;                        ///< legs - 1
    UtcTime first_departure;

    friend bool operator==(const Itinerary&, const Itinerary&) = default;
};

/// One page of the answer plus the size of the whole space.
struct SearchResult {
    std::vector<Itinerary> paths;  ///< The page, best first.
    int total = 0;                 ///< Matching itineraries, exact up to kTotalCap.
    bool total_capped = false;     ///< More than kTotalCap itineraries match.

    friend bool operator==(const SearchResult&, const SearchResult&) = default;
};

/// The total order of SPEC §3: `cheapest` = (price, duration, first departure,
/// leg ids), `fastest` = (duration, price, first departure, leg ids); leg ids
/// compare lexicographically. True when `a` comes before `b`.
[[nodiscard]] bool itinerary_before(const Itinerary& a, const Itinerary& b, SortBy sort_by);

/// Answers `query` exactly: the same page, `total` and `total_capped` as an
/// enumeration of every legal itinerary would give. Unknown airports or no
/// route give an empty answer, not an error. Seats are read from `seats` for
/// every leg considered. Errors: `kInvalidArgument` when `query` or `rules`
/// is out of range (see `parse_search_query`, `validate`).
///
/// Thread-safety: safe to call concurrently (per-thread scratch memory); the
/// timetable is only read.
[[nodiscard]] Result<SearchResult> find_itineraries(const Timetable& timetable,
                                                    const SeatAvailability& seats,
                                                    const SearchQuery& query,
                                                    const SearchRules& rules = {});

/// The same answer, counted with a last-two-legs index (issue 13) where that
/// is exact: `index` must serve this `timetable` and `rules`
/// (`CompletionIndex::serves`) and `seats.floors()` must describe this
/// timetable's airports; `seats` of at most `SeatFloors::kLevels`. Otherwise,
/// and with `index == nullptr`, this is exactly the search above. The
/// answer is always the same as without the index (docs/search.md, "Counting
/// with the completion index", gives the proof); only the time differs.
[[nodiscard]] Result<SearchResult> find_itineraries(const Timetable& timetable,
                                                    const SeatAvailability& seats,
                                                    const SearchQuery& query,
                                                    const SearchRules& rules,
                                                    const CompletionIndex* index);

/// Range checks shared by every search implementation.
[[nodiscard]] Status validate(const SearchQuery& query);

}  // namespace flightbook::search
