#pragma once
/// \file
/// The `PaymentGateway` port: how the booking service charges, looks up and
/// refunds payments. Adapters: `payment::LocalPaymentGateway` (in process,
/// over the payment mock's logic) and `api::HttpPaymentGateway` (the payment
/// service over HTTP).

#include <optional>
#include <string>

#include "flightbook/payment/payment.hpp"
#include "flightbook/result.hpp"

namespace flightbook {

/// What a charge attempt established.
struct ChargeResult {
    enum class Outcome : std::uint8_t {
        kCharged,   ///< Definitive: the amount was charged; `payment_id` is set.
        kDeclined,  ///< Definitive: declined, nothing was charged.
        kUnknown,   ///< No definitive answer (the gateway's own timeout, a read timeout,
                    ///< a reset, a 5xx): a charge may exist. Resolve with
                    ///< `find_by_booking`; never release seats on this alone.
    };
    Outcome outcome = Outcome::kUnknown;
    std::string payment_id;  ///< When the gateway named one.
    std::string reason;      ///< Human-readable, for the booking's history.
};

/// Charges, looks up and refunds. Implementations are thread-safe.
class PaymentGateway {
public:
    virtual ~PaymentGateway() = default;

    /// Charges `request.amount` once per `request.idempotency_key`; a repeat
    /// answers the first outcome. Transport failures are not errors but
    /// `kUnknown`. Errors: `kInvalidArgument` only for a request the gateway
    /// refuses as malformed (nothing was charged).
    [[nodiscard]] virtual Result<ChargeResult> charge(const payment::PaymentRequest& request) = 0;

    /// The payment recorded for `booking` (the latest, when several keys were
    /// used), or nullopt when the gateway has none: then no charge exists and
    /// none will appear for a request that already ended. Errors:
    /// `kUnavailable` when the gateway cannot be asked now (retry later).
    [[nodiscard]] virtual Result<std::optional<payment::Payment>> find_by_booking(
        BookingId booking) = 0;

    /// Refunds a successful payment exactly once; a repeat returns the
    /// refunded payment and moves no money. Errors: `kNotFound`;
    /// `kFailedPrecondition` (the payment was never charged);
    /// `kUnavailable` (retry later: the refund may or may not have happened,
    /// and a retry is safe).
    [[nodiscard]] virtual Result<payment::Payment> refund(const std::string& payment_id) = 0;
};

}  // namespace flightbook
