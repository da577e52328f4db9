#include "flightbook/seats/reservation_transition.hpp"

#include <fmt/format.h>

namespace flightbook {

std::string_view to_string(ReservationEvent event) noexcept {
    switch (event) {
        case ReservationEvent::kConfirm: return "confirm";
        case ReservationEvent::kRelease: return "release";
        case ReservationEvent::kExpire: return "expire";
    }
    return "confirm";
}

Result<ReservationTransition> transition(ReservationState from, ReservationEvent event,
                                         bool hold_expired) {
    using S = ReservationState;
    const auto refused = [&] {
        return fail(ErrorCode::kFailedPrecondition,
                    fmt::format("reservation is {}", to_string(from)));
    };
    switch (event) {
        case ReservationEvent::kConfirm:
            if (from == S::kConfirmed) return ReservationTransition{S::kConfirmed, false};
            if (from != S::kHeld) return refused();
            if (hold_expired) return fail(ErrorCode::kFailedPrecondition, "hold expired");
            return ReservationTransition{S::kConfirmed, true};
        case ReservationEvent::kRelease:
            if (from == S::kHeld) return ReservationTransition{S::kReleased, true};
            if (from == S::kConfirmed) return ReservationTransition{S::kCancelled, true};
            return ReservationTransition{from, false};
        case ReservationEvent::kExpire:
            if (from != S::kHeld) return refused();
            if (!hold_expired) {
                return fail(ErrorCode::kFailedPrecondition, "only an expired hold can expire");
            }
            return ReservationTransition{S::kExpired, true};
    }
    return refused();
}

Status check_repeat_hold(const Reservation& existing, const std::vector<SeatLeg>& legs) {
    if (existing.legs != legs) {
        return fail(ErrorCode::kConflict, "reservation_id already used for other seats");
    }
    if (!occupies_seats(existing.state)) {
        return fail(ErrorCode::kConflict,
                    fmt::format("reservation is {}", to_string(existing.state)));
    }
    return ok();
}

}  // namespace flightbook
