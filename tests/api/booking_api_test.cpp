// Black-box HTTP tests of the booking service routes: a real http::Server
// on 127.0.0.1 over BookingService, which reaches an in-process flight
// service over real HTTP (HttpFlightSeats) and a scripted payment gateway.
#include <doctest/doctest.h>

#include <thread>

#include "../unit/booking_service_fixtures.hpp"
#include "flightbook/api/booking_routes.hpp"
#include "flightbook/api/flight_routes.hpp"
#include "flightbook/api/http_flight_seats.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"

using namespace flightbook;
using Mode = testing::ScriptedGateway::Mode;

namespace {

constexpr std::string_view kToken = "flight-token";

http::Client client_for(int port) {
    http::ClientOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port);
    o.read_timeout_ms = 10'000;
    return http::Client::create(o).value();
}

http::ServerOptions server_options(std::string name) {
    http::ServerOptions o;
    o.service_name = std::move(name);
    o.port = 0;
    o.worker_threads = 8;
    o.access_log = false;
    return o;
}

struct BookingApi {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository flight_repo{testing::reference_flights()};
    memory::InMemorySeatInventory inventory{clock};
    flights::FlightService flights{flight_repo, inventory, clock};
    http::Server flight_server{server_options("flight-service")};
    std::shared_ptr<metrics::Registry> registry = std::make_shared<metrics::Registry>();
    std::unique_ptr<api::HttpFlightSeats> seats;
    memory::InMemoryBookingRepository bookings;
    testing::ScriptedGateway gateway;
    std::unique_ptr<booking::BookingService> service;
    http::Server booking_server{server_options("booking-service")};
    int port = 0;

    BookingApi() {
        REQUIRE(inventory.add_flights(testing::reference_flights()));
        REQUIRE(flights.reload());
        REQUIRE(api::register_flight_routes(flight_server, flights, {std::string(kToken)}));
        auto flight_port = flight_server.start();
        REQUIRE(flight_port);
        api::HttpFlightSeatsOptions so;
        so.base_url = "http://127.0.0.1:" + std::to_string(*flight_port);
        so.service_token = std::string(kToken);
        so.backoff_ms = 1;
        auto created = api::HttpFlightSeats::create(so, registry);
        REQUIRE(created);
        seats = std::move(*created);
        service = std::make_unique<booking::BookingService>(
            bookings, *seats, gateway, clock, testing::BookingWorld::options(), registry);
        REQUIRE(api::register_booking_routes(booking_server, *service));
        auto bound = booking_server.start();
        REQUIRE(bound);
        port = *bound;
    }
    ~BookingApi() {
        booking_server.stop();
        flight_server.stop();
    }

    http::Client client() const { return client_for(port); }

    std::int32_t available(std::int64_t flight) {
        return flights.get_flight(FlightId{flight}).value().available_seats();
    }
};

http::JsonObject json_of(const http::ClientResponse& r) {
    auto obj = http::parse_object(r.body);
    REQUIRE_MESSAGE(obj.has_value(), r.body);
    return std::move(obj).value();
}

std::string error_of(const http::ClientResponse& r) {
    return json_of(r).get_string("error").value_or("<none>");
}

http::HeaderList user(std::string_view id) { return {{"X-User-Id", std::string(id)}}; }

constexpr std::string_view kBody = R"({"user_id":7,"flight_id":1,"seats":2,"date":"2024-02-15"})";

}  // namespace

