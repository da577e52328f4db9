#include "flightbook/search/search.hpp"

namespace flightbook::search {

bool itinerary_before(const Itinerary& a, const Itinerary& b, SortBy sort_by) {
    const auto pa = a.total_price.cents();
    const auto pb = b.total_price.cents();
    if (sort_by == SortBy::kCheapest) {
        if (pa != pb) return pa < pb;
        if (a.total_time_minutes != b.total_time_minutes) {
            return a.total_time_minutes < b.total_time_minutes;
        }
    } else {
        if (a.total_time_minutes != b.total_time_minutes) {
            return a.total_time_minutes < b.total_time_minutes;
        }
        if (pa != pb) return pa < pb;
    }
    if (a.first_departure != b.first_departure) return a.first_departure < b.first_departure;
    return a.flights < b.flights;  // lexicographic on leg ids
}

}  // namespace flightbook::search
