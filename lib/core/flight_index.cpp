#include "flightbook/flight_index.hpp"

#include <fmt/format.h>

namespace flightbook {

Result<FlightIndex> FlightIndex::build(const std::vector<FlightId>& ids) {
    FlightIndex index;
    std::vector<std::pair<std::int64_t, std::uint32_t>> sorted;
    sorted.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        sorted.emplace_back(ids[i].value(), static_cast<std::uint32_t>(i));
    }
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].first == sorted[i - 1].first) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("duplicate flight id {}", sorted[i].first));
        }
    }
    if (sorted.empty()) return index;
    const std::int64_t lo = sorted.front().first;
    const std::int64_t hi = sorted.back().first;
    // A dense table while it costs at most ~4 slots per flight.
    if (hi - lo < std::int64_t{4} * static_cast<std::int64_t>(ids.size()) + 1024) {
        index.base_ = lo;
        index.dense_.assign(static_cast<std::size_t>(hi - lo + 1), kAbsent);
        for (const auto& [id, i] : sorted) index.dense_[static_cast<std::size_t>(id - lo)] = i;
    } else {
        index.sorted_ = std::move(sorted);
    }
    return index;
}

}  // namespace flightbook
