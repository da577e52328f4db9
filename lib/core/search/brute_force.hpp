#pragma once
/// \file
/// The reference answer: enumeration of every legal itinerary with a full
/// count, written independently of `Timetable`, so the differential tests and
/// the benchmarks can check `find_itineraries` against it.

#include <map>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/search/search.hpp"
#include "flightbook/search/seat_availability.hpp"

namespace flightbook::search {

/// Enumerates all itineraries of SPEC §3. The only shortcut is a hop-count
/// reachability test on the airport graph (a branch whose airport cannot reach
/// the destination in the legs left holds no itinerary), so every legal
/// itinerary is visited and counted; the best `offset + limit` are kept.
/// Thread-safety: immutable after construction; `search` may run concurrently.
class BruteForceSearch {
public:
    explicit BruteForceSearch(std::vector<Flight> flights);

    /// Same contract as `find_itineraries`. `max_steps` > 0 bounds the work
    /// (legs tried); past it the answer is `kResourceExhausted`, so a
    /// benchmark can give up on hopeless queries and report a lower bound.
    [[nodiscard]] Result<SearchResult> search(const SeatAvailability& seats,
                                              const SearchQuery& query,
                                              const SearchRules& rules = {},
                                              std::int64_t max_steps = 0) const;

private:
    std::vector<Flight> flights_;
    // Departures per airport, sorted by departure time.
    std::map<AirportCode, std::vector<const Flight*>> departures_;
    // Airports with a direct flight into the key airport.
    std::map<AirportCode, std::vector<AirportCode>> predecessors_;
};

}  // namespace flightbook::search
