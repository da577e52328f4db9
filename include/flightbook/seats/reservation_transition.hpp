#pragma once
/// \file
/// The reservation state machine as one pure function (docs/seats.md):
///
///     held ──confirm──▶ confirmed ──release──▶ cancelled
///       │ ──release──▶ released
///       └ ──expire (past expires_at)──▶ expired
///
/// Every `SeatInventory` adapter asks `transition` what an operation does to
/// a stored reservation and only persists the decision, so the rules and
/// their wording exist once.

#include <cstdint>
#include <string_view>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/seats/reservation.hpp"

namespace flightbook {

/// What a caller asks of a stored reservation.
enum class ReservationEvent : std::uint8_t {
    kConfirm,  ///< Sell the held seats.
    kRelease,  ///< Give the seats back (before or after confirmation).
    kExpire,   ///< The sweeper gives back a hold past its expiry.
};

/// "confirm", "release", "expire".
[[nodiscard]] std::string_view to_string(ReservationEvent event) noexcept;

/// The decision for one event.
struct ReservationTransition {
    ReservationState next = ReservationState::kHeld;
    /// False for an idempotent repeat: nothing changes, no seat moves.
    bool applied = false;
};

/// The outcome of `event` on a reservation in state `from`; `hold_expired`
/// says whether the clock is at or past its `expires_at`.
///   held × confirm → confirmed (refused once expired: an expired hold is
///     never sold; its seats come back only through release or expire);
///   confirmed × confirm → confirmed, not applied;
///   held × release → released; confirmed × release → cancelled;
///   released/expired/cancelled × release → unchanged, not applied;
///   held × expire → expired once past expiry.
/// Errors: `kFailedPrecondition` for every other pair ("hold expired",
/// "reservation is cancelled", "only an expired hold can expire"). Pure.
[[nodiscard]] Result<ReservationTransition> transition(ReservationState from,
                                                       ReservationEvent event, bool hold_expired);

/// Whether a repeated hold with `legs` (canonical) may answer with the stored
/// reservation `existing`: same legs and still holding seats.
/// Errors: `kConflict` ("reservation_id already used for other seats",
/// "reservation is released": ids are single-use).
[[nodiscard]] Status check_repeat_hold(const Reservation& existing,
                                       const std::vector<SeatLeg>& legs);

}  // namespace flightbook
