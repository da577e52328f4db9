#pragma once
/// \file
/// The payment mock's logic (SPEC §4 payment service): a gateway that
/// declines, times out or charges like a real one, deterministically for a
/// seed, idempotent per key, with refunds. The payment service's routes and
/// `LocalPaymentGateway` call it; payments are recorded in a `PaymentStore`.
/// docs/payments.md describes the behaviour.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/payment/payment.hpp"
#include "flightbook/ports/payment_store.hpp"
#include "flightbook/result.hpp"

namespace flightbook::payment {

/// Settings of the mock. Rates are probabilities per idempotency key.
struct PaymentProcessorOptions {
    /// Share of charges declined (`failed`), in [0, 1].
    double failure_rate = 0.15;
    /// Share of charges that time out (`timeout`), in [0, 1];
    /// `failure_rate + timeout_rate <= 1`.
    double timeout_rate = 0.05;
    /// Latency of a first charge, drawn uniformly in [min, max] milliseconds
    /// (0 <= min <= max <= 60000), spent after the outcome is recorded.
    /// Replays answer at once.
    int latency_ms_min = 0;
    int latency_ms_max = 0;
    /// Seed of the outcome draw; 0 picks a random seed once at construction.
    std::uint64_t seed = 0;
};

/// Checks the ranges above. Errors: `kInvalidArgument` naming the setting.
[[nodiscard]] Status validate(const PaymentProcessorOptions& options);

/// An outcome imposed on one request (`POST /api/payments/simulate/...`).
enum class ForcedOutcome : std::uint8_t { kNone, kSuccess, kFailure, kTimeout };

/// What the draw decides for one idempotency key.
struct Draw {
    PaymentStatus status = PaymentStatus::kSuccess;  ///< success, failed or timeout
    std::string reason;                              ///< empty on success
    std::chrono::milliseconds latency{0};
};

/// The outcome of a first charge with `idempotency_key`: a pure function of
/// (`seed`, key, rates, latency range), so that concurrent requests never
/// share random state or affect each other's odds. Thread-safe.
[[nodiscard]] Draw draw_outcome(const PaymentProcessorOptions& options, std::uint64_t seed,
                                std::string_view idempotency_key);

/// True for "pay_" followed by 24 lower-case hex digits (the form of every
/// id the processor makes). Anything else names no payment.
[[nodiscard]] bool is_payment_id(std::string_view text) noexcept;

/// A fresh payment id from a per-process random source. Thread-safe.
[[nodiscard]] std::string new_payment_id();

/// Outcome of `PaymentProcessor::process`.
struct ProcessResult {
    Payment payment;     ///< As stored.
    bool first = false;  ///< True when this call decided the outcome; false for a replay.
};

/// The mock gateway. Thread-safe: any number of threads may call any method.
///
/// Metrics (when a registry is given): `flightbook_payments_total{status}`
/// counts first outcomes, `flightbook_payment_refunds_total` applied refunds.
class PaymentProcessor {
public:
    /// Sleeps for a drawn latency (tests pass a recorder).
    using Sleeper = std::function<void(std::chrono::milliseconds)>;

    /// `store` and `clock` must outlive the processor. `sleeper` defaults to
    /// `std::this_thread::sleep_for`. Throws std::invalid_argument when
    /// `validate(options)` fails (a wiring bug: apps validate first).
    PaymentProcessor(PaymentStore& store, const Clock& clock, PaymentProcessorOptions options,
                     Sleeper sleeper = {}, std::shared_ptr<metrics::Registry> registry = nullptr);
    ~PaymentProcessor();
    PaymentProcessor(const PaymentProcessor&) = delete;
    PaymentProcessor& operator=(const PaymentProcessor&) = delete;

    /// Charges once per `request.idempotency_key`. A stored key answers the
    /// stored payment (`first == false`), whatever `forced` says; otherwise
    /// the outcome is `forced`, or drawn by `draw_outcome`; the payment is
    /// recorded (a concurrent duplicate ends with the one stored payment) and
    /// the answer waits for the drawn latency, so that a lookup during the
    /// wait already finds the outcome. Errors: `kInvalidArgument` (see `validate`);
    /// `kConflict` when the key is stored for another booking, user, amount
    /// or payment type ("idempotency key reused with another request");
    /// store errors (`kUnavailable`, `kInDoubt`: a retry with the same key is
    /// safe).
    [[nodiscard]] Result<ProcessResult> process(const PaymentRequest& request,
                                                ForcedOutcome forced = ForcedOutcome::kNone);

    /// The payment with this id. Errors: `kNotFound` (also for a malformed
    /// id); store errors.
    [[nodiscard]] Result<Payment> get(std::string_view payment_id);

    /// The payments of a booking, newest first. Errors: `kInvalidArgument`
    /// for a non-positive id; store errors.
    [[nodiscard]] Result<std::vector<Payment>> find_by_booking(BookingId booking);

    /// Refunds a successful payment exactly once; a repeat answers the
    /// refunded payment with `applied == false`. Errors: `kNotFound`;
    /// `kFailedPrecondition` (failed or timed out: never charged); store errors.
    [[nodiscard]] Result<PaymentRefund> refund(std::string_view payment_id);

    /// The store's health, for `/ready`.
    [[nodiscard]] Status ping();

    [[nodiscard]] const PaymentProcessorOptions& options() const noexcept { return options_; }
    /// The seed in use (the random one when `options().seed` was 0).
    [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }

private:
    struct Metrics;
    PaymentStore& store_;
    const Clock& clock_;
    PaymentProcessorOptions options_;
    std::uint64_t seed_;
    Sleeper sleeper_;
    std::unique_ptr<Metrics> metrics_;
};

}  // namespace flightbook::payment
