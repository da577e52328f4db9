#pragma once
/// \file
/// The HTTP API of the payment service (SPEC §4) over `payment::PaymentProcessor`.

#include "flightbook/http/server.hpp"
#include "flightbook/payment/payment_processor.hpp"

namespace flightbook::api {

/// Settings of the payment routes.
struct PaymentRoutesOptions {
    /// Registers `POST /api/payments/simulate/{success,failure,timeout}`.
    bool simulate_endpoints = true;
};

/// Registers on `server` (docs/payments.md has the bodies and statuses):
///
///     POST /api/payments/process                {"booking_id","amount","user_id","payment_type"}
///                                               (+ optional Idempotency-Key header)
///     POST /api/payments/simulate/success       the same body, outcome forced for this request
///     POST /api/payments/simulate/failure
///     POST /api/payments/simulate/timeout
///     GET  /api/payments/{payment_id}           one payment (also `GET /api/payments?id=`)
///     GET  /api/payments?booking_id=N           a booking's payments, newest first
///     POST /api/payments/{payment_id}/refund    refunds once
///
/// `processor` must outlive the server. Errors: those of `Server::route`.
[[nodiscard]] Status register_payment_routes(http::Server& server,
                                             payment::PaymentProcessor& processor,
                                             PaymentRoutesOptions options = {});

}  // namespace flightbook::api
