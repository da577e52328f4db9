#include "flightbook/payment/local_payment_gateway.hpp"

namespace flightbook::payment {

namespace {

// The port promises only kUnavailable for "cannot be asked now"; anything
// else the store reports (a timeout, a commit in doubt) means the same to
// the caller: ask again later.
Error as_unavailable(Error e) {
    if (e.code != ErrorCode::kNotFound && e.code != ErrorCode::kFailedPrecondition &&
        e.code != ErrorCode::kInvalidArgument) {
        e.code = ErrorCode::kUnavailable;
    }
    return e;
}

}  // namespace

Result<ChargeResult> LocalPaymentGateway::charge(const PaymentRequest& request) {
    auto processed = processor_.process(request);
    if (!processed) {
        const Error& e = processed.error();
        if (e.code == ErrorCode::kInvalidArgument) return fail(e);
        if (e.code == ErrorCode::kConflict) return fail(ErrorCode::kInvalidArgument, e.message);
        // The store failed: whether the payment was recorded is not known.
        return ChargeResult{ChargeResult::Outcome::kUnknown, "", e.message};
    }
    const Payment& p = processed->payment;
    switch (p.status) {
        case PaymentStatus::kSuccess:
            return ChargeResult{ChargeResult::Outcome::kCharged, p.id, ""};
        case PaymentStatus::kFailed:
            return ChargeResult{ChargeResult::Outcome::kDeclined, p.id, p.reason};
        case PaymentStatus::kTimeout:
            return ChargeResult{ChargeResult::Outcome::kUnknown, p.id, p.reason};
        case PaymentStatus::kRefunded:
            return ChargeResult{ChargeResult::Outcome::kDeclined, p.id, "payment was refunded"};
    }
    return ChargeResult{ChargeResult::Outcome::kUnknown, p.id, "unknown payment status"};
}

Result<std::optional<Payment>> LocalPaymentGateway::find_by_booking(BookingId booking) {
    auto found = processor_.find_by_booking(booking);
    if (!found) return fail(as_unavailable(std::move(found).error()));
    if (found->empty()) return std::optional<Payment>{};
    return std::optional<Payment>{std::move(found->front())};
}

Result<Payment> LocalPaymentGateway::refund(const std::string& payment_id) {
    auto refunded = processor_.refund(payment_id);
    if (!refunded) return fail(as_unavailable(std::move(refunded).error()));
    return std::move(refunded->payment);
}

}  // namespace flightbook::payment
