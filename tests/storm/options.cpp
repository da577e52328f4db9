#include "options.hpp"

#include <algorithm>

namespace flightbook::storm {

std::vector<Itinerary> reference_itineraries(const std::string& profile) {
    // DEL→HYD (8) connects to HYD→BLR (9, 90 min later; 11, 2 h later); HYD→BLR
    // (11) to BLR→DEL (15, 60 min) and on to DEL→BOM (3, a 4 h layover: the
    // maximum, allowed). The short profile keeps to 3, 8, 9, 11, 15 (~700
    // seats) so that 20 s sell them out three times over.
    if (profile == "tiny") return {{3}, {15, 3}};
    std::vector<Itinerary> out{{3}, {8}, {9}, {11}, {15}, {8, 9}, {8, 11}, {11, 15}, {11, 15, 3}};
    if (profile == "long") {
        // Every connection checked by hand against the MCT (45 min) and the
        // maximum layover (4 h): e.g. BOM→HYD (10) lands 10:00, HYD→BLR (11)
        // leaves 11:00.
        const std::vector<Itinerary> more{{1},      {2},     {4},     {5},     {6},    {7},
                                          {10},     {12},    {13},    {14},    {16},   {10, 11},
                                          {12, 13}, {6, 15}, {14, 5}, {15, 3}, {9, 15}};
        out.insert(out.end(), more.begin(), more.end());
    }
    return out;
}

std::vector<std::int64_t> flights_of(const std::vector<Itinerary>& itineraries) {
    std::vector<std::int64_t> out;
    for (const auto& it : itineraries) out.insert(out.end(), it.begin(), it.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace flightbook::storm
