#pragma once
// One black-box HTTP suite of the whole system, run against the three real
// binaries on PostgreSQL and Redis (booking_system_test.cpp) and against
// `flightbook demo` in memory (demo_test.cpp), so that the two cannot drift.
// Every answer is also checked against docs/openapi.json. A System offers
// flight(), payment(), booking() (each with client()) and as_user(id).
// Checks here go through HTTP only; the real-system tests add the databases.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <thread>

#include "booking_system.hpp"
#include "openapi.hpp"

namespace flightbook::testing::suite {

using namespace std::chrono_literals;

inline std::string booking_body(std::int64_t user, const std::string& flights, int seats,
                                const std::string& date = "2024-02-15") {
    return fmt::format(R"({{"user_id":{},{},"seats":{},"date":"{}","payment_type":"upi"}})", user,
                       flights, seats, date);
}

inline std::string one(int flight) { return fmt::format(R"("flight_id":{})", flight); }

/// `answer` unchanged, after checking it against the OpenAPI description of
/// `service`'s `method` on `path` (the path as sent, query string excluded).
inline const Result<http::ClientResponse>& conforms(const Result<http::ClientResponse>& answer,
                                                    std::string_view service,
                                                    std::string_view method,
                                                    std::string_view path) {
    REQUIRE(answer);
    const std::string_view bare = path.substr(0, path.find('?'));
    for (const std::string& v : check_answer(service, method, bare, answer->status, answer->body)) {
        FAIL_CHECK(service << " " << method << " " << path << " " << answer->status
                           << " breaks docs/openapi.json: " << v << "\n  body: " << answer->body);
    }
    return answer;
}

template <typename System>
std::int64_t available(System& sys, int flight) {
    const std::string path = "/api/flights/" + std::to_string(flight);
    auto r = sys.flight().client().get(path);
    return json_body(conforms(r, "flight-service", "GET", path))
        .get_int64("available_seats")
        .value();
}

/// Book, read, list, cancel, cancel again; the payment refunded once.
template <typename System>
void book_read_list_cancel(System& sys) {
    auto c = sys.as_user(42);
    auto search = sys.flight().client().get(
        "/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2");
    conforms(search, "flight-service", "GET", "/api/flights/search");
    CHECK(search->status == 200);
    CHECK(search->body.ends_with("}\n"));

    auto booked = c.post("/api/bookings", booking_body(42, one(1), 2));
    conforms(booked, "booking-service", "POST", "/api/bookings");
    CHECK(booked->status == 200);
    CHECK(booked->body.ends_with("}\n"));
    auto b = json_body(booked);
    CHECK(b.get_string("status").value() == "confirmed");
    CHECK(b.get_money("total_amount").value() == Money::from_cents(1'700'000));
    const std::int64_t id = b.get_int64("booking_id").value();
    const std::string payment_id = b.get_string("payment_id").value();
    CHECK(payment_id.starts_with("pay_"));
    CHECK(available(sys, 1) == 128);

    const std::string path = "/api/bookings/" + std::to_string(id);
    auto got = json_body(conforms(c.get(path), "booking-service", "GET", path));
    CHECK(got.get_string("status").value() == "confirmed");
    CHECK(got.get_string("payment_id").value() == payment_id);
    const auto* history = got.find("history");
    REQUIRE(history != nullptr);
    REQUIRE(history->as_array() != nullptr);
    CHECK(history->as_array()->size() == 2);  // created → confirmed

    auto listed = json_body(
        conforms(c.get("/api/bookings?user_id=42"), "booking-service", "GET", "/api/bookings"));
    CHECK(listed.get_int64("count").value() == 1);

    auto cancelled = c.put(path + "/cancel", "");
    conforms(cancelled, "booking-service", "PUT", path + "/cancel");
    CHECK(cancelled->status == 200);
    CHECK(available(sys, 1) == 130);
    CHECK(json_body(c.get(path)).get_string("status").value() == "cancelled");
    auto again = c.put(path + "/cancel", "");
    conforms(again, "booking-service", "PUT", path + "/cancel");
    CHECK(again->status == 409);
    CHECK(available(sys, 1) == 130);  // seats back once

    const std::string payment_path = "/api/payments/" + payment_id;
    auto payment = json_body(
        conforms(sys.payment().client().get(payment_path), "payment-service", "GET", payment_path));
    CHECK(payment.get_string("status").value() == "refunded");
}

/// Two- and three-leg itineraries all or nothing; a leg without the seats
/// holds nothing on the others.
template <typename System>
void multi_leg(System& sys) {
    auto c = sys.as_user(5);
    // DEL→HYD→BLR: AI401 + AI402 (SPEC §3).
    auto two = c.post("/api/bookings", booking_body(5, R"("flight_ids":[8,9])", 2));
    conforms(two, "booking-service", "POST", "/api/bookings");
    CHECK(two->status == 200);
    CHECK(json_body(two).get_money("total_amount").value() == Money::from_cents(3'000'000));
    CHECK(available(sys, 8) == 158);
    CHECK(available(sys, 9) == 143);

    // HYD→BLR→DEL→BOM: AI404 + AI502 + AI103 (the 4 h layover at DEL).
    auto three = c.post("/api/bookings", booking_body(5, R"("flight_ids":[11,15,3])", 1));
    conforms(three, "booking-service", "POST", "/api/bookings");
    CHECK(three->status == 200);
    CHECK(available(sys, 11) == 154);
    CHECK(available(sys, 15) == 144);
    CHECK(available(sys, 3) == 99);

    auto too_many = c.post("/api/bookings", booking_body(5, R"("flight_ids":[11,15,3])", 100));
    conforms(too_many, "booking-service", "POST", "/api/bookings");
    CHECK(too_many->status == 400);
    auto refusal = json_body(too_many);
    CHECK(refusal.get_string("error").value() == "sold_out");
    CHECK(refusal.get_string("status").value() == "failed");
    CHECK(available(sys, 11) == 154);
    CHECK(available(sys, 15) == 144);
}

/// Unknown flight, wrong date, legs that do not connect, bad input, users.
template <typename System>
void refusals(System& sys) {
    auto c = sys.as_user(9);
    const auto refused = [&](const std::string& body, int status, const std::string& code) {
        CAPTURE(body);
        auto r = c.post("/api/bookings", body);
        conforms(r, "booking-service", "POST", "/api/bookings");
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
    CHECK(available(sys, 1) == 130);

    // X-User-Id must match the body's user on create.
    auto other = sys.as_user(10).post("/api/bookings", booking_body(9, one(1), 1));
    conforms(other, "booking-service", "POST", "/api/bookings");
    CHECK(other->status == 403);

    // Only the owner reads or cancels; a missing X-User-Id is refused.
    auto mine = json_body(c.post("/api/bookings", booking_body(9, one(2), 1)));
    const std::string path =
        "/api/bookings/" + std::to_string(mine.get_int64("booking_id").value());
    auto stranger = sys.as_user(10);
    CHECK(conforms(stranger.get(path), "booking-service", "GET", path)->status == 404);
    CHECK(conforms(stranger.put(path + "/cancel", ""), "booking-service", "PUT", path + "/cancel")
              ->status == 404);
    CHECK(conforms(sys.booking().client().get(path), "booking-service", "GET", path)->status ==
          401);
    CHECK(json_body(c.get(path)).get_string("status").value() == "confirmed");

    // A create without X-User-Id is accepted (old clients).
    auto old_client = sys.booking().client().post("/api/bookings", booking_body(11, one(2), 1));
    conforms(old_client, "booking-service", "POST", "/api/bookings");
    CHECK(old_client->status == 200);
    CHECK(available(sys, 2) == 148);
}

/// The last seats sell; the next booking fails and holds nothing.
template <typename System>
void sold_out(System& sys) {
    auto c = sys.as_user(3);
    auto all = c.post("/api/bookings", booking_body(3, one(3), 100));  // AI103: 100 left
    conforms(all, "booking-service", "POST", "/api/bookings");
    CHECK(all->status == 200);
    auto more = c.post("/api/bookings", booking_body(3, one(3), 1));
    conforms(more, "booking-service", "POST", "/api/bookings");
    CHECK(more->status == 400);
    CHECK(json_body(more).get_string("error").value() == "sold_out");
    CHECK(available(sys, 3) == 0);
}

/// With a mock that declines everything: the booking fails, the seats come
/// back; the simulate endpoints answer as the reference clients expect.
template <typename System>
void declined_payment(System& sys) {
    auto c = sys.as_user(4);
    auto r = c.post("/api/bookings", booking_body(4, one(1), 2));
    conforms(r, "booking-service", "POST", "/api/bookings");
    CHECK(r->status == 400);
    auto body = json_body(r);
    CHECK(body.get_string("error").value() == "payment_declined");
    CHECK(body.get_string("status").value() == "failed");
    CHECK(available(sys, 1) == 130);

    auto pay = sys.payment().client();
    auto failed = pay.post("/api/payments/simulate/failure", "{}");
    conforms(failed, "payment-service", "POST", "/api/payments/simulate/failure");
    CHECK(failed->status == 200);
    CHECK(json_body(failed).get_string("status").value() == "failed");
    auto timeout = pay.post("/api/payments/simulate/timeout", "{}");
    conforms(timeout, "payment-service", "POST", "/api/payments/simulate/timeout");
    CHECK(timeout->status == 408);
    auto success = pay.post("/api/payments/simulate/success", "{}");
    conforms(success, "payment-service", "POST", "/api/payments/simulate/success");
    CHECK(success->status == 200);
}

/// One Idempotency-Key: the first answer replayed byte for byte, another
/// body refused, one booking and one payment.
template <typename System>
void idempotent_create(System& sys) {
    auto c = sys.booking().client({{"X-User-Id", "8"}, {"Idempotency-Key", "order-77"}});
    auto first = c.post("/api/bookings", booking_body(8, one(2), 2));
    auto second = c.post("/api/bookings", booking_body(8, one(2), 2));
    conforms(first, "booking-service", "POST", "/api/bookings");
    conforms(second, "booking-service", "POST", "/api/bookings");
    CHECK(first->status == 200);
    CHECK(second->status == first->status);
    CHECK(second->body == first->body);
    auto other = c.post("/api/bookings", booking_body(8, one(2), 3));
    conforms(other, "booking-service", "POST", "/api/bookings");
    CHECK(other->status == 422);
    CHECK(json_body(other).get_string("error").value() == "idempotency_key_reused");
    CHECK(available(sys, 2) == 148);
    auto listed = json_body(sys.as_user(8).get("/api/bookings?user_id=8"));
    CHECK(listed.get_int64("count").value() == 1);
}

/// The operational endpoints of every service.
template <typename System>
void operations(System& sys) {
    const std::pair<const char*, Endpoint> services[] = {
        {"flight-service", Endpoint{sys.flight().port()}},
        {"payment-service", Endpoint{sys.payment().port()}},
        {"booking-service", Endpoint{sys.booking().port()}}};
    for (const auto& [name, endpoint] : services) {
        CAPTURE(name);
        auto c = endpoint.client();
        for (const char* path : {"/health", "/ready"}) {
            auto r = c.get(path);
            conforms(r, name, "GET", path);
            CHECK(r->status == 200);
        }
        auto metrics = c.get("/metrics");
        REQUIRE(metrics);
        CHECK(metrics->status == 200);
        CHECK(metrics->body.find("flightbook_http_requests_total") != std::string::npos);
        // One registry per service: the bookings counter is booking-service's own.
        const bool has_bookings =
            metrics->body.find("flightbook_bookings_total") != std::string::npos;
        CHECK(has_bookings == (std::string_view{name} == "booking-service"));
    }
}

}  // namespace flightbook::testing::suite
