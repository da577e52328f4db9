#pragma once
/// \file
/// The PostgreSQL `PaymentStore` over the payments database.

#include <memory>

#include "flightbook/ports/payment_store.hpp"
#include "flightbook/postgres/pool.hpp"

namespace flightbook::postgres {

/// Payments in table `payments` (sql/payments/0001_payments.sql). Each call
/// is one statement or two (insert, then read the winner), so no transaction
/// is held open; uniqueness of the idempotency key and the refund's
/// compare-and-set are enforced by PostgreSQL itself, so the store is
/// thread-safe and safe across processes. Amounts travel as NUMERIC text,
/// never as floating point.
class PostgresPaymentStore final : public PaymentStore {
public:
    explicit PostgresPaymentStore(std::shared_ptr<ConnectionPool> pool);

    [[nodiscard]] Result<PaymentInsert> insert_or_get(const payment::Payment& p) override;
    [[nodiscard]] Result<payment::Payment> get(std::string_view payment_id) override;
    [[nodiscard]] Result<std::optional<payment::Payment>> find_by_key(
        std::string_view idempotency_key) override;
    [[nodiscard]] Result<std::vector<payment::Payment>> find_by_booking(BookingId booking) override;
    [[nodiscard]] Result<PaymentRefund> mark_refunded(std::string_view payment_id,
                                                      UtcTime at) override;
    /// Runs `SELECT 1` on a pooled connection.
    [[nodiscard]] Status ping() override;

private:
    std::shared_ptr<ConnectionPool> pool_;
};

}  // namespace flightbook::postgres
