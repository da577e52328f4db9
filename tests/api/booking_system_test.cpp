// Black-box tests of the three real binaries on PostgreSQL and Redis (SPEC §4
// booking and payment services): flight-service, payment-service and
// booking-service as separate processes on free loopback ports, checked
// through their HTTP APIs and by reading the databases.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <thread>

#include "booking_system.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

std::string booking_body(std::int64_t user, const std::string& flights, int seats,
                         const std::string& date = "2024-02-15") {
    return fmt::format(R"({{"user_id":{},{},"seats":{},"date":"{}","payment_type":"upi"}})", user,
                       flights, seats, date);
}

std::string one(int flight) { return fmt::format(R"("flight_id":{})", flight); }

// The seats of a flight as flight-service reports them.
std::int64_t available(BookingSystem& sys, int flight) {
    auto c = sys.flight().client();
    return json_body(c.get("/api/flights/" + std::to_string(flight)))
        .get_int64("available_seats")
        .value();
}

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

TEST_CASE("book, read, list and cancel through the real services") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.as_user(42);

    auto booked = c.post("/api/bookings", booking_body(42, one(1), 2));
    REQUIRE(booked);
    CHECK(booked->status == 200);
    CHECK(booked->body.ends_with("}\n"));
    auto b = json_body(booked);
    CHECK(b.get_string("status").value() == "confirmed");
    CHECK(b.get_money("total_amount").value() == Money::from_cents(1'700'000));
    const std::int64_t id = b.get_int64("booking_id").value();
    const std::string payment_id = b.get_string("payment_id").value();
    CHECK(payment_id.starts_with("pay_"));
    CHECK(available(sys, 1) == 128);
    CHECK(sys.seats(1).booked == 52);  // 50 pre-booked + 2, in PostgreSQL

    auto got = json_body(c.get("/api/bookings/" + std::to_string(id)));
    CHECK(got.get_string("status").value() == "confirmed");
    CHECK(got.get_string("payment_id").value() == payment_id);
    const auto* history = got.find("history");
    REQUIRE(history != nullptr);
    REQUIRE(history->as_array() != nullptr);
    CHECK(history->as_array()->size() == 2);  // created → confirmed

    auto listed = json_body(c.get("/api/bookings?user_id=42"));
    CHECK(listed.get_int64("count").value() == 1);

    auto cancelled = c.put("/api/bookings/" + std::to_string(id) + "/cancel", "");
    REQUIRE(cancelled);
    CHECK(cancelled->status == 200);
    CHECK(available(sys, 1) == 130);
    CHECK(json_body(c.get("/api/bookings/" + std::to_string(id))).get_string("status").value() ==
          "cancelled");
    auto again = c.put("/api/bookings/" + std::to_string(id) + "/cancel", "");
    REQUIRE(again);
    CHECK(again->status == 409);
    CHECK(available(sys, 1) == 130);  // seats back once

    // The payment was refunded exactly once.
    auto pay = sys.payment().client();
    auto payment = json_body(pay.get("/api/payments/" + payment_id));
    CHECK(payment.get_string("status").value() == "refunded");
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments WHERE status = 'refunded'") == 1);
}

TEST_CASE("multi-leg itineraries are booked all or nothing") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.as_user(5);

    // DEL→HYD→BLR: AI401 + AI402 (SPEC §3).
    auto two = c.post("/api/bookings", booking_body(5, R"("flight_ids":[8,9])", 2));
    REQUIRE(two);
    CHECK(two->status == 200);
    CHECK(json_body(two).get_money("total_amount").value() == Money::from_cents(3'000'000));
    CHECK(available(sys, 8) == 158);
    CHECK(available(sys, 9) == 143);

    // HYD→BLR→DEL→BOM: AI404 + AI502 + AI103 (the 4 h layover at DEL).
    auto three = c.post("/api/bookings", booking_body(5, R"("flight_ids":[11,15,3])", 1));
    REQUIRE(three);
    CHECK(three->status == 200);
    CHECK(available(sys, 11) == 154);
    CHECK(available(sys, 15) == 144);
    CHECK(available(sys, 3) == 99);

    // A leg that cannot take the seats: nothing is held on the others.
    auto too_many = c.post("/api/bookings", booking_body(5, R"("flight_ids":[11,15,3])", 100));
    REQUIRE(too_many);
    CHECK(too_many->status == 400);
    auto refusal = json_body(too_many);
    CHECK(refusal.get_string("error").value() == "sold_out");
    CHECK(refusal.get_string("status").value() == "failed");
    CHECK(available(sys, 11) == 154);
    CHECK(available(sys, 15) == 144);
    CHECK(sys.seats(11).held == 0);
}