TEST_CASE("POST /api/bookings confirms a booking (SPEC §4 answer)") {
    BookingApi api;
    auto c = api.client();
    auto r = c.post("/api/bookings", kBody);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("Content-Type").value_or("").find("application/json") == 0);
    CHECK(r->body.ends_with("}\n"));
    auto body = json_of(*r);
    CHECK(body.get_int64("booking_id").value() == 1);
    CHECK(body.get_string("status").value() == "confirmed");
    CHECK(body.get_money("total_amount").value() == Money::from_cents(1'700'000));
    CHECK(r->body.find(R"("total_amount":17000.00)") != std::string::npos);
    CHECK(body.get_string("payment_id").value() == "pay_1");
    CHECK(body.get_string("message").value() == "booking confirmed");
    CHECK(body.get_string("reservation_id").value() == "booking-1");
    CHECK(body.get_int64("seats").value() == 2);
    CHECK(api.available(1) == 128);

    // A multi-leg itinerary with flight_ids, as the X-User-Id of its user.
    auto multi = c.post("/api/bookings",
                        R"({"user_id":7,"flight_ids":[12,13],"seats":1,"date":"2024-02-15",)"
                        R"("payment_type":"upi"})",
                        user("7"));
    REQUIRE(multi);
    CHECK(multi->status == 200);
    auto mb = json_of(*multi);
    CHECK(mb.get_string("payment_type").value() == "upi");
    CHECK(mb.get_money("total_amount").value() == Money::from_cents(1'950'000));
    CHECK(multi->body.find(R"("flight_ids":[12,13])") != std::string::npos);
    CHECK(api.available(12) == 164);
    CHECK(api.available(13) == 159);

    const std::string metrics = api.registry->render_prometheus();
    CHECK(metrics.find(R"(flightbook_outbound_requests_total{service="flight-service",)"
                       R"(operation="hold",outcome="ok"} 2)") != std::string::npos);
}

TEST_CASE("refusals answer 400 with status failed and a distinct error per cause") {
    BookingApi api;
    auto c = api.client();
    auto expect_failed = [&](std::string_view body, std::string_view code) {
        CAPTURE(body);
        auto r = c.post("/api/bookings", body);
        REQUIRE(r);
        CHECK(r->status == 400);
        auto b = json_of(*r);
        CHECK(b.get_string("error").value() == code);
        CHECK(b.get_string("status").value() == "failed");
        CHECK_FALSE(b.get_string("message").value().empty());
        return b;
    };
    // The reference client's check: flight 999 with 1,000 seats is a 400 too.
    auto unknown =
        c.post("/api/bookings", R"({"user_id":7,"flight_id":999,"seats":2,"date":"2024-02-15"})");
    REQUIRE(unknown);
    CHECK(unknown->status == 400);
    CHECK(error_of(*unknown) == "flight_not_found");
    CHECK_FALSE(json_of(*unknown).contains("booking_id"));
    expect_failed(R"({"user_id":7,"flight_id":1,"seats":2,"date":"2024-02-16"})", "wrong_date");
    expect_failed(R"({"user_id":7,"flight_ids":[1,9],"seats":2,"date":"2024-02-15"})",
                  "legs_do_not_connect");
    expect_failed(R"({"user_id":7,"flight_ids":[9,16],"seats":2,"date":"2024-02-15"})",
                  "connection_too_short");

    api.gateway.set_mode(Mode::kDecline);
    auto declined = expect_failed(R"({"user_id":7,"flight_id":2,"seats":2,"date":"2024-02-15"})",
                                  "payment_declined");
    CHECK(declined.get_string("booking_status").value() == "failed");
    CHECK(declined.contains("booking_id"));
    CHECK(api.available(2) == 150);

    api.gateway.set_mode(Mode::kCharge);
    REQUIRE(api.inventory.hold(HoldRequest{ReservationId::parse("outside").value(),
                                           {{FlightId{3}, 99}},
                                           api.clock.now() + std::chrono::hours{1}}));
    expect_failed(R"({"user_id":7,"flight_id":3,"seats":2,"date":"2024-02-15"})", "sold_out");
    CHECK(api.available(3) == 1);
}

TEST_CASE("an unknown payment outcome answers 202 pending") {
    BookingApi api;
    api.gateway.set_mode(Mode::kUnknownCharged);
    auto c = api.client();
    auto r = c.post("/api/bookings", kBody);
    REQUIRE(r);
    CHECK(r->status == 202);
    auto b = json_of(*r);
    CHECK(b.get_string("status").value() == "pending");
    CHECK(b.find("payment_id")->is_null());
    CHECK(api.available(1) == 128);
}

