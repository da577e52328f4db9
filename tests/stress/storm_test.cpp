// The reliability storm's CI profile (docs/reliability.md): the three real
// binaries, a payment mock that declines and times out, the storm's clients
// selling flights out with replays and cancels, then every invariant checked
// from the history and the databases. And proof that the checker can fail:
// hand-made histories with each kind of violation.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "booking_system.hpp"
#include "checker.hpp"
#include "cli.hpp"
#include "options.hpp"
#include "storm.hpp"

using namespace flightbook;
using namespace flightbook::storm;
using flightbook::testing::BookingSystem;

namespace {

// Sanitizer builds run several times slower: they get the tiny profile so
// that the stress label stays within its time budget under asan and tsan.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// A clean little world: flight 3 (100 seats, 80 sold before), one booking
// confirmed and paid, one cancelled and refunded, one declined.
CheckInput clean_input() {
    CheckInput in;
    in.final_state.settled = true;
    in.final_state.baseline[3] = 80;
    SeatSample s;
    s.flight = 3;
    s.total = 180;
    s.booked = 82;
    s.held = 0;
    s.confirmed_legs = 2;
    s.available = 98;
    in.samples.push_back(s);
    in.final_state.seats.push_back(s);

    auto call = [](Op op, std::int64_t booking, int status, const char* answer,
                   const char* key = "") {
        Call c;
        c.op = op;
        c.user = 7;
        c.idempotency_key = key;
        c.flights = {3};
        c.seats = 2;
        c.booking_id = booking;
        c.status = status;
        c.answer_status = answer;
        return c;
    };
    in.calls = {
        call(Op::kBook, 1, 200, "confirmed", "k1"), call(Op::kReplay, 1, 200, "confirmed", "k1"),
        call(Op::kBook, 2, 200, "confirmed"),       call(Op::kCancel, 2, 200, "cancelled"),
        call(Op::kDoubleCancel, 2, 409, ""),        call(Op::kBook, 3, 400, "failed")};
    in.calls.back().error_code = "payment_declined";
    in.started = static_cast<std::int64_t>(in.calls.size());

    auto row = [](std::int64_t id, const char* status, const char* key, const char* payment) {
        BookingRow b;
        b.id = id;
        b.user = 7;
        b.status = status;
        b.idempotency_key = key;
        b.payment_id = payment;
        b.settled = std::string(status) != "confirmed";
        b.seats = 2;
        b.legs = {3};
        return b;
    };
    in.final_state.bookings[1] = row(1, "confirmed", "k1", "pay_1");
    in.final_state.bookings[2] = row(2, "cancelled", "", "pay_2");
    in.final_state.bookings[3] = row(3, "failed", "", "");
    in.final_state.payments = {
        {"pay_1", 1, "success"}, {"pay_2", 2, "refunded"}, {"pay_3", 3, "failed"}};
    return in;
}

bool reports(const std::vector<Violation>& found, const char* inv) {
    return std::any_of(found.begin(), found.end(),
                       [&](const Violation& v) { return v.invariant == inv; });
}

std::string list(const std::vector<Violation>& found) {
    std::string out;
    for (const auto& v : found) out += v.invariant + ": " + v.detail + "\n";
    return out;
}

}  // namespace

TEST_CASE("storm checker: a clean history passes") {
    const auto found = check(clean_input());
    CHECK_MESSAGE(found.empty(), list(found));
}

