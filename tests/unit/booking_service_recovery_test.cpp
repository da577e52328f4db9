// BookingService under concurrency and crashes: one booking and one charge
// per idempotency key, one winner among concurrent cancels, and a crash at
// every durable step of a create repaired by a fresh service's reconciler
// (SPEC §5: no seat leaked, no money kept without a confirmed booking).
#include <doctest/doctest.h>

#include <thread>

#include "booking_service_fixtures.hpp"
#include "flightbook/booking/booking_reconciler.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using booking::BookingStatus;
using booking::CreateOutcome;
using testing::BookingWorld;
using testing::request;
using Mode = testing::ScriptedGateway::Mode;

namespace {

// SPEC §5: a successful payment always ends in a confirmed booking or a
// refund, and a confirmed booking always has a successful payment.
void check_money_invariant(BookingWorld& w) {
    for (const payment::Payment& p : w.gateway.payments()) {
        auto b = w.bookings.get(p.booking_id);
        REQUIRE(b);
        if (p.status == payment::PaymentStatus::kSuccess) {
            CHECK(b->status == BookingStatus::kConfirmed);
            CHECK(b->payment_id == std::optional(p.id));
        }
        if (b->status == BookingStatus::kConfirmed) {
            CHECK(p.status == payment::PaymentStatus::kSuccess);
        }
    }
}

}  // namespace

TEST_CASE("20 threads with one idempotency key make one booking, one charge, one answer" *
          doctest::test_suite("concurrent")) {
    BookingWorld w;
    auto o = BookingWorld::options();
    o.sleep = {};  // real sleeping: the repeats wait for the first answer
    o.idempotency_poll_ms = 1;
    o.idempotency_wait_ms = 10'000;
    auto service = w.make_service(o);
    auto r = request({8, 9});
    r.idempotency_key = "same-key";

    constexpr int kThreads = 20;
    std::vector<booking::StoredResponse> sent(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            auto a = service->create(r);
            if (!a) {
                errors[static_cast<std::size_t>(i)] = a.error().message;
                return;
            }
            sent[static_cast<std::size_t>(i)] = testing::respond(*service, *a);
        });
    }
    for (auto& t : threads) t.join();
    for (const std::string& e : errors) CHECK(e.empty());
    for (const auto& s : sent) CHECK(s == sent[0]);
    CHECK(sent[0].status == 200);
    CHECK(w.bookings.list_by_user(UserId{7}, 100, 0)->size() == 1);
    CHECK(w.gateway.charged() == 1);
    CHECK(w.available(8) == 158);
    CHECK(w.available(9) == 143);
}

