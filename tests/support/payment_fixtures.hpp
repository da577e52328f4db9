#pragma once
// One fixture per PaymentStore adapter, so that the same test bodies run
// against each: `PaymentStore& store()`, `std::string name()`; and
// `make_payment(...)` to build a storable payment.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "flightbook/memory/payment_store.hpp"
#include "flightbook/payment/payment_processor.hpp"
#include "flightbook/postgres/payment_store.hpp"
#include "flightbook/postgres/pool.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

/// A storable payment with a fresh id.
inline payment::Payment make_payment(
    std::string key, std::int64_t booking,
    payment::PaymentStatus status = payment::PaymentStatus::kSuccess,
    UtcTime at = from_unix_seconds(1'707'984'000), Money amount = Money::from_cents(850'000)) {
    payment::Payment p;
    p.id = payment::new_payment_id();
    p.idempotency_key = std::move(key);
    p.booking_id = BookingId{booking};
    p.user_id = UserId{7};
    p.amount = amount;
    p.type = payment::PaymentType::kDebitCard;
    p.status = status;
    if (status == payment::PaymentStatus::kFailed) p.reason = "insufficient funds";
    if (status == payment::PaymentStatus::kTimeout) p.reason = "gateway timeout";
    p.created_at = at;
    return p;
}

class MemoryPaymentFixture {
public:
    static constexpr const char* kName = "memory";
    PaymentStore& store() { return store_; }

private:
    memory::InMemoryPaymentStore store_;
};

class PostgresPaymentFixture {
public:
    static constexpr const char* kName = "postgres";

    PostgresPaymentFixture() : schema_("payments"), store_(make_pool()) {}
    PaymentStore& store() { return store_; }
    const PgSchema& schema() const { return schema_; }

private:
    std::shared_ptr<postgres::ConnectionPool> make_pool() const {
        auto pool = postgres::ConnectionPool::create(
            postgres::PoolOptions{schema_.dsn(), 16, 20000, 5000, 30000});
        REQUIRE_MESSAGE(pool, (pool ? "" : pool.error().message));
        return std::move(pool).value();
    }

    PgSchema schema_;
    postgres::PostgresPaymentStore store_;
};

}  // namespace flightbook::testing