TEST_CASE("storm checker: every kind of violation is reported") {
    SUBCASE("oversell seen by the monitor") {
        auto in = clean_input();
        SeatSample s = in.samples.front();
        s.booked = 181;
        s.confirmed_legs = 101;
        s.available = -1;
        in.samples.push_back(s);
        CHECK(reports(check(in), invariant::kOversell));
    }
    SUBCASE("seats that do not add up: held seats without a held reservation") {
        auto in = clean_input();
        in.samples.front().held = 1;
        in.samples.front().booked = 83;
        in.samples.front().available = 97;
        CHECK(reports(check(in), invariant::kSeatAccounting));
    }
    SUBCASE("an acknowledged confirmed booking that ends failed") {
        auto in = clean_input();
        in.final_state.bookings[1].status = "failed";
        in.final_state.payments[0].status = "refunded";
        CHECK(reports(check(in), invariant::kAckedBookingLost));
    }
    SUBCASE("an acknowledged booking missing from the database") {
        auto in = clean_input();
        in.final_state.bookings.erase(1);
        in.final_state.payments.erase(in.final_state.payments.begin());
        CHECK(reports(check(in), invariant::kAckedBookingLost));
    }
    SUBCASE("an acknowledged booking cancelled that no one cancelled") {
        auto in = clean_input();
        in.final_state.bookings[1].status = "cancelled";
        in.final_state.bookings[1].settled = true;
        in.final_state.payments[0].status = "refunded";
        CHECK(reports(check(in), invariant::kAckedBookingLost));
    }
    SUBCASE("a replay that created a second booking") {
        auto in = clean_input();
        in.calls[1].booking_id = 4;
        auto second = in.final_state.bookings[1];
        second.id = 4;
        second.status = "failed";
        second.payment_id.clear();
        second.settled = true;
        in.final_state.bookings[4] = second;
        const auto found = check(in);
        CHECK(reports(found, invariant::kReplaySecondBooking));
    }
    SUBCASE("a cancel answered 200 whose booking stays confirmed") {
        auto in = clean_input();
        in.final_state.bookings[2].status = "confirmed";
        in.final_state.bookings[2].settled = false;
        in.final_state.payments[1].status = "success";
        CHECK(reports(check(in), invariant::kCancelNotApplied));
    }
    SUBCASE("two cancels of one booking both answered 200") {
        auto in = clean_input();
        in.calls[4].status = 200;
        CHECK(reports(check(in), invariant::kCancelTwice));
    }
    SUBCASE("a confirmed booking charged twice") {
        auto in = clean_input();
        in.final_state.payments.push_back({"pay_1b", 1, "refunded"});
        CHECK(reports(check(in), invariant::kPaidOnce));
    }
    SUBCASE("money kept for a booking that failed") {
        auto in = clean_input();
        in.final_state.payments[2].status = "success";
        CHECK(reports(check(in), invariant::kPaymentOrphan));
    }
    SUBCASE("a refused booking that ends confirmed") {
        auto in = clean_input();
        in.final_state.bookings[3].status = "confirmed";
        in.final_state.bookings[3].payment_id = "pay_3";
        in.final_state.payments[2].status = "success";
        CHECK(reports(check(in), invariant::kRefusedConfirmed));
    }
    SUBCASE("a hold left past its expiry") {
        auto in = clean_input();
        in.final_state.expired_holds = {"booking-9"};
        CHECK(reports(check(in), invariant::kHoldAfterExpiry));
    }
    SUBCASE("bookings that never settle") {
        auto in = clean_input();
        in.final_state.settled = false;
        CHECK(reports(check(in), invariant::kUnsettled));
    }
    SUBCASE("a request that was never recorded") {
        auto in = clean_input();
        in.started += 1;
        CHECK(reports(check(in), invariant::kLost));
    }
    SUBCASE("Redis disagrees with PostgreSQL at the end") {
        auto in = clean_input();
        SeatSample r = in.final_state.seats.front();
        r.source = SeatSource::kRedis;
        r.available = 99;
        in.final_state.seats.push_back(r);
        CHECK(reports(check(in), invariant::kSeatAccounting));
    }
}

TEST_CASE("storm: the short profile sells flights out with no invariant violated") {
    // Declines and gateway timeouts from the mock's settings; a reconciler
    // that resolves pending bookings 2 s after they stop moving, so the storm
    // settles within its bounded wait.
    BookingSystem sys(
        {.payment_args = {"--failure-rate", "0.15", "--timeout-rate", "0.05", "--seed", "12"},
         .booking_args = {"--reconcile-interval-ms", "100", "--reconcile-grace-seconds", "2",
                          "--client-connect-timeout-ms", "200", "--payment-read-timeout-ms", "500",
                          "--client-attempts", "2"}});
    auto options = profile(kSanitized ? "tiny" : "short").value();
    options.targets.flight_url = sys.flight().url();
    options.targets.booking_url = sys.booking().url();
    options.targets.payment_url = sys.payment().url();
    options.targets.service_token = flightbook::testing::kSystemToken;
    options.targets.flights_dsn = sys.flights_db().dsn();
    options.targets.bookings_dsn = sys.bookings_db().dsn();
    options.targets.payments_dsn = sys.payments_db().dsn();
    options.targets.redis_port = sys.redis().port();
    options.settle_seconds = 30;
    options.seed = 12;
    // A flight can sit at 0 for only a moment before a cancel or a decline
    // gives seats back: read often enough to see it (5 flights, cheap reads).
    options.monitor_interval_ms = 25;

    auto result = run_storm(options);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
    MESSAGE(result->report);
    CHECK(result->violations.empty());
    const Summary& s = result->summary;
    // A storm that sold nothing proves nothing.
    CHECK(s.confirmed_answers > 0);
    CHECK(s.sold_out_answers > 0);
    CHECK(s.declined_answers > 0);
    // The release run sells every flight out; a sanitizer run may stop at
    // its time limit first, but flight 3 (100 seats) is gone by then.
    CHECK(s.flights_sold_out >= 1);
    if (!kSanitized) CHECK(s.flights_sold_out == static_cast<std::int64_t>(s.min_available.size()));
    CHECK(s.ops.count("replay") == 1);
    CHECK(s.ops.count("double_cancel") == 1);
    CHECK(s.all.server_errors == 0);
    CHECK(s.all.timeouts == 0);
    CHECK(result->final_state.settled);
}
