// Black-box tests of the three real binaries on PostgreSQL and Redis (SPEC §4
// booking and payment services): flight-service, payment-service and
// booking-service as separate processes on free loopback ports. The HTTP
// suite is shared with the demo (system_suite.hpp); here each case also reads
// the databases, the truth behind the answers.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "booking_system.hpp"
#include "system_suite.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace flightbook::testing::suite;
using namespace std::chrono_literals;

namespace {

// Polls (bounded) until booking `id` of `user` has left `pending`; its status.
std::string settled_status(BookingSystem& sys, std::int64_t user, std::int64_t id) {
    auto c = sys.as_user(user);
    std::string status = "pending";
    for (int i = 0; i < 200 && status == "pending"; ++i) {
        status =
            json_body(c.get("/api/bookings/" + std::to_string(id))).get_string("status").value();
        if (status == "pending") std::this_thread::sleep_for(50ms);
    }
    return status;
}

}  // namespace

TEST_CASE("real services: book, read, list and cancel") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    book_read_list_cancel(sys);
    CHECK(sys.seats(1).booked == 50);  // 50 pre-booked; the 2 sold and given back
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments WHERE status = 'refunded'") == 1);
    operations(sys);
}

TEST_CASE("real services: multi-leg itineraries are booked all or nothing") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    multi_leg(sys);
    CHECK(sys.seats(11).held == 0);
    CHECK(sys.seats(3).held == 0);
}

TEST_CASE("real services: refusals") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    refusals(sys);
    // Two accepted bookings (the owner's and the old client's), nothing else.
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 2);
    CHECK(sys.seats(1).booked == 50);
}

TEST_CASE("real services: sold out") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    sold_out(sys);
    const auto row = sys.seats(3);
    CHECK(row.booked == row.total);
    CHECK(row.held == 0);
}

TEST_CASE("real services: a declined payment fails the booking and gives the seats back") {
    BookingSystem sys({.payment_args = {"--failure-rate", "1", "--timeout-rate", "0"}});
    declined_payment(sys);
    CHECK(sys.seats(1).held == 0);
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings WHERE status = 'failed'") == 1);
}

TEST_CASE("real services: one Idempotency-Key") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    idempotent_create(sys);
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 1);
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments") == 1);
}

TEST_CASE("a payment timeout answers 202 and the reconciler settles it") {
    BookingSystem sys(
        {.payment_args = {"--failure-rate", "0", "--timeout-rate", "1"},
         .booking_args = {"--reconcile-interval-ms", "100", "--reconcile-grace-seconds", "2",
                          "--client-connect-timeout-ms", "200", "--payment-read-timeout-ms", "500",
                          "--client-attempts", "2"}});
    auto c = sys.as_user(6);
    auto r = c.post("/api/bookings", booking_body(6, one(1), 2));
    conforms(r, "booking-service", "POST", "/api/bookings");
    CHECK(r->status == 202);
    auto body = json_body(r);
    CHECK(body.get_string("status").value() == "pending");
    const std::int64_t id = body.get_int64("booking_id").value();
    CHECK(available(sys, 1) == 128);  // held while the outcome is unknown

    // The mock recorded "timeout" (nothing charged): the reconciler fails
    // the booking and gives the seats back.
    CHECK(settled_status(sys, 6, id) == "failed");
    CHECK(available(sys, 1) == 130);
    CHECK(sys.seats(1).held == 0);
}