TEST_CASE("malformed create requests are 400 invalid_argument, a foreign caller 403") {
    BookingApi api;
    auto c = api.client();
    for (
        std::string_view body : {
            std::string_view(""),
            std::string_view("{"),
            std::string_view("[1]"),
            std::string_view(R"({"flight_id":1,"seats":2,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"seats":2,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"seats":2})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"seats":0,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"seats":101,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"seats":"2","date":"2024-02-15"})"),
            std::string_view(R"({"user_id":-1,"flight_id":1,"seats":2,"date":"2024-02-15"})"),
            std::string_view(R"({"user_id":7,"flight_id":1,"seats":2,"date":"15/02/2024"})"),
            std::string_view(R"({"user_id":7,"flight_ids":[],"seats":2,"date":"2024-02-15"})"),
            std::string_view(
                R"({"user_id":7,"flight_ids":[1,2,3,4,5],"seats":2,"date":"2024-02-15"})"),
            std::string_view(
                R"({"user_id":7,"flight_id":2,"flight_ids":[1],"seats":2,"date":"2024-02-15"})"),
            std::string_view(
                R"({"user_id":7,"flight_id":1,"seats":2,"date":"2024-02-15","payment_type":"cash"})"),
        }) {
        CAPTURE(body);
        auto r = c.post("/api/bookings", body);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(error_of(*r) == "invalid_argument");
    }
    auto foreign = c.post("/api/bookings", kBody, user("8"));
    REQUIRE(foreign);
    CHECK(foreign->status == 403);
    CHECK(error_of(*foreign) == "permission_denied");
    auto malformed = c.post("/api/bookings", kBody, user("seven"));
    REQUIRE(malformed);
    CHECK(malformed->status == 400);
    CHECK(api.available(1) == 130);
    CHECK(api.bookings.list_by_user(UserId{7}, 10, 0)->empty());
}

TEST_CASE("Idempotency-Key: replay byte for byte, 422 for another body, 409 while running") {
    BookingApi api;
    auto c = api.client();
    const http::HeaderList key{{"Idempotency-Key", "order-1"}};
    auto first = c.post("/api/bookings", kBody, key);
    REQUIRE(first);
    CHECK(first->status == 200);
    auto again = c.post("/api/bookings", kBody, key);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(again->body == first->body);
    CHECK(again->header("Idempotent-Replayed").value_or("") == "true");
    CHECK_FALSE(first->header("Idempotent-Replayed"));
    CHECK(api.available(1) == 128);
    CHECK(api.gateway.charge_calls() == 1);

    auto other = c.post("/api/bookings",
                        R"({"user_id":7,"flight_id":1,"seats":3,"date":"2024-02-15"})", key);
    REQUIRE(other);
    CHECK(other->status == 422);
    CHECK(error_of(*other) == "idempotency_key_reused");
    CHECK(api.available(1) == 128);

    auto too_long = c.post("/api/bookings", kBody, {{"Idempotency-Key", std::string(129, 'k')}});
    REQUIRE(too_long);
    CHECK(too_long->status == 400);
    CHECK(error_of(*too_long) == "invalid_argument");
    // (An empty Idempotency-Key never reaches the routes: the HTTP layer
    // drops header lines without a value. BookingService refuses it anyway;
    // see booking_service_test.cpp.)

    // A first request that is still running (here: pending, its answer not
    // yet recorded) makes a repeat wait, then answer 409.
    api.gateway.set_mode(Mode::kUnknownCharged);
    auto running = testing::request({2});
    running.idempotency_key = "order-2";
    auto started = api.service->create(running);
    REQUIRE(started);
    REQUIRE(started->outcome == booking::CreateOutcome::kPending);
    auto busy =
        c.post("/api/bookings", R"({"user_id":7,"flight_id":2,"seats":2,"date":"2024-02-15"})",
               {{"Idempotency-Key", "order-2"}});
    REQUIRE(busy);
    CHECK(busy->status == 409);
    CHECK(error_of(*busy) == "idempotency_key_in_use");
}