TEST_CASE("10 concurrent cancels: one wins, seats come back once, one refund" *
          doctest::test_suite("concurrent")) {
    BookingWorld w;
    auto service = w.make_service();
    auto a = service->create(request({12, 13}, 4));
    REQUIRE(a);
    REQUIRE(a->outcome == CreateOutcome::kConfirmed);
    CHECK(w.available(12) == 161);

    constexpr int kThreads = 10;
    std::atomic<int> won{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto c = service->cancel(a->booking->id, UserId{7});
            if (c) {
                ++won;
            } else if (c.error().code == ErrorCode::kConflict) {
                ++refused;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(won.load() == 1);
    CHECK(refused.load() == kThreads - 1);
    CHECK(w.available(12) == 165);
    CHECK(w.available(13) == 160);
    CHECK(w.gateway.refunded() == 1);
    auto b = w.bookings.get(a->booking->id);
    CHECK(b->status == BookingStatus::kCancelled);
    CHECK(b->settled);
}

TEST_CASE("a crash at any step of a create is repaired by a fresh service") {
    struct Case {
        const char* step;
        BookingStatus expected;
        std::int32_t seats_left;  // on AI101 (130 before)
        int charged;
    };
    for (const Case c : {Case{"pending", BookingStatus::kFailed, 130, 0},
                         Case{"held", BookingStatus::kFailed, 130, 0},
                         Case{"charged", BookingStatus::kConfirmed, 128, 1},
                         Case{"confirmed", BookingStatus::kConfirmed, 128, 1}}) {
        CAPTURE(c.step);
        BookingWorld w;
        auto o = BookingWorld::options();
        const std::string crash_at = c.step;
        o.on_step = [crash_at](std::string_view step) {
            if (step == crash_at) throw testing::SimulatedCrash(crash_at);
        };
        {
            auto dying = w.make_service(o);
            CHECK_THROWS_AS((void)dying->create(request({1})), testing::SimulatedCrash);
        }
        auto mine = w.bookings.list_by_user(UserId{7}, 10, 0);
        REQUIRE(mine);
        REQUIRE(mine->size() == 1);
        const BookingId id = mine->front().id;

        auto fresh = w.make_service();
        w.after_grace();
        auto report = fresh->reconcile_once(10);
        REQUIRE(report);
        auto b = w.bookings.get(id);
        REQUIRE(b);
        CHECK(b->status == c.expected);
        CHECK(w.available(1) == c.seats_left);
        CHECK(w.gateway.charged() == c.charged);
        CHECK(w.gateway.refunded() == 0);
        if (c.expected == BookingStatus::kFailed) CHECK(b->settled);
        check_money_invariant(w);
        // A second pass finds nothing left to do.
        auto again = fresh->reconcile_once(10);
        REQUIRE(again);
        CHECK(again->pending_examined == 0);
        CHECK(again->unsettled_examined == 0);
    }
}

TEST_CASE("a crash after charging, with the hold expired meanwhile, ends in a refund") {
    BookingWorld w;
    auto o = BookingWorld::options();
    o.on_step = [](std::string_view step) {
        if (step == "charged") throw testing::SimulatedCrash("charged");
    };
    {
        auto dying = w.make_service(o);
        CHECK_THROWS_AS((void)dying->create(request({8, 9})), testing::SimulatedCrash);
    }
    // The hold outlives nobody: the flight service's sweeper takes it back.
    w.clock.advance(rules::kDefaultHoldTtl + 1s);
    REQUIRE(w.inventory.release_expired(w.clock.now(), 100));
    CHECK(w.available(8) == 160);

    auto fresh = w.make_service();
    auto report = fresh->reconcile_once(10);
    REQUIRE(report);
    CHECK(report->expired == 1);
    CHECK(report->refunded == 1);
    auto b = w.bookings.list_by_user(UserId{7}, 10, 0)->front();
    CHECK(b.status == BookingStatus::kExpired);
    CHECK(b.settled);
    CHECK(w.gateway.refunded() == 1);
    CHECK(w.available(8) == 160);
    CHECK(w.available(9) == 145);
    check_money_invariant(w);
}

TEST_CASE("a crash while a cancel races the create still returns the money") {
    BookingWorld w;
    auto o = BookingWorld::options();
    auto service = w.make_service();
    // The booking is cancelled while its payment is being made, and the
    // create process dies right after the charge.
    o.on_step = [](std::string_view step) {
        if (step == "charged") throw testing::SimulatedCrash("charged");
    };
    auto dying = w.make_service(o);
    w.gateway.set_before_charge([&] {
        auto id = w.bookings.list_by_user(UserId{7}, 1, 0)->front().id;
        REQUIRE(service->cancel(id, UserId{7}));
    });
    CHECK_THROWS_AS((void)dying->create(request({1})), testing::SimulatedCrash);
    w.gateway.set_before_charge({});
    CHECK(w.gateway.charged() == 1);
    CHECK(w.available(1) == 130);  // the cancel released the hold

    w.after_grace();
    auto report = service->reconcile_once(10);
    REQUIRE(report);
    CHECK(report->refunded == 1);
    CHECK(report->settled == 1);
    CHECK(w.gateway.refunded() == 1);
    auto b = w.bookings.list_by_user(UserId{7}, 1, 0)->front();
    CHECK(b.status == BookingStatus::kCancelled);
    CHECK(b.settled);
    check_money_invariant(w);
}

TEST_CASE("BookingReconciler runs passes in the background and reports them" *
          doctest::test_suite("concurrent")) {
    BookingWorld w;
    auto service = w.make_service();
    w.gateway.set_mode(Mode::kUnknownCharged);
    auto a = service->create(request({1}));
    REQUIRE(a);
    w.after_grace();

    std::mutex mutex;
    std::vector<booking::ReconcileReport> reports;
    booking::BookingReconcilerOptions ro;
    ro.interval = 5ms;
    booking::BookingReconciler reconciler(
        *service, ro, [](const Error&) {},
        [&](const booking::ReconcileReport& r) {
            std::lock_guard lock(mutex);
            reports.push_back(r);
        });
    reconciler.start();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    bool seen = false;
    while (!seen && std::chrono::steady_clock::now() < deadline) {
        {
            std::lock_guard lock(mutex);
            seen = !reports.empty();
        }
        if (!seen) std::this_thread::sleep_for(2ms);
    }
    reconciler.stop();
    REQUIRE(seen);
    CHECK(reports.front().confirmed == 1);
    CHECK(w.bookings.get(a->booking->id)->status == BookingStatus::kConfirmed);
}
