#pragma once
/// \file
/// The vocabulary of payments (SPEC §4 payment service): payment types, the
/// status of a payment, a stored payment and a charge request. Shared by the
/// payment service (which records payments) and the booking service (which
/// asks for them through the `PaymentGateway` port).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "flightbook/money.hpp"
#include "flightbook/result.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook::payment {

/// How the customer pays. JSON: "credit_card", "debit_card", "upi", "net_banking".
enum class PaymentType : std::uint8_t { kCreditCard, kDebitCard, kUpi, kNetBanking };

[[nodiscard]] std::string_view to_string(PaymentType type) noexcept;
/// Inverse of `to_string`. Errors: `kInvalidArgument` naming the accepted values.
[[nodiscard]] Result<PaymentType> parse_payment_type(std::string_view text);

/// Outcome of a payment as stored. JSON: "success", "failed", "timeout", "refunded".
///   success  → the amount was charged (and may later be refunded);
///   failed   → declined, nothing charged;
///   timeout  → the gateway gave up, nothing charged;
///   refunded → charged, then given back (exactly once).
enum class PaymentStatus : std::uint8_t { kSuccess, kFailed, kTimeout, kRefunded };

[[nodiscard]] std::string_view to_string(PaymentStatus status) noexcept;
/// Inverse of `to_string`. Errors: `kInvalidArgument`.
[[nodiscard]] Result<PaymentStatus> parse_payment_status(std::string_view text);

/// True when money moved to the merchant and stays there (`kSuccess`).
[[nodiscard]] constexpr bool is_charged(PaymentStatus s) noexcept {
    return s == PaymentStatus::kSuccess;
}

/// Largest amount one payment may carry (NUMERIC(10,2) holds 99,999,999.99).
inline constexpr std::int64_t kMaxPaymentAmountCents = 9'999'999'999;
/// Longest accepted idempotency key (bytes).
inline constexpr std::size_t kMaxIdempotencyKeyLength = 128;

/// A charge request. `idempotency_key` identifies the charge: the same key
/// always answers with the first outcome and never charges twice. Callers
/// that have none use `default_idempotency_key(booking_id)`.
struct PaymentRequest {
    BookingId booking_id;
    UserId user_id;
    Money amount;
    PaymentType type = PaymentType::kCreditCard;
    std::string idempotency_key;
};

/// "booking-<id>": the key of the one charge a booking may have.
[[nodiscard]] std::string default_idempotency_key(BookingId booking_id);

/// Checks a request: positive ids, 0 < amount <= kMaxPaymentAmountCents, a
/// key of 1..kMaxIdempotencyKeyLength printable ASCII characters.
/// Errors: `kInvalidArgument` with a message naming the field.
[[nodiscard]] Status validate(const PaymentRequest& request);

/// A payment as recorded by the payment service. Plain value type.
struct Payment {
    std::string id;  ///< "pay_" followed by 24 lower-case hex digits.
    std::string idempotency_key;
    BookingId booking_id;
    UserId user_id;
    Money amount;
    PaymentType type = PaymentType::kCreditCard;
    PaymentStatus status = PaymentStatus::kFailed;
    std::string reason;  ///< Why it failed or timed out; empty on success.
    UtcTime created_at;
    std::optional<UtcTime> refunded_at;

    friend bool operator==(const Payment&, const Payment&) = default;
};

}  // namespace flightbook::payment