TEST_CASE("GET /api/bookings/{id} shows the owner the booking with legs and history") {
    BookingApi api;
    auto c = api.client();
    auto created = c.post("/api/bookings",
                          R"({"user_id":7,"flight_ids":[8,9],"seats":2,"date":"2024-02-15"})");
    REQUIRE(created);
    REQUIRE(created->status == 200);

    auto r = c.get("/api/bookings/1", user("7"));
    REQUIRE(r);
    CHECK(r->status == 200);
    auto b = json_of(*r);
    CHECK(b.get_int64("booking_id").value() == 1);
    CHECK(b.get_int64("user_id").value() == 7);
    CHECK(b.get_int64("flight_id").value() == 8);
    CHECK(b.get_string("status").value() == "confirmed");
    CHECK(b.get_string("payment_type").value() == "credit_card");
    CHECK(b.get_string("date").value() == "2024-02-15");
    CHECK(b.get_int64("version").value() == 3);
    CHECK(b.get_string("created_at").value() == "2024-02-10T00:00:00Z");
    const auto* legs = b.find("legs")->as_array();
    REQUIRE(legs->size() == 2);
    const auto& second = *(*legs)[1].as_object();
    CHECK(second.get_string("flight_number").value() == "AI402");
    CHECK(second.get_string("source").value() == "HYD");
    CHECK(second.get_string("departure_time").value() == "2024-02-15T10:30:00Z");
    CHECK(second.get_money("price").value() == Money::from_cents(550'000));
    const auto* history = b.find("history")->as_array();
    REQUIRE(history->size() == 2);
    CHECK((*history)[0].as_object()->find("from")->is_null());
    CHECK((*history)[1].as_object()->get_string("to").value() == "confirmed");

    auto by_query = c.get("/api/bookings?id=1", user("7"));
    REQUIRE(by_query);
    CHECK(by_query->status == 200);
    CHECK(by_query->body == r->body);

    auto status_of = [&](std::string_view path, const http::HeaderList& h) {
        auto a = c.get(path, h);
        REQUIRE(a);
        return std::pair{a->status, error_of(*a)};
    };
    CHECK(status_of("/api/bookings/1", {}) == std::pair{401, std::string("unauthenticated")});
    CHECK(status_of("/api/bookings/1", user("x7")) ==
          std::pair{400, std::string("invalid_argument")});
    CHECK(status_of("/api/bookings/1", user("0")).first == 400);
    CHECK(status_of("/api/bookings/1", user("8")) == std::pair{404, std::string("not_found")});
    CHECK(status_of("/api/bookings/99", user("7")).first == 404);
    CHECK(status_of("/api/bookings/abc", user("7")).first == 400);
    CHECK(status_of("/api/bookings/-1", user("7")).first == 400);
}

TEST_CASE("PUT /api/bookings/{id}/cancel cancels once, gives seats back and refunds") {
    BookingApi api;
    auto c = api.client();
    REQUIRE(c.post("/api/bookings", kBody)->status == 200);
    CHECK(api.available(1) == 128);

    auto no_caller = c.put("/api/bookings/1/cancel", "");
    REQUIRE(no_caller);
    CHECK(no_caller->status == 401);
    auto stranger = c.put("/api/bookings/1/cancel", "", user("8"));
    REQUIRE(stranger);
    CHECK(stranger->status == 404);
    CHECK(api.available(1) == 128);

    auto r = c.put("/api/bookings/1/cancel", "", user("7"));
    REQUIRE(r);
    CHECK(r->status == 200);
    auto b = json_of(*r);
    CHECK(b.get_string("status").value() == "cancelled");
    CHECK(b.get_string("message").value() == "booking cancelled");
    CHECK(b.get_bool("refunded").value());
    CHECK(b.get_bool("seats_released").value());
    CHECK(api.available(1) == 130);
    CHECK(api.gateway.refunded() == 1);

    auto twice = c.post("/api/bookings/1/cancel", "", user("7"));
    REQUIRE(twice);
    CHECK(twice->status == 409);
    CHECK(error_of(*twice) == "booking_not_cancellable");
    CHECK(api.available(1) == 130);
    CHECK(api.gateway.refunded() == 1);

    auto missing = c.put("/api/bookings/42/cancel", "", user("7"));
    REQUIRE(missing);
    CHECK(missing->status == 404);
}

TEST_CASE("GET /api/bookings lists the caller's bookings, newest first, paged") {
    BookingApi api;
    auto c = api.client();
    for (int flight : {1, 2, 4}) {
        auto r = c.post("/api/bookings", R"({"user_id":7,"flight_id":)" + std::to_string(flight) +
                                             R"(,"seats":1,"date":"2024-02-15"})");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        api.clock.advance(std::chrono::seconds{60});
    }
    REQUIRE(c.post("/api/bookings", R"({"user_id":8,"flight_id":5,"seats":1,"date":"2024-02-15"})")
                ->status == 200);

    auto r = c.get("/api/bookings?user_id=7", user("7"));
    REQUIRE(r);
    CHECK(r->status == 200);
    auto b = json_of(*r);
    CHECK(b.get_int64("count").value() == 3);
    CHECK(b.get_int64("limit").value() == 20);
    CHECK(b.get_int64("offset").value() == 0);
    const auto* list = b.find("bookings")->as_array();
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].as_object()->get_int64("flight_id").value() == 4);
    CHECK((*list)[2].as_object()->get_int64("flight_id").value() == 1);

    auto page = c.get("/api/bookings?user_id=7&limit=1&offset=1", user("7"));
    REQUIRE(page);
    auto pb = json_of(*page);
    CHECK(pb.get_int64("count").value() == 1);
    const auto* page_list = pb.find("bookings")->as_array();
    REQUIRE(page_list != nullptr);
    REQUIRE(page_list->size() == 1);
    CHECK(page_list->front().as_object()->get_int64("flight_id").value() == 2);

    auto mine = c.get("/api/bookings", user("8"));  // user_id defaults to the caller
    REQUIRE(mine);
    CHECK(json_of(*mine).get_int64("count").value() == 1);

    auto status_of = [&](std::string_view path, const http::HeaderList& h) {
        auto a = c.get(path, h);
        REQUIRE(a);
        return a->status;
    };
    CHECK(status_of("/api/bookings?user_id=7", user("8")) == 403);
    CHECK(status_of("/api/bookings?user_id=7", {}) == 401);
    CHECK(status_of("/api/bookings?user_id=x", user("7")) == 400);
    CHECK(status_of("/api/bookings?user_id=7&limit=0", user("7")) == 400);
    CHECK(status_of("/api/bookings?user_id=7&limit=101", user("7")) == 400);
    CHECK(status_of("/api/bookings?user_id=7&limit=abc", user("7")) == 400);
    CHECK(status_of("/api/bookings?user_id=7&offset=-1", user("7")) == 400);
}

