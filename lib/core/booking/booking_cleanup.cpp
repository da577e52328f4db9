// Giving seats and money back: the clean-up steps that create, cancel and
// the reconciler share. Each is idempotent, so any of them may run it again
// after a crash or a lost answer.
#include <fmt/format.h>

#include "flightbook/booking/booking_service.hpp"

namespace flightbook::booking {

Status BookingService::release_seats(const Booking& booking) {
    auto id = reservation_of(booking);
    if (!id) return fail(std::move(id).error());
    auto released = seat_call([&] { return seats_.release(*id); });
    // No reservation: the hold was never taken (or never reached the flight
    // service), so there is nothing to give back.
    if (!released && released.error().code != ErrorCode::kNotFound) {
        return fail(std::move(released).error());
    }
    return ok();
}

Result<bool> BookingService::refund_charge(const Booking& booking) {
    std::string payment_id;
    if (booking.payment_id) {
        payment_id = *booking.payment_id;
    } else {
        // The charge may have happened without its id being recorded (a crash
        // or a lost answer between charge and set_payment_id): ask the gateway.
        auto found = payments_.find_by_booking(booking.id);
        if (!found) return fail(std::move(found).error());
        if (!found->has_value() || !payment::is_charged((*found)->status)) return false;
        payment_id = (*found)->id;
    }
    auto refunded = payments_.refund(payment_id);
    if (!refunded) {
        const ErrorCode code = refunded.error().code;
        // Never charged (declined, timed out) or unknown to the gateway: no
        // money to give back.
        if (code == ErrorCode::kFailedPrecondition || code == ErrorCode::kNotFound) return false;
        return fail(std::move(refunded).error());
    }
    return refunded->status == payment::PaymentStatus::kRefunded;
}

}  // namespace flightbook::booking
