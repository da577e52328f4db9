// The payment mock's logic (docs/payments.md) over the in-memory store and a
// manual clock: idempotency, forced outcomes, latency, concurrency, refunds.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "payment_processor_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::payment;
using namespace flightbook::payment::testing;
using namespace std::chrono_literals;

TEST_CASE("process records the drawn outcome once and replays it") {
    Mock m;
    for (auto status : {PaymentStatus::kSuccess, PaymentStatus::kFailed, PaymentStatus::kTimeout}) {
        const std::string key = key_drawn_to(m.processor.options(), 1234, status);
        auto first = m.processor.process(request(7, key));
        REQUIRE(first);
        CHECK(first->first);
        const Payment& p = first->payment;
        CHECK(p.status == status);
        CHECK(is_payment_id(p.id));
        CHECK(p.idempotency_key == key);
        CHECK(p.booking_id == BookingId{7});
        CHECK(p.user_id == UserId{42});
        CHECK(p.amount == Money::from_cents(850'000));
        CHECK(p.type == PaymentType::kUpi);
        CHECK(p.created_at == m.clock.now());
        CHECK_FALSE(p.refunded_at);
        CHECK(p.reason == draw_outcome(m.processor.options(), 1234, key).reason);
        CHECK(m.processor.get(p.id).value() == p);

        m.clock.advance(5s);
        auto again = m.processor.process(request(7, key));
        REQUIRE(again);
        CHECK_FALSE(again->first);
        CHECK(again->payment == p);  // same id, same outcome, same time
    }
    CHECK(m.outcomes("success") == 1);
    CHECK(m.outcomes("failed") == 1);
    CHECK(m.outcomes("timeout") == 1);
    CHECK(m.processor.find_by_booking(BookingId{7}).value().size() == 3);
}

TEST_CASE("a key reused with another request is a conflict and records nothing") {
    Mock m;
    REQUIRE(m.processor.process(request(8, "k-8")));
    std::vector<PaymentRequest> others;
    others.push_back(request(9, "k-8"));
    others.push_back(request(8, "k-8", Money::from_cents(850'001)));
    auto other_user = request(8, "k-8");
    other_user.user_id = UserId{43};
    others.push_back(other_user);
    auto other_type = request(8, "k-8");
    other_type.type = PaymentType::kCreditCard;
    others.push_back(other_type);
    for (const auto& r : others) {
        auto p = m.processor.process(r, ForcedOutcome::kSuccess);
        REQUIRE_FALSE(p);
        CHECK(p.error().code == ErrorCode::kConflict);
        CHECK(p.error().message == "idempotency key reused with another request");
    }
    CHECK(m.processor.find_by_booking(BookingId{9}).value().empty());
    CHECK(m.processor.find_by_booking(BookingId{8}).value().size() == 1);
}

TEST_CASE("invalid requests are refused before anything is drawn or stored") {
    Mock m;
    auto r = request(0);
    auto p = m.processor.process(r);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == ErrorCode::kInvalidArgument);
    auto zero = m.processor.process(request(3, "", Money::from_cents(0)));
    CHECK(zero.error().code == ErrorCode::kInvalidArgument);
    CHECK(m.sleeps.count() == 0);
    CHECK(m.processor.find_by_booking(BookingId{3}).value().empty());
    CHECK(m.processor.find_by_booking(BookingId{0}).error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("a forced outcome applies to that request only") {
    Mock m(rates(1.0, 0.0));  // every drawn charge is declined
    auto forced = m.processor.process(request(1), ForcedOutcome::kSuccess);
    REQUIRE(forced);
    CHECK(forced->payment.status == PaymentStatus::kSuccess);
    auto drawn = m.processor.process(request(2));
    REQUIRE(drawn);
    CHECK(drawn->payment.status == PaymentStatus::kFailed);

    Mock ok(rates(0.0, 0.0));  // every drawn charge succeeds
    auto failure = ok.processor.process(request(1), ForcedOutcome::kFailure);
    auto timeout = ok.processor.process(request(2), ForcedOutcome::kTimeout);
    auto normal = ok.processor.process(request(3));
    REQUIRE(failure);
    REQUIRE(timeout);
    REQUIRE(normal);
    CHECK(failure->payment.status == PaymentStatus::kFailed);
    CHECK(failure->payment.reason == "card declined (simulated)");
    CHECK(timeout->payment.status == PaymentStatus::kTimeout);
    CHECK(timeout->payment.reason == "gateway timeout (simulated)");
    CHECK(normal->payment.status == PaymentStatus::kSuccess);
    // A replay answers the stored outcome, whatever is forced now.
    auto replay = ok.processor.process(request(1), ForcedOutcome::kSuccess);
    REQUIRE(replay);
    CHECK_FALSE(replay->first);
    CHECK(replay->payment.status == PaymentStatus::kFailed);
}

TEST_CASE("concurrent forced and drawn requests never change each other's outcome" *
          doctest::test_suite("concurrent")) {
    Mock m(rates(0.3, 0.2, 77));
    constexpr int kThreads = 16;
    constexpr int kPerThread = 50;
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const std::int64_t booking = t * 1000 + i + 1;
                // Odd threads force failures; even threads draw.
                const auto forced = t % 2 == 1 ? ForcedOutcome::kFailure : ForcedOutcome::kNone;
                auto r = m.processor.process(request(booking), forced);
                if (!r) {
                    mismatches.fetch_add(1);
                    continue;
                }
                const auto expected =
                    t % 2 == 1 ? PaymentStatus::kFailed
                               : draw_outcome(m.processor.options(), 77, r->payment.idempotency_key)
                                     .status;
                if (r->payment.status != expected) mismatches.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(mismatches.load() == 0);
}

// Holds every key lookup until `expected` lookups are waiting (bounded), so
// that all callers race past "not stored yet" into the insert.
class LookupBarrier final : public PaymentStore {
public:
    LookupBarrier(PaymentStore& inner, int expected) : inner_(inner), expected_(expected) {}
    Result<PaymentInsert> insert_or_get(const Payment& p) override {
        return inner_.insert_or_get(p);
    }
    Result<Payment> get(std::string_view id) override { return inner_.get(id); }
    Result<std::optional<Payment>> find_by_key(std::string_view key) override {
        auto found = inner_.find_by_key(key);
        arrived_.fetch_add(1);
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (arrived_.load() < expected_ && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::yield();
        }
        return found;
    }
    Result<std::vector<Payment>> find_by_booking(BookingId b) override {
        return inner_.find_by_booking(b);
    }
    Result<PaymentRefund> mark_refunded(std::string_view id, UtcTime at) override {
        return inner_.mark_refunded(id, at);
    }
    Status ping() override { return inner_.ping(); }

private:
    PaymentStore& inner_;
    int expected_;
    std::atomic<int> arrived_{0};
};

TEST_CASE("16 threads charging one key store one payment" * doctest::test_suite("concurrent")) {
    constexpr int kThreads = 16;
    Mock m(rates(0.0, 0.0));
    LookupBarrier barrier(m.store, kThreads);
    PaymentProcessor processor(barrier, m.clock, rates(0.3, 0.3), {}, m.registry);
    std::vector<Result<ProcessResult>> results(kThreads, fail(ErrorCode::kInternal, "not run"));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(
            [&, t] { results[static_cast<std::size_t>(t)] = processor.process(request(5)); });
    }
    for (auto& t : threads) t.join();
    int firsts = 0;
    std::set<std::string> ids;
    for (const auto& r : results) {
        REQUIRE(r);
        firsts += r->first ? 1 : 0;
        ids.insert(r->payment.id);
    }
    CHECK(firsts == 1);
    CHECK(ids.size() == 1);
    const auto stored = m.processor.find_by_booking(BookingId{5}).value();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].id == *ids.begin());
    CHECK(m.outcomes(to_string(stored[0].status)) == 1);
}

TEST_CASE("latency is slept for a first charge only, as drawn") {
    PaymentProcessorOptions o = rates(0.0, 0.0);
    o.latency_ms_min = 100;
    o.latency_ms_max = 200;
    Mock m(o);
    REQUIRE(m.processor.process(request(1)));
    REQUIRE(m.processor.process(request(1)));
    REQUIRE(m.sleeps.count() == 1);
    CHECK(m.sleeps.slept[0] == draw_outcome(o, 1234, "booking-1").latency);
    CHECK(m.sleeps.slept[0] >= 100ms);
    CHECK(m.sleeps.slept[0] <= 200ms);

    Mock quick(rates(0.0, 0.0));
    REQUIRE(quick.processor.process(request(1)));
    CHECK(quick.sleeps.count() == 0);
}

TEST_CASE("the outcome is recorded before the latency is spent") {
    PaymentProcessorOptions o = rates(0.0, 0.0);
    o.latency_ms_min = 2000;
    o.latency_ms_max = 2000;
    memory::InMemoryPaymentStore store;
    ManualClock clock;
    std::optional<Payment> seen_while_waiting;
    PaymentProcessor processor(store, clock, o, [&](std::chrono::milliseconds) {
        seen_while_waiting = store.find_by_key("booking-1").value();
    });
    auto paid = processor.process(request(1));
    REQUIRE(paid);
    REQUIRE(seen_while_waiting.has_value());
    CHECK(*seen_while_waiting == paid->payment);
}

TEST_CASE("a seed of 0 picks a random seed once") {
    memory::InMemoryPaymentStore store;
    ManualClock clock;
    PaymentProcessor a(store, clock, rates(0.5, 0.0, 0));
    PaymentProcessor b(store, clock, rates(0.5, 0.0, 0));
    CHECK(a.seed() != 0);
    CHECK(a.seed() != b.seed());
    PaymentProcessor fixed(store, clock, rates(0.5, 0.0, 99));
    CHECK(fixed.seed() == 99);
}

TEST_CASE("refund moves success to refunded exactly once") {
    Mock m(rates(0.0, 0.0));
    auto paid = m.processor.process(request(11));
    REQUIRE(paid);
    m.clock.advance(60s);
    auto refunded = m.processor.refund(paid->payment.id);
    REQUIRE(refunded);
    CHECK(refunded->applied);
    CHECK(refunded->payment.status == PaymentStatus::kRefunded);
    CHECK(refunded->payment.refunded_at == m.clock.now());
    auto again = m.processor.refund(paid->payment.id);
    REQUIRE(again);
    CHECK_FALSE(again->applied);
    CHECK(again->payment == refunded->payment);
    CHECK(m.refunds() == 1);
    CHECK(m.processor.get(paid->payment.id).value().status == PaymentStatus::kRefunded);
    // A replay of the charge answers the refunded payment: nothing is charged again.
    auto replay = m.processor.process(request(11));
    REQUIRE(replay);
    CHECK_FALSE(replay->first);
    CHECK(replay->payment.status == PaymentStatus::kRefunded);
}

TEST_CASE("16 concurrent refunds apply once" * doctest::test_suite("concurrent")) {
    Mock m(rates(0.0, 0.0));
    auto paid = m.processor.process(request(12));
    REQUIRE(paid);
    constexpr int kThreads = 16;
    std::atomic<int> applied{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            auto r = m.processor.refund(paid->payment.id);
            if (!r) {
                failed.fetch_add(1);
            } else if (r->applied) {
                applied.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(applied.load() == 1);
    CHECK(failed.load() == 0);
    CHECK(m.refunds() == 1);
}

TEST_CASE("only a charged payment is refundable") {
    Mock m(rates(0.0, 0.0));
    auto declined = m.processor.process(request(13), ForcedOutcome::kFailure);
    auto timed_out = m.processor.process(request(14), ForcedOutcome::kTimeout);
    REQUIRE(declined);
    REQUIRE(timed_out);
    for (const auto& id : {declined->payment.id, timed_out->payment.id}) {
        auto r = m.processor.refund(id);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kFailedPrecondition);
        CHECK(m.processor.get(id).value().status != PaymentStatus::kRefunded);
    }
    CHECK(m.processor.refund("pay_000000000000000000000000").error().code == ErrorCode::kNotFound);
    for (std::string_view bad : {"", "pay_", "pay_XYZ", "../../etc", "pay_00000000000000000000000g",
                                 "pay_0000000000000000000000000"}) {
        CHECK(m.processor.refund(bad).error().code == ErrorCode::kNotFound);
        CHECK(m.processor.get(bad).error().code == ErrorCode::kNotFound);
    }
    CHECK(m.refunds() == 0);
}

TEST_CASE("payments of a booking are listed newest first") {
    Mock m(rates(0.0, 0.0));
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        auto p = m.processor.process(request(20, fmt::format("attempt-{}", i)));
        REQUIRE(p);
        ids.push_back(p->payment.id);
        if (i == 0) m.clock.advance(1s);  // the last two share a second
    }
    auto listed = m.processor.find_by_booking(BookingId{20});
    REQUIRE(listed);
    REQUIRE(listed->size() == 3);
    CHECK((*listed)[0].id == ids[2]);
    CHECK((*listed)[1].id == ids[1]);
    CHECK((*listed)[2].id == ids[0]);
}
