// `flightbook demo` answers like the three real services: the same HTTP
// suite (system_suite.hpp) as booking_system_test.cpp, against the demo's
// one process on in-memory stores. Needs no database.
#include <doctest/doctest.h>

#include "demo_system.hpp"
#include "system_suite.hpp"

using namespace flightbook::testing;
using namespace flightbook::testing::suite;

TEST_CASE("demo: book, read, list and cancel") {
    DemoSystem sys({.payment_args = never_failing_payments()});
    book_read_list_cancel(sys);
    operations(sys);
}

TEST_CASE("demo: multi-leg itineraries are booked all or nothing") {
    DemoSystem sys({.payment_args = never_failing_payments()});
    multi_leg(sys);
}

TEST_CASE("demo: refusals") {
    DemoSystem sys({.payment_args = never_failing_payments()});
    refusals(sys);
}

TEST_CASE("demo: sold out") {
    DemoSystem sys({.payment_args = never_failing_payments()});
    sold_out(sys);
}

TEST_CASE("demo: a declined payment fails the booking and gives the seats back") {
    DemoSystem sys({.payment_args = {"--failure-rate", "1", "--timeout-rate", "0"}});
    declined_payment(sys);
}

TEST_CASE("demo: one Idempotency-Key") {
    DemoSystem sys({.payment_args = never_failing_payments()});
    idempotent_create(sys);
}

TEST_CASE("demo: PAYMENT_FAILURE_RATE from the environment, bad flags refused") {
    // The demo passes the SPEC §4 variables to its payment mock as the real
    // payment-service reads them.
    ::setenv("PAYMENT_FAILURE_RATE", "1", 1);
    ::setenv("PAYMENT_TIMEOUT_RATE", "0", 1);
    DemoSystem sys;
    ::unsetenv("PAYMENT_FAILURE_RATE");
    ::unsetenv("PAYMENT_TIMEOUT_RATE");
    auto r = sys.as_user(4).post("/api/bookings", booking_body(4, one(1), 1));
    conforms(r, "booking-service", "POST", "/api/bookings");
    CHECK(r->status == 400);
    CHECK(json_body(r).get_string("error").value() == "payment_declined");

    ServiceProcess bad("flightbook-demo-bad", "apps/flightbook/flightbook",
                       {"demo", "--flight-port", "0"}, 1);
    bad.start(false);
    CHECK(bad.wait_exit(std::chrono::seconds(10)) == 2);
}
