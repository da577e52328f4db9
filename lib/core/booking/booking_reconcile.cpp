// BookingService::reconcile_once: resolves pending bookings whose create
// request is surely over (older than the grace) from what the payment
// gateway recorded, and finishes the clean-up that final bookings still owe
// (docs/bookings.md "Reconciler").
#include <fmt/format.h>

#include "flightbook/booking/booking_service.hpp"

namespace flightbook::booking {

Result<ReconcileReport> BookingService::reconcile_once(std::size_t limit) {
    ReconcileReport report;
    const UtcTime cutoff = reconcile_cutoff();
    auto pending = bookings_.list_pending(cutoff, limit);
    if (!pending) return fail(std::move(pending).error());
    for (std::size_t i = 0; i < pending->size(); ++i) {
        if (!reconcile_pending(std::move((*pending)[i]), report)) {
            // The gateway cannot be asked: nothing can be decided this round.
            const std::size_t left = pending->size() - i - 1;
            report.skipped += left;
            count_action("skipped", left);
            break;
        }
    }
    auto unsettled = bookings_.list_unsettled(cutoff, limit);
    if (!unsettled) return fail(std::move(unsettled).error());
    for (const Booking& b : *unsettled) reconcile_unsettled(b, report);
    return report;
}

UtcTime BookingService::reconcile_cutoff() const {
    // One second more than the grace: stored times are whole seconds (floored),
    // so a booking stored up to a second before its created_at says must
    // still be given its full grace.
    return clock_.now() - options_.reconcile_grace - std::chrono::seconds{1};
}

bool BookingService::reconcile_pending(Booking b, ReconcileReport& report) {
    ++report.pending_examined;
    auto skip = [&] {
        ++report.skipped;
        count_action("skipped");
    };
    auto found = payments_.find_by_booking(b.id);
    if (!found) {
        skip();
        return found.error().code != ErrorCode::kUnavailable;
    }

    if (found->has_value() && payment::is_charged((*found)->status)) {
        const payment::Payment& paid = **found;
        if (!b.payment_id) {
            auto recorded = bookings_.set_payment_id(b.id, b.version, paid.id, clock_.now());
            if (!recorded) {
                skip();
                return true;
            }
            b = std::move(*recorded);
        }
        auto rid = reservation_of(b);
        if (!rid) {
            skip();
            return true;
        }
        auto sold = seat_call([&] { return seats_.confirm(*rid); });
        if (sold) {
            auto confirmed = apply_event(
                b, BookingEvent::kConfirm,
                status_reason("confirmed",
                              fmt::format("reconciled: payment {} was charged", paid.id)));
            if (!confirmed) {
                skip();
                return true;
            }
            ++report.confirmed;
            count_action("confirmed");
            return true;
        }
        const ErrorCode code = sold.error().code;
        if (code != ErrorCode::kFailedPrecondition && code != ErrorCode::kNotFound) {
            skip();
            return true;
        }
        // Charged, but the seats are gone: the money goes back.
        auto refunded = refund_charge(b);
        const bool released = refunded && release_seats(b).has_value();
        if (refunded && *refunded) {
            ++report.refunded;
            count_action("refunded");
        }
        auto expired = apply_event(
            b, BookingEvent::kExpire,
            status_reason(
                "hold_expired",
                fmt::format("reconciled: the seat hold ended before payment {} was known; "
                            "the payment {}",
                            paid.id, refunded ? "is refunded" : "will be refunded")));
        if (!expired) {
            skip();
            return true;
        }
        ++report.expired;
        count_action("expired");
        if (released && bookings_.mark_settled(b.id, clock_.now())) {
            ++report.settled;
            count_action("settled");
        }
        return true;
    }

    // Nothing is charged, and since the create request is over, nothing will
    // be: the seats go back and the booking ends.
    if (!release_seats(b)) {
        skip();
        return true;
    }
    std::string code = "payment_not_completed";
    std::string what = "no payment was made";
    if (found->has_value()) {
        const payment::Payment& p = **found;
        what = fmt::format("payment {} is {}", p.id, payment::to_string(p.status));
        if (p.status == payment::PaymentStatus::kFailed) code = "payment_declined";
        if (p.status == payment::PaymentStatus::kTimeout) code = "payment_timeout";
    }
    const bool past_expiry = clock_.now() >= b.hold_expires_at;
    auto ended =
        past_expiry
            ? apply_event(
                  b, BookingEvent::kExpire,
                  status_reason("hold_expired", "reconciled: the seat hold expired and " + what))
            : apply_event(b, BookingEvent::kFail, status_reason(code, "reconciled: " + what));
    if (!ended) {
        skip();
        return true;
    }
    ++(past_expiry ? report.expired : report.failed);
    count_action(past_expiry ? "expired" : "failed");
    if (bookings_.mark_settled(b.id, clock_.now())) {
        ++report.settled;
        count_action("settled");
    }
    return true;
}

void BookingService::reconcile_unsettled(const Booking& b, ReconcileReport& report) {
    ++report.unsettled_examined;
    auto refunded = release_seats(b) ? refund_charge(b) : Result<bool>(Error{});
    if (!refunded) {
        ++report.skipped;
        count_action("skipped");
        return;
    }
    if (*refunded) {
        ++report.refunded;
        count_action("refunded");
    }
    if (bookings_.mark_settled(b.id, clock_.now())) {
        ++report.settled;
        count_action("settled");
    } else {
        ++report.skipped;
        count_action("skipped");
    }
}

}  // namespace flightbook::booking
