#pragma once
/// \file
/// `LocalPaymentGateway`: the `PaymentGateway` port over an in-process
/// `PaymentProcessor`, for the all-in-one demo and for unit tests of the
/// booking service. The payment service's HTTP counterpart is
/// `api::HttpPaymentGateway`.

#include "flightbook/payment/payment_processor.hpp"
#include "flightbook/ports/payment_gateway.hpp"

namespace flightbook::payment {

/// Calls the processor directly. Thread-safe (as the processor is).
///
/// Mapping of a charge: success → `kCharged`; failed → `kDeclined`; timeout →
/// `kUnknown` (a gateway timeout is an unknown outcome to the caller, which
/// resolves it with `find_by_booking` and finds status "timeout": nothing
/// charged); refunded (a replay of a charge refunded since) → `kDeclined`
/// (nothing stays charged, so no booking may be confirmed on it). A key reused
/// with another request is `kInvalidArgument`; a store failure is `kUnknown`.
class LocalPaymentGateway final : public PaymentGateway {
public:
    /// `processor` must outlive the gateway.
    explicit LocalPaymentGateway(PaymentProcessor& processor) : processor_(processor) {}

    [[nodiscard]] Result<ChargeResult> charge(const PaymentRequest& request) override;
    /// The newest payment of `booking`, or nullopt. Store errors are `kUnavailable`.
    [[nodiscard]] Result<std::optional<Payment>> find_by_booking(BookingId booking) override;
    /// Errors: `kNotFound`, `kFailedPrecondition`; store errors are `kUnavailable`.
    [[nodiscard]] Result<Payment> refund(const std::string& payment_id) override;

private:
    PaymentProcessor& processor_;
};

}  // namespace flightbook::payment