TEST_CASE("refusals: unknown flight, wrong date, legs that do not connect, bad input, users") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.as_user(9);
    const auto refused = [&](const std::string& body, int status, const std::string& code) {
        CAPTURE(body);
        auto r = c.post("/api/bookings", body);
        REQUIRE(r);
        CHECK(r->status == status);
        CHECK(r->body.ends_with("}\n"));
        CHECK(json_body(r).get_string("error").value() == code);
    };
    refused(booking_body(9, one(999), 1), 400, "flight_not_found");
    refused(booking_body(9, one(1), 1, "2024-02-16"), 400, "wrong_date");
    refused(booking_body(9, R"("flight_ids":[1,4])", 1), 400, "legs_do_not_connect");
    refused("{", 400, "invalid_argument");
    refused(R"({"user_id":9,"flight_id":1,"date":"2024-02-15"})", 400, "invalid_argument");
    refused(R"({"user_id":9,"flight_id":"1","seats":1,"date":"2024-02-15"})", 400,
            "invalid_argument");
    refused(booking_body(9, one(1), 0), 400, "invalid_argument");
    refused(booking_body(9, one(1), 101), 400, "invalid_argument");
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 0);
    CHECK(sys.seats(1).booked == 50);

    // X-User-Id must match the body's user on create.
    auto other = sys.as_user(10).post("/api/bookings", booking_body(9, one(1), 1));
    REQUIRE(other);
    CHECK(other->status == 403);

    // Only the owner reads or cancels; a missing X-User-Id is refused.
    auto mine = json_body(c.post("/api/bookings", booking_body(9, one(2), 1)));
    const std::string path =
        "/api/bookings/" + std::to_string(mine.get_int64("booking_id").value());
    auto stranger = sys.as_user(10);
    auto read = stranger.get(path);
    REQUIRE(read);
    CHECK(read->status == 404);
    auto cancel = stranger.put(path + "/cancel", "");
    REQUIRE(cancel);
    CHECK(cancel->status == 404);
    auto anonymous = sys.booking().client().get(path);
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    CHECK(json_body(c.get(path)).get_string("status").value() == "confirmed");

    // A create without X-User-Id is accepted (old clients).
    auto old_client = sys.booking().client().post("/api/bookings", booking_body(11, one(2), 1));
    REQUIRE(old_client);
    CHECK(old_client->status == 200);
}

TEST_CASE("sold out: the last seats sell, the next booking fails and holds nothing") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.as_user(3);
    auto all = c.post("/api/bookings", booking_body(3, one(3), 100));  // AI103: 100 left
    REQUIRE(all);
    CHECK(all->status == 200);
    auto more = c.post("/api/bookings", booking_body(3, one(3), 1));
    REQUIRE(more);
    CHECK(more->status == 400);
    CHECK(json_body(more).get_string("error").value() == "sold_out");
    CHECK(available(sys, 3) == 0);
    const auto row = sys.seats(3);
    CHECK(row.booked == row.total);
    CHECK(row.held == 0);
}

TEST_CASE("a declined payment fails the booking and gives the seats back") {
    BookingSystem sys({.payment_args = {"--failure-rate", "1", "--timeout-rate", "0"}});
    auto c = sys.as_user(4);
    auto r = c.post("/api/bookings", booking_body(4, one(1), 2));
    REQUIRE(r);
    CHECK(r->status == 400);
    auto body = json_body(r);
    CHECK(body.get_string("error").value() == "payment_declined");
    CHECK(body.get_string("status").value() == "failed");
    CHECK(available(sys, 1) == 130);
    CHECK(sys.seats(1).held == 0);
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings WHERE status = 'failed'") == 1);

    // The mock's simulate endpoints answer as the reference clients expect.
    auto pay = sys.payment().client();
    auto fail = pay.post("/api/payments/simulate/failure", "{}");
    REQUIRE(fail);
    CHECK(fail->status == 200);
    CHECK(json_body(fail).get_string("status").value() == "failed");
    auto timeout = pay.post("/api/payments/simulate/timeout", "{}");
    REQUIRE(timeout);
    CHECK(timeout->status == 408);
    auto success = pay.post("/api/payments/simulate/success", "{}");
    REQUIRE(success);
    CHECK(success->status == 200);
}

TEST_CASE("a payment timeout answers 202 and the reconciler settles it") {
    BookingSystem sys(
        {.payment_args = {"--failure-rate", "0", "--timeout-rate", "1"},
         .booking_args = {"--reconcile-interval-ms", "100", "--reconcile-grace-seconds", "2",
                          "--client-connect-timeout-ms", "200", "--payment-read-timeout-ms", "500",
                          "--client-attempts", "2"}});
    auto c = sys.as_user(6);
    auto r = c.post("/api/bookings", booking_body(6, one(1), 2));
    REQUIRE(r);
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

TEST_CASE("one Idempotency-Key: the first answer replayed, another body refused") {
    BookingSystem sys({.payment_args = never_failing_payments()});
    auto c = sys.booking().client({{"X-User-Id", "8"}, {"Idempotency-Key", "order-77"}});
    auto first = c.post("/api/bookings", booking_body(8, one(2), 2));
    auto second = c.post("/api/bookings", booking_body(8, one(2), 2));
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->status == 200);
    CHECK(second->status == first->status);
    CHECK(second->body == first->body);
    auto other = c.post("/api/bookings", booking_body(8, one(2), 3));
    REQUIRE(other);
    CHECK(other->status == 422);
    CHECK(json_body(other).get_string("error").value() == "idempotency_key_reused");
    CHECK(sys.scalar("bookings", "SELECT count(*) FROM bookings") == 1);
    CHECK(sys.scalar("payments", "SELECT count(*) FROM payments") == 1);
    CHECK(available(sys, 2) == 148);
}
