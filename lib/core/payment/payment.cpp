#include "flightbook/payment/payment.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "flightbook/ports/payment_store.hpp"

namespace flightbook::payment {

namespace {

constexpr std::array<std::string_view, 4> kTypeNames{"credit_card", "debit_card", "upi",
                                                     "net_banking"};
constexpr std::array<std::string_view, 4> kStatusNames{"success", "failed", "timeout", "refunded"};

constexpr bool is_printable_ascii(char c) noexcept { return c >= 0x20 && c <= 0x7e; }

}  // namespace

std::string_view to_string(PaymentType type) noexcept {
    return kTypeNames[static_cast<std::size_t>(type)];
}

Result<PaymentType> parse_payment_type(std::string_view text) {
    for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
        if (kTypeNames[i] == text) return static_cast<PaymentType>(i);
    }
    return fail(ErrorCode::kInvalidArgument,
                "payment_type must be one of credit_card, debit_card, upi, net_banking");
}

std::string_view to_string(PaymentStatus status) noexcept {
    return kStatusNames[static_cast<std::size_t>(status)];
}

Result<PaymentStatus> parse_payment_status(std::string_view text) {
    for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
        if (kStatusNames[i] == text) return static_cast<PaymentStatus>(i);
    }
    return fail(ErrorCode::kInvalidArgument,
                "payment status must be one of success, failed, timeout, refunded");
}

std::string default_idempotency_key(BookingId booking_id) {
    return fmt::format("booking-{}", booking_id.value());
}

Status validate(const PaymentRequest& request) {
    if (request.booking_id.value() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "booking_id must be a positive integer");
    }
    if (request.user_id.value() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "user_id must be a positive integer");
    }
    if (request.amount.cents() <= 0 || request.amount.cents() > kMaxPaymentAmountCents) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("amount must be greater than 0 and at most {}",
                                Money::from_cents(kMaxPaymentAmountCents).to_string()));
    }
    const std::string& key = request.idempotency_key;
    if (key.empty() || key.size() > kMaxIdempotencyKeyLength ||
        !std::all_of(key.begin(), key.end(), is_printable_ascii)) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("idempotency key must be 1 to {} printable ASCII characters",
                                kMaxIdempotencyKeyLength));
    }
    const auto type = static_cast<std::size_t>(request.type);
    if (type >= kTypeNames.size()) {
        return fail(ErrorCode::kInvalidArgument,
                    "payment_type must be one of credit_card, debit_card, upi, net_banking");
    }
    return ok();
}

}  // namespace flightbook::payment

namespace flightbook {

Status check_storable(const payment::Payment& p) {
    if (p.id.empty()) return fail(ErrorCode::kInvalidArgument, "a payment needs an id");
    FLIGHTBOOK_TRY_STATUS(payment::validate(
        payment::PaymentRequest{p.booking_id, p.user_id, p.amount, p.type, p.idempotency_key}));
    if (p.status > payment::PaymentStatus::kRefunded) {
        return fail(ErrorCode::kInvalidArgument, "unknown payment status");
    }
    if ((p.status == payment::PaymentStatus::kRefunded) != p.refunded_at.has_value()) {
        return fail(ErrorCode::kInvalidArgument,
                    "refunded_at is set exactly when the payment is refunded");
    }
    return ok();
}

}  // namespace flightbook
