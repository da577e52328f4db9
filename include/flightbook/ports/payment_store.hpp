#pragma once
/// \file
/// The `PaymentStore` port: where the payment service records payments
/// (SPEC §4: "payments are stored durably, so a restarted payment service
/// still answers status lookups"). Adapters: `memory::InMemoryPaymentStore`
/// and `postgres::PostgresPaymentStore`.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "flightbook/payment/payment.hpp"
#include "flightbook/result.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook {

/// Outcome of `PaymentStore::insert_or_get`.
struct PaymentInsert {
    payment::Payment payment;  ///< The stored payment (the caller's, or the earlier one).
    bool inserted = false;     ///< True when this call stored it.
};

/// Outcome of `PaymentStore::mark_refunded`.
struct PaymentRefund {
    payment::Payment payment;  ///< The payment after the call (status refunded).
    bool applied = false;      ///< True when this call moved success → refunded.
};

/// `find_by_booking` answers at most this many payments (the newest).
inline constexpr std::size_t kMaxPaymentsPerBooking = 100;

/// Checks that `p` may be stored: a non-empty id, and the fields
/// `payment::validate` checks on a request (positive ids, amount in range,
/// a valid idempotency key); `refunded_at` is set exactly when the status is
/// refunded. Errors: `kInvalidArgument`.
[[nodiscard]] Status check_storable(const payment::Payment& p);

/// Durable payment records. Implementations are thread-safe and, where the
/// store is shared (PostgreSQL), safe across processes.
class PaymentStore {
public:
    virtual ~PaymentStore() = default;

    /// Stores `p` unless a payment with its idempotency key exists; returns
    /// the stored one either way. Concurrent calls with one key store exactly
    /// one payment and all return it. Errors: `kInvalidArgument` (see
    /// `check_storable`); `kAlreadyExists` when another payment already has
    /// `p.id` (the caller picks a new id); `kUnavailable`/`kInDoubt` from
    /// the store (a retry with the same payment is safe).
    [[nodiscard]] virtual Result<PaymentInsert> insert_or_get(const payment::Payment& p) = 0;

    /// The payment with this id. Errors: `kNotFound`; `kUnavailable`.
    [[nodiscard]] virtual Result<payment::Payment> get(std::string_view payment_id) = 0;

    /// The payment recorded under this idempotency key, or nullopt.
    /// Errors: `kUnavailable`.
    [[nodiscard]] virtual Result<std::optional<payment::Payment>> find_by_key(
        std::string_view idempotency_key) = 0;

    /// The payments of one booking, newest first (by `created_at`, then by
    /// insertion order), at most `kMaxPaymentsPerBooking`. Errors: `kUnavailable`.
    [[nodiscard]] virtual Result<std::vector<payment::Payment>> find_by_booking(
        BookingId booking) = 0;

    /// Compare-and-set success → refunded (with `refunded_at = at`), exactly
    /// once even under concurrency. On a payment already refunded: the
    /// payment, `applied == false`. Errors: `kNotFound`;
    /// `kFailedPrecondition` when the payment failed or timed out (nothing
    /// was charged); `kUnavailable`/`kInDoubt`.
    [[nodiscard]] virtual Result<PaymentRefund> mark_refunded(std::string_view payment_id,
                                                              UtcTime at) = 0;

    /// Cheap check that the store answers (for `/ready`). Errors: `kUnavailable`.
    [[nodiscard]] virtual Status ping() = 0;
};

}  // namespace flightbook
