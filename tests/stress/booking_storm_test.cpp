// Booking storms and crashes over the three real binaries (SPEC §5): many
// concurrent clients, faults injected (payment declines and timeouts,
// booking-service killed at each step of a booking, payment-service killed
// mid-storm), then the whole history is checked against the databases.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "booking_invariants.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

std::string body_for(std::int64_t user, int flight, int seats) {
    return fmt::format(
        R"({{"user_id":{},"flight_id":{},"seats":{},"date":"2024-02-15","payment_type":"credit_card"}})",
        user, flight, seats);
}

// Runs `threads` threads, each calling `fn(thread, i)` for i in [0, per_thread).
template <typename Fn>
void storm(int threads, int per_thread, Fn fn) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) fn(t, i);
        });
    }
    for (auto& th : pool) th.join();
}

// A reconciler that looks every 100 ms at bookings pending for 2 s; the
// payment client's whole time budget (2 × (200 + 500) ms + backoff) stays
// below that grace, as booking-service insists.
const std::vector<std::string> kFastReconcile{
    "--reconcile-interval-ms",     "100", "--reconcile-grace-seconds", "2",
    "--client-connect-timeout-ms", "200", "--payment-read-timeout-ms", "500",
    "--client-attempts",           "2"};

}  // namespace

TEST_CASE("200 concurrent bookings for 100 seats: exactly 100 confirmed, 100 failed") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    std::atomic<int> confirmed{0};
    std::atomic<int> sold_out{0};
    std::atomic<int> other{0};
    storm(40, 5, [&](int t, int i) {
        auto c = sys.as_user(1000 + t);
        auto r = c.post("/api/bookings", body_for(1000 + t, 3, 1));  // AI103: 100 left
        if (r && r->status == 200) {
            ++confirmed;
        } else if (r && r->status == 400 && r->body.find("\"sold_out\"") != std::string::npos) {
            ++sold_out;
        } else {
            ++other;
            MESSAGE("unexpected answer " << (r ? r->status : -1) << " at " << t << "/" << i);
        }
    });
    CHECK(confirmed.load() == 100);
    CHECK(sold_out.load() == 100);
    CHECK(other.load() == 0);
    REQUIRE(wait_until_settled(sys, 30s));
    const auto row = sys.seats(3);
    CHECK(row.booked == 180);
    CHECK(row.held == 0);
    const auto tally = check_invariants(sys, reference_booked());
    CHECK(tally.confirmed == 100);
    CHECK(tally.final_other == 100);
}

TEST_CASE("30% declines and 10% timeouts: after reconciliation money and seats agree") {
    BookingSystem sys(
        {.payment_args = {"--failure-rate", "0.3", "--timeout-rate", "0.1", "--seed", "11"},
         .booking_args = kFastReconcile});
    std::atomic<int> answered{0};
    std::atomic<int> server_errors{0};
    storm(16, 15, [&](int t, int i) {
        auto c = sys.as_user(2000 + t);
        const int flight = 1 + (t * 15 + i) % 16;
        const int seats = 1 + (t + i) % 3;
        auto r = c.post("/api/bookings", body_for(2000 + t, flight, seats));
        if (r) ++answered;
        if (r && r->status >= 500) ++server_errors;
    });
    CHECK(answered.load() == 240);
    CHECK(server_errors.load() == 0);
    REQUIRE(wait_until_settled(sys, 60s));
    const auto tally = check_invariants(sys, reference_booked());
    CHECK(tally.confirmed > 0);
    CHECK(tally.final_other > 0);
    CHECK(tally.confirmed + tally.final_other == 240);
}

TEST_CASE("one create sent 20 times at once with one Idempotency-Key: one booking, one answer") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    std::mutex m;
    std::set<std::pair<int, std::string>> answers;
    storm(20, 1, [&](int, int) {
        auto c = sys.booking().client({{"X-User-Id", "77"}, {"Idempotency-Key", "same-order"}});
        auto r = c.post("/api/bookings", body_for(77, 1, 2));
        std::lock_guard lock(m);
        answers.emplace(r ? r->status : -1, r ? r->body : std::string());
    });
    CHECK(answers.size() == 1);
    CHECK(answers.begin()->first == 200);
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 1);
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments") == 1);
    CHECK(sys.seats(1).booked == 52);
}

TEST_CASE("10 concurrent cancels of one booking: one 200, nine 409, seats and money back once") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.as_user(55);
    auto made = json_body(c.post("/api/bookings", body_for(55, 2, 4)));
    const std::string path =
        "/api/bookings/" + std::to_string(made.get_int64("booking_id").value()) + "/cancel";
    CHECK(sys.seats(2).booked == 34);
    std::atomic<int> ok{0};
    std::atomic<int> conflict{0};
    storm(10, 1, [&](int, int) {
        auto r = sys.as_user(55).put(path, "");
        if (r && r->status == 200) ++ok;
        if (r && r->status == 409) ++conflict;
    });
    CHECK(ok.load() == 1);
    CHECK(conflict.load() == 9);
    REQUIRE(wait_until_settled(sys, 30s));
    CHECK(sys.seats(2).booked == 30);
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments WHERE status = 'refunded'") == 1);
    check_invariants(sys, reference_booked());
}

TEST_CASE("booking-service killed at each step of a booking: restart and reconcile repair it") {
    for (const std::string step : {"pending", "held", "charged", "confirmed"}) {
        CAPTURE(step);
        BookingSystem sys(
            {.payment_args = never_failing_payments(), .booking_args = {"--crash-at", step}});
        auto c = sys.as_user(66);
        auto r = c.post("/api/bookings", body_for(66, 1, 2));
        CHECK_FALSE(r.has_value());  // the process died mid-request
        CHECK(sys.booking().wait_exit(10s) == 137);
        CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 1);

        sys.restart_booking(kFastReconcile);
        REQUIRE(wait_until_settled(sys, 30s));
        const auto tally = check_invariants(sys, reference_booked());
        // Before the charge nothing was paid: the booking fails and its seats
        // come back. After it, the booking is confirmed.
        const bool paid = step == "charged" || step == "confirmed";
        CHECK(tally.confirmed == (paid ? 1 : 0));
        CHECK(tally.charged == (paid ? 1 : 0));
        CHECK(sys.seats(1).booked == (paid ? 52 : 50));
    }
}

TEST_CASE("payment-service killed mid-storm and restarted: nothing stranded, nothing unpaid") {
    BookingSystem sys({.payment_args = never_failing_payments(), .booking_args = kFastReconcile});
    std::atomic<int> done{0};
    std::atomic<int> server_errors{0};
    std::thread chaos([&] {
        for (int i = 0; i < 400 && done.load() < 30; ++i) std::this_thread::sleep_for(5ms);
        sys.payment().kill_now();
        for (int i = 0; i < 400 && done.load() < 60; ++i) std::this_thread::sleep_for(5ms);
        sys.payment().start();
    });
    storm(8, 12, [&](int t, int i) {
        auto c = sys.as_user(3000 + t);
        auto r = c.post("/api/bookings", body_for(3000 + t, 1 + (t + i) % 16, 1));
        if (r && r->status >= 500) ++server_errors;
        ++done;
    });
    chaos.join();
    if (!sys.payment().running()) sys.payment().start();
    CHECK(server_errors.load() == 0);
    REQUIRE(wait_until_settled(sys, 60s));
    const auto tally = check_invariants(sys, reference_booked());
    CHECK(tally.confirmed + tally.final_other == 96);
}
