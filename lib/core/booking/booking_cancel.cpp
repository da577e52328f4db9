// BookingService::cancel: one compare-and-set decides which cancel wins;
// only the winner gives seats and money back (docs/bookings.md "Cancel").
#include <fmt/format.h>

#include "flightbook/booking/booking_service.hpp"

namespace flightbook::booking {
namespace {

// Bounded: every lost compare-and-set means another writer made progress.
constexpr int kCancelAttempts = 8;

bool cancellable(BookingStatus s) {
    return s == BookingStatus::kPending || s == BookingStatus::kConfirmed;
}

Error not_cancellable(const Booking& b) {
    return Error{ErrorCode::kConflict, fmt::format("booking {} is {}; it cannot be cancelled",
                                                   b.id.value(), to_string(b.status))};
}

}  // namespace

Result<CancelAnswer> BookingService::cancel(BookingId id, UserId caller) {
    auto read = get(id, caller);
    if (!read) return fail(std::move(read).error());
    Booking b = std::move(*read);
    for (int i = 0;; ++i) {
        if (!cancellable(b.status)) return fail(not_cancellable(b));
        auto cancelled = apply_event(b, BookingEvent::kCancel, "cancelled: cancelled by the user");
        if (cancelled) {
            b = std::move(*cancelled);
            break;
        }
        const ErrorCode code = cancelled.error().code;
        if (code == ErrorCode::kConflict) return fail(std::move(cancelled).error());
        if (code != ErrorCode::kAborted || i + 1 >= kCancelAttempts) {
            return fail(ErrorCode::kUnavailable, fmt::format("the cancel could not be stored: {}",
                                                             cancelled.error().message));
        }
        auto current = bookings_.get(id);
        if (!current) return fail(std::move(current).error());
        b = std::move(*current);
    }

    const bool was_confirmed = !b.history.empty() && b.history.back().from &&
                               *b.history.back().from == BookingStatus::kConfirmed;
    CancelAnswer answer;
    answer.released = release_seats(b).has_value();
    const auto refunded = refund_charge(b);
    answer.refunded = refunded && *refunded;
    // A create request still running on a pending booking may charge after
    // this point; it notices the cancel and gives its charge back itself, and
    // the reconciler settles the booking once that request's time is surely
    // up (the grace). A confirmed booking's charge is already known.
    const bool no_create_running = was_confirmed || b.created_at <= reconcile_cutoff();
    if (answer.released && refunded && no_create_running) {
        if (auto settled = bookings_.mark_settled(b.id, clock_.now())) {
            b = std::move(*settled);
            answer.settled = true;
        }
    }
    answer.booking = std::move(b);
    return answer;
}

}  // namespace flightbook::booking