TEST_CASE("HttpFlightSeats maps the flight service's answers to errors") {
    BookingApi api;
    auto& seats = *api.seats;
    auto flight = seats.get_flight(FlightId{9});
    REQUIRE(flight);
    CHECK(flight->flight_number == "AI402");
    CHECK(flight->source.view() == "HYD");
    CHECK(flight->available_seats() == 145);
    CHECK(flight->price == Money::from_cents(550'000));
    CHECK(seats.get_flight(FlightId{999}).error().code == ErrorCode::kNotFound);

    const auto rid = ReservationId::parse("test-hold-1").value();
    auto held = seats.hold(rid, {{FlightId{8}, 2}, {FlightId{9}, 2}}, std::chrono::seconds{60});
    REQUIRE(held);
    CHECK(held->state == ReservationState::kHeld);
    CHECK(held->legs.size() == 2);
    CHECK(held->expires_at == api.clock.now() + std::chrono::seconds{60});
    auto repeat = seats.hold(rid, {{FlightId{8}, 2}, {FlightId{9}, 2}}, std::chrono::seconds{60});
    REQUIRE(repeat);
    CHECK_FALSE(repeat->applied);
    CHECK(seats.hold(rid, {{FlightId{8}, 3}}, std::chrono::seconds{60}).error().code ==
          ErrorCode::kConflict);
    CHECK(seats
              .hold(ReservationId::parse("big").value(), {{FlightId{1}, 1001}},
                    std::chrono::seconds{60})
              .error()
              .code == ErrorCode::kInvalidArgument);  // more than one leg may take
    REQUIRE(api.inventory.hold(HoldRequest{ReservationId::parse("outside").value(),
                                           {{FlightId{3}, 99}},
                                           api.clock.now() + std::chrono::hours{1}}));
    CHECK(seats
              .hold(ReservationId::parse("late").value(), {{FlightId{3}, 2}},
                    std::chrono::seconds{60})
              .error()
              .code == ErrorCode::kFailedPrecondition);

    auto confirmed = seats.confirm(rid);
    REQUIRE(confirmed);
    CHECK(confirmed->state == ReservationState::kConfirmed);
    CHECK(seats.get(rid)->state == ReservationState::kConfirmed);
    CHECK(seats.confirm(ReservationId::parse("never").value()).error().code ==
          ErrorCode::kNotFound);
    auto released = seats.release(rid);
    REQUIRE(released);
    CHECK(released->state == ReservationState::kCancelled);
    CHECK(seats.confirm(rid).error().code == ErrorCode::kFailedPrecondition);
    CHECK(api.available(8) == 160);

    // A wrong token is refused.
    api::HttpFlightSeatsOptions o = seats.options();
    o.service_token = "wrong";
    auto intruder = api::HttpFlightSeats::create(o);
    REQUIRE(intruder);
    CHECK((*intruder)->release(rid).error().code == ErrorCode::kUnauthenticated);
}

TEST_CASE("HttpFlightSeats retries transient failures and then says which kind") {
    // A flight service that is always overloaded, and one that is too slow.
    std::atomic<int> calls{0};
    http::Server flaky(server_options("flaky"));
    REQUIRE(flaky.post("/api/flights/seats/release", [&](const http::Request&) {
        ++calls;
        return http::Response::error(503, "unavailable", "overloaded");
    }));
    REQUIRE(flaky.post("/api/flights/seats/confirm", [&](const http::Request&) {
        ++calls;
        std::this_thread::sleep_for(std::chrono::milliseconds{400});
        return http::Response::error(503, "unavailable", "slow");
    }));
    auto port = flaky.start();
    REQUIRE(port);
    auto registry = std::make_shared<metrics::Registry>();
    api::HttpFlightSeatsOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(*port);
    o.max_attempts = 3;
    o.backoff_ms = 1;
    o.read_timeout_ms = 100;
    auto seats = api::HttpFlightSeats::create(o, registry);
    REQUIRE(seats);
    const auto rid = ReservationId::parse("r-1").value();

    auto overloaded = (*seats)->release(rid);
    REQUIRE_FALSE(overloaded);
    CHECK(overloaded.error().code == ErrorCode::kUnavailable);
    CHECK(calls.load() == 3);

    auto slow = (*seats)->confirm(rid);
    REQUIRE_FALSE(slow);
    CHECK(slow.error().code == ErrorCode::kDeadlineExceeded);
    // Each attempt reached the server before the client gave up on it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
    while (calls.load() < 6 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    CHECK(calls.load() == 6);
    flaky.stop();

    // Nobody listens any more: unavailable, nothing can have happened.
    auto gone = (*seats)->release(rid);
    REQUIRE_FALSE(gone);
    CHECK(gone.error().code == ErrorCode::kUnavailable);

    const std::string metrics = registry->render_prometheus();
    CHECK(metrics.find(R"(operation="confirm",outcome="deadline_exceeded"} 1)") !=
          std::string::npos);
    CHECK(metrics.find(R"(operation="release",outcome="unavailable"} 2)") != std::string::npos);
    CHECK(metrics.find("flightbook_outbound_request_duration_seconds_count") != std::string::npos);

    CHECK_FALSE(api::validate(api::HttpFlightSeatsOptions{}));  // no base URL
    o.max_attempts = 0;
    CHECK_FALSE(api::HttpFlightSeats::create(o));
    o.max_attempts = 3;
    CHECK(api::worst_case_call_time(o) == std::chrono::milliseconds{3 * (1000 + 100) + 1 + 2});
}
