#pragma once
// The sort key of one itinerary inside a search, and its conversion to the
// public `Itinerary`. Private to the search implementation.

#include <algorithm>
#include <array>
#include <cstdint>

#include "flightbook/search/search.hpp"

namespace flightbook::search {

// Primary/secondary are (price, minutes) for cheapest and (minutes, price)
// for fastest, so one comparison serves both orders.
struct Candidate {
    std::int64_t primary = 0;
    std::int64_t secondary = 0;
    std::int64_t first_departure = 0;
    std::array<std::int64_t, 4> ids{};
    std::array<LegIndex, 4> legs{};
    std::uint8_t leg_count = 0;
};

inline bool candidate_less(const Candidate& a, const Candidate& b) {
    if (a.primary != b.primary) return a.primary < b.primary;
    if (a.secondary != b.secondary) return a.secondary < b.secondary;
    if (a.first_departure != b.first_departure) return a.first_departure < b.first_departure;
    return std::lexicographical_compare(a.ids.begin(), a.ids.begin() + a.leg_count, b.ids.begin(),
                                        b.ids.begin() + b.leg_count);
}

inline Itinerary to_itinerary(const Timetable& t, const Candidate& c, SortBy sort_by) {
    Itinerary it;
    it.flights.reserve(c.leg_count);
    for (std::size_t i = 0; i < c.leg_count; ++i) it.flights.push_back(t.flight_id(c.legs[i]));
    const bool cheapest = sort_by == SortBy::kCheapest;
    it.total_price = Money::from_cents(cheapest ? c.primary : c.secondary);
    it.total_time_minutes = cheapest ? c.secondary : c.primary;
    it.stops = c.leg_count - 1;
    it.first_departure = from_unix_seconds(c.first_departure);
    return it;
}

}  // namespace flightbook::search
