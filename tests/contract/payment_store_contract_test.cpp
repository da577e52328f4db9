// The PaymentStore contract: one set of bodies, run against every adapter.
// docs/payments.md describes the semantics these tests pin down.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "payment_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;
using payment::Payment;
using payment::PaymentStatus;

#define PAYMENT_ADAPTERS MemoryPaymentFixture, PostgresPaymentFixture

TEST_CASE_TEMPLATE("insert_or_get stores a payment once per idempotency key", F, PAYMENT_ADAPTERS) {
    F f;
    PaymentStore& store = f.store();
    CHECK(store.ping());
    const Payment p = make_payment("booking-1", 1);
    auto first = store.insert_or_get(p);
    REQUIRE_MESSAGE(first, (first ? "" : first.error().message));
    CHECK(first->inserted);
    CHECK(first->payment == p);
    CHECK(store.get(p.id).value() == p);
    CHECK(store.find_by_key("booking-1").value() == std::optional<Payment>{p});
    CHECK_FALSE(store.find_by_key("booking-2").value().has_value());

    // Another attempt with the same key (and its own id and outcome) gets the first.
    Payment retry = make_payment("booking-1", 1, PaymentStatus::kFailed);
    auto second = store.insert_or_get(retry);
    REQUIRE(second);
    CHECK_FALSE(second->inserted);
    CHECK(second->payment == p);
    CHECK(store.get(retry.id).error().code == ErrorCode::kNotFound);
    CHECK(store.find_by_booking(BookingId{1}).value().size() == 1);
}

TEST_CASE_TEMPLATE("an id already taken by another key is kAlreadyExists", F, PAYMENT_ADAPTERS) {
    F f;
    const Payment p = make_payment("k-a", 2);
    REQUIRE(f.store().insert_or_get(p));
    Payment clash = make_payment("k-b", 2);
    clash.id = p.id;
    auto r = f.store().insert_or_get(clash);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kAlreadyExists);
    CHECK_FALSE(f.store().find_by_key("k-b").value().has_value());
}

