#include "flightbook/rules.hpp"

#include <fmt/format.h>

namespace flightbook::rules {

Status check_seats(std::int64_t seats) {
    if (seats < kMinSeatsPerRequest || seats > kMaxSeatsPerRequest) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("seats must be an integer between {} and {}", kMinSeatsPerRequest,
                                kMaxSeatsPerRequest));
    }
    return ok();
}

Status check_hold_ttl(std::chrono::seconds ttl) {
    if (ttl < kMinHoldTtl || ttl > kMaxHoldTtl) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("hold ttl must be between {} and {} seconds", kMinHoldTtl.count(),
                                kMaxHoldTtl.count()));
    }
    return ok();
}

Status check_itinerary_legs(std::size_t legs) {
    if (legs < 1 || legs > kMaxItineraryLegs) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("an itinerary has 1 to {} legs", kMaxItineraryLegs));
    }
    return ok();
}

}  // namespace flightbook::rules
