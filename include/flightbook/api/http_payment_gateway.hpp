#pragma once
/// \file
/// `HttpPaymentGateway`: the `PaymentGateway` port over the payment
/// service's HTTP API (SPEC §4), for the booking service.

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/payment_gateway.hpp"
#include "flightbook/result.hpp"

namespace flightbook::api {

/// Settings. Field names carry their unit.
struct HttpPaymentGatewayOptions {
    /// The payment service, e.g. "http://127.0.0.1:8082" (PAYMENT_SERVICE_URL).
    std::string base_url;
    int connect_timeout_ms = 1000;
    /// Per read while waiting for an answer; must exceed the payment
    /// service's latency (PAYMENT_LATENCY_MS_MAX), or charges end `kUnknown`.
    int read_timeout_ms = 5000;
    /// Attempts per call where a retry is safe (at least 1).
    int max_attempts = 3;
    /// Wait before the second attempt, doubled for each further one, at most
    /// `max_backoff_ms`.
    int backoff_ms = 50;
    int max_backoff_ms = 1000;
    /// Idle connections kept for reuse (one per concurrent caller is opened
    /// on demand; more than this many idle ones are closed).
    std::size_t max_idle_connections = 8;
    /// Sent with every request (e.g. a service token); never logged.
    std::vector<std::pair<std::string, std::string>> default_headers;
};

/// Charges, looks up and refunds over HTTP. Thread-safe: concurrent callers
/// use separate keep-alive connections from a small pool.
///
/// Retries only where safe: `find_by_booking` and `refund` are idempotent and
/// retried on any transport failure or 5xx; `charge` is idempotent by key and
/// retried only when the request was not delivered (connection refused, connect
/// timeout). A charge whose answer did not arrive (read timeout, reset) or was
/// a 5xx ends `kUnknown`.
///
/// Mapping of `POST /api/payments/process` answers: 200 "success" →
/// `kCharged`; 200 "refunded" and 400 "failed" → `kDeclined`; 408 → `kUnknown`;
/// 400 without a status and 422 (key reused) → error `kInvalidArgument`.
///
/// Metrics (when a registry is given), one per attempt:
/// `flightbook_outbound_requests_total{service="payment-service",operation,outcome}`
/// (`outcome`: "ok" for any answer below 500, "server_error", "timeout",
/// "unavailable") and
/// `flightbook_outbound_request_duration_seconds{service,operation}`.
class HttpPaymentGateway final : public PaymentGateway {
public:
    /// Errors: `kInvalidArgument` for a base URL that is not
    /// http(s)://host[:port], or for attempts/timeouts below 1.
    [[nodiscard]] static Result<std::unique_ptr<HttpPaymentGateway>> create(
        HttpPaymentGatewayOptions options, std::shared_ptr<metrics::Registry> registry = nullptr);

    ~HttpPaymentGateway() override;
    HttpPaymentGateway(const HttpPaymentGateway&) = delete;
    HttpPaymentGateway& operator=(const HttpPaymentGateway&) = delete;

    [[nodiscard]] Result<ChargeResult> charge(const payment::PaymentRequest& request) override;
    /// Errors: `kUnavailable` after `max_attempts` failed attempts, or when
    /// the answer cannot be understood.
    [[nodiscard]] Result<std::optional<payment::Payment>> find_by_booking(
        BookingId booking) override;
    /// Errors: `kNotFound` (also for a malformed id), `kFailedPrecondition`,
    /// `kUnavailable` (after `max_attempts`; retrying later is safe).
    [[nodiscard]] Result<payment::Payment> refund(const std::string& payment_id) override;

    [[nodiscard]] const HttpPaymentGatewayOptions& options() const noexcept;

private:
    struct Impl;
    explicit HttpPaymentGateway(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::api
