#pragma once
/// \file
/// The in-memory `PaymentStore`: the embedded default and the reference
/// semantics the PostgreSQL adapter is tested against.

#include <memory>

#include "flightbook/ports/payment_store.hpp"

namespace flightbook::memory {

/// Payments in process memory (lost on exit). Thread-safe (one mutex).
class InMemoryPaymentStore final : public PaymentStore {
public:
    InMemoryPaymentStore();
    ~InMemoryPaymentStore() override;
    InMemoryPaymentStore(const InMemoryPaymentStore&) = delete;
    InMemoryPaymentStore& operator=(const InMemoryPaymentStore&) = delete;

    [[nodiscard]] Result<PaymentInsert> insert_or_get(const payment::Payment& p) override;
    [[nodiscard]] Result<payment::Payment> get(std::string_view payment_id) override;
    [[nodiscard]] Result<std::optional<payment::Payment>> find_by_key(
        std::string_view idempotency_key) override;
    [[nodiscard]] Result<std::vector<payment::Payment>> find_by_booking(BookingId booking) override;
    [[nodiscard]] Result<PaymentRefund> mark_refunded(std::string_view payment_id,
                                                      UtcTime at) override;
    /// Always ok.
    [[nodiscard]] Status ping() override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace flightbook::memory
