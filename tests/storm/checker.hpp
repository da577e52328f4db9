#pragma once
// Judges a storm: the history of requests and answers, the seat reads taken
// while it ran, and the final state of the three databases and Redis. Knows
// nothing of HTTP or SQL, so hand-made histories test it.

#include <cstdint>
#include <string>
#include <vector>

#include "history.hpp"
#include "state.hpp"

namespace flightbook::storm {

/// Names of the invariants, as reported.
namespace invariant {
inline constexpr const char* kOversell = "no_oversell";
inline constexpr const char* kSeatAccounting = "available_held_confirmed_equals_total";
inline constexpr const char* kAckedBookingLost = "acknowledged_booking_kept";
inline constexpr const char* kRefusedConfirmed = "refused_booking_not_confirmed";
inline constexpr const char* kCancelNotApplied = "cancel_200_ends_cancelled";
inline constexpr const char* kCancelTwice = "cancel_applies_once";
inline constexpr const char* kReplaySecondBooking = "replay_never_creates_second_booking";
inline constexpr const char* kPaidOnce = "confirmed_paid_exactly_once";
inline constexpr const char* kPaymentOrphan = "payment_has_confirmed_booking_or_refund";
inline constexpr const char* kHoldAfterExpiry = "no_hold_after_expiry";
inline constexpr const char* kUnsettled = "every_booking_settles";
inline constexpr const char* kLost = "no_answer_lost";
}  // namespace invariant

struct Violation {
    std::string invariant;  ///< one of invariant::k*
    std::string detail;
};

struct CheckInput {
    std::vector<Call> calls;
    std::int64_t started = 0;         ///< requests the workload started
    std::vector<SeatSample> samples;  ///< monitor reads
    FinalState final_state;
};

/// Every violation found, in a stable order (empty: the run is clean).
[[nodiscard]] std::vector<Violation> check(const CheckInput& input);

}  // namespace flightbook::storm