TEST_CASE_TEMPLATE("payments that break the rules are refused", F, PAYMENT_ADAPTERS) {
    F f;
    std::vector<Payment> bad;
    bad.push_back(make_payment("k", 3, PaymentStatus::kSuccess, from_unix_seconds(1'707'984'000),
                               Money::from_cents(0)));
    bad.push_back(make_payment("k", 3, PaymentStatus::kSuccess, from_unix_seconds(1'707'984'000),
                               Money::from_cents(payment::kMaxPaymentAmountCents + 1)));
    bad.push_back(make_payment("", 3));
    bad.push_back(make_payment("k", 0));
    bad.push_back(make_payment("k", 3, PaymentStatus::kRefunded));  // no refunded_at
    Payment no_id = make_payment("k", 3);
    no_id.id.clear();
    bad.push_back(no_id);
    Payment refunded_at_on_success = make_payment("k", 3);
    refunded_at_on_success.refunded_at = refunded_at_on_success.created_at;
    bad.push_back(refunded_at_on_success);
    for (const Payment& p : bad) {
        auto r = f.store().insert_or_get(p);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK(f.store().find_by_booking(BookingId{3}).value().empty());
}

TEST_CASE_TEMPLATE("every field round-trips exactly, money to the cent", F, PAYMENT_ADAPTERS) {
    F f;
    const std::vector<std::int64_t> cents{1,       10,      99,
                                          850'010, 999'999, payment::kMaxPaymentAmountCents};
    int n = 0;
    for (std::int64_t c : cents) {
        for (auto type : {payment::PaymentType::kCreditCard, payment::PaymentType::kDebitCard,
                          payment::PaymentType::kUpi, payment::PaymentType::kNetBanking}) {
            ++n;
            Payment p = make_payment(fmt::format("rt-{}", n), 4, PaymentStatus::kSuccess,
                                     from_unix_seconds(1'707'984'000 + n), Money::from_cents(c));
            p.type = type;
            REQUIRE(f.store().insert_or_get(p));
            CHECK(f.store().get(p.id).value() == p);
        }
    }
    Payment refunded = make_payment("rt-refunded", 4, PaymentStatus::kRefunded);
    refunded.refunded_at = refunded.created_at + 3600s;
    Payment failed = make_payment("rt-failed", 4, PaymentStatus::kFailed);
    failed.reason = "card declined: \"quoted\" \\ reason";
    Payment timed_out = make_payment("rt-timeout", 4, PaymentStatus::kTimeout);
    Payment odd_key = make_payment("order 17/b:retry=2 ~!@#$%^&*()", 4);
    for (const Payment& p : {refunded, failed, timed_out, odd_key}) {
        REQUIRE(f.store().insert_or_get(p));
        CHECK(f.store().get(p.id).value() == p);
        CHECK(f.store().find_by_key(p.idempotency_key).value() == std::optional<Payment>{p});
    }
}

TEST_CASE_TEMPLATE("find_by_booking lists one booking newest first", F, PAYMENT_ADAPTERS) {
    F f;
    const UtcTime t0 = from_unix_seconds(1'707'984'000);
    const Payment oldest = make_payment("a", 5, PaymentStatus::kFailed, t0);
    const Payment same_second_1 = make_payment("b", 5, PaymentStatus::kTimeout, t0 + 10s);
    const Payment same_second_2 = make_payment("c", 5, PaymentStatus::kSuccess, t0 + 10s);
    const Payment other_booking = make_payment("d", 6, PaymentStatus::kSuccess, t0 + 20s);
    for (const Payment& p : {oldest, same_second_1, same_second_2, other_booking}) {
        REQUIRE(f.store().insert_or_get(p));
    }
    auto listed = f.store().find_by_booking(BookingId{5});
    REQUIRE(listed);
    CHECK(*listed == std::vector<Payment>{same_second_2, same_second_1, oldest});
    CHECK(f.store().find_by_booking(BookingId{6}).value() == std::vector<Payment>{other_booking});
    CHECK(f.store().find_by_booking(BookingId{7}).value().empty());
}

TEST_CASE_TEMPLATE("find_by_booking answers at most the newest 100", F, PAYMENT_ADAPTERS) {
    F f;
    const UtcTime t0 = from_unix_seconds(1'707'984'000);
    for (int i = 0; i < 105; ++i) {
        REQUIRE(f.store().insert_or_get(make_payment(
            fmt::format("many-{}", i), 8, PaymentStatus::kFailed, t0 + std::chrono::seconds{i})));
    }
    auto listed = f.store().find_by_booking(BookingId{8});
    REQUIRE(listed);
    REQUIRE(listed->size() == kMaxPaymentsPerBooking);
    CHECK(listed->front().idempotency_key == "many-104");
    CHECK(listed->back().idempotency_key == "many-5");
}

TEST_CASE_TEMPLATE("mark_refunded is a compare-and-set from success", F, PAYMENT_ADAPTERS) {
    F f;
    PaymentStore& store = f.store();
    const Payment paid = make_payment("paid", 9);
    const Payment declined = make_payment("declined", 9, PaymentStatus::kFailed);
    const Payment timed_out = make_payment("timeout", 9, PaymentStatus::kTimeout);
    for (const Payment& p : {paid, declined, timed_out}) REQUIRE(store.insert_or_get(p));

    const UtcTime at = paid.created_at + 600s;
    auto refunded = store.mark_refunded(paid.id, at);
    REQUIRE(refunded);
    CHECK(refunded->applied);
    CHECK(refunded->payment.status == PaymentStatus::kRefunded);
    CHECK(refunded->payment.refunded_at == std::optional<UtcTime>{at});
    CHECK(store.get(paid.id).value() == refunded->payment);

    auto again = store.mark_refunded(paid.id, at + 60s);
    REQUIRE(again);
    CHECK_FALSE(again->applied);
    CHECK(again->payment.refunded_at == std::optional<UtcTime>{at});  // the first refund's time

    for (const Payment& p : {declined, timed_out}) {
        auto r = store.mark_refunded(p.id, at);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kFailedPrecondition);
        CHECK(store.get(p.id).value() == p);
    }
    CHECK(store.mark_refunded("pay_000000000000000000000000", at).error().code ==
          ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("lookups of ids and keys that name nothing", F, PAYMENT_ADAPTERS) {
    F f;
    REQUIRE(f.store().insert_or_get(make_payment("real", 10)));
    for (std::string_view id : {std::string_view(""), std::string_view("pay_nothing"),
                                std::string_view("caf\xff"), std::string_view("a\0b", 3)}) {
        CHECK(f.store().get(id).error().code == ErrorCode::kNotFound);
        CHECK(f.store().mark_refunded(id, from_unix_seconds(1)).error().code ==
              ErrorCode::kNotFound);
        CHECK_FALSE(f.store().find_by_key(id).value().has_value());
    }
}

TEST_CASE_TEMPLATE("16 concurrent inserts with one key store one payment", F, PAYMENT_ADAPTERS) {
    F f;
    constexpr int kThreads = 16;
    std::vector<Payment> attempts;
    for (int t = 0; t < kThreads; ++t) {
        attempts.push_back(make_payment(
            "race", 11, t % 2 == 0 ? PaymentStatus::kSuccess : PaymentStatus::kFailed));
    }
    std::vector<Result<PaymentInsert>> results(kThreads, fail(ErrorCode::kInternal, "not run"));
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            ready.fetch_add(1);
            for (int spin = 0; spin < 1'000'000 && ready.load() < kThreads; ++spin) {
                std::this_thread::yield();
            }
            const auto i = static_cast<std::size_t>(t);
            results[i] = f.store().insert_or_get(attempts[i]);
        });
    }
    for (auto& t : threads) t.join();
    int inserted = 0;
    std::set<std::string> ids;
    for (const auto& r : results) {
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        inserted += r->inserted ? 1 : 0;
        ids.insert(r->payment.id);
    }
    CHECK(inserted == 1);
    CHECK(ids.size() == 1);
    CHECK(f.store().find_by_booking(BookingId{11}).value().size() == 1);
}

TEST_CASE_TEMPLATE("16 concurrent refunds apply once", F, PAYMENT_ADAPTERS) {
    F f;
    const Payment paid = make_payment("refund-race", 12);
    REQUIRE(f.store().insert_or_get(paid));
    constexpr int kThreads = 16;
    std::atomic<int> applied{0};
    std::atomic<int> errors{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            ready.fetch_add(1);
            for (int spin = 0; spin < 1'000'000 && ready.load() < kThreads; ++spin) {
                std::this_thread::yield();
            }
            auto r = f.store().mark_refunded(paid.id, paid.created_at + std::chrono::seconds{t});
            if (!r) {
                errors.fetch_add(1);
            } else if (r->applied) {
                applied.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(applied.load() == 1);
    CHECK(errors.load() == 0);
    CHECK(f.store().get(paid.id).value().status == PaymentStatus::kRefunded);
}

TEST_CASE("PostgreSQL keeps payments across store instances (a restarted service)") {
    PgSchema schema("payments");
    const Payment p = make_payment("durable", 13);
    {
        auto pool = postgres::ConnectionPool::create(postgres::PoolOptions{schema.dsn(), 2});
        REQUIRE(pool);
        postgres::PostgresPaymentStore store(*pool);
        REQUIRE(store.insert_or_get(p));
    }
    auto pool = postgres::ConnectionPool::create(postgres::PoolOptions{schema.dsn(), 2});
    REQUIRE(pool);
    postgres::PostgresPaymentStore store(*pool);
    CHECK(store.get(p.id).value() == p);
    CHECK(store.find_by_booking(BookingId{13}).value() == std::vector<Payment>{p});
    // The table's own checks stand behind the adapter's.
    auto conn = schema.connect();
    static constexpr postgres::Statement kNegative{
        "test_negative_payment",
        "INSERT INTO payments (id, idempotency_key, booking_id, user_id, amount, payment_type, "
        "status, created_at) VALUES ('pay_x', 'neg', 1, 1, -1.00, 'upi', 'success', now())"};
    auto negative = conn->exec(kNegative);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().code == ErrorCode::kFailedPrecondition);
}
