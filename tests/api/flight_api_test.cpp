// Black-box HTTP tests of the flight service routes, served by a real
// http::Server on 127.0.0.1 over the in-memory adapters.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "../unit/search_fixtures.hpp"
#include "flightbook/api/flight_routes.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"

using namespace flightbook;

namespace {

constexpr std::string_view kToken = "s3cret-token";

struct FlightApi {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory seats{clock};
    flights::FlightService service{repo, seats, clock};
    http::Server server{[] {
        http::ServerOptions o;
        o.service_name = "flight-service";
        o.port = 0;
        o.worker_threads = 16;  // more than the 8 concurrent keep-alive clients below
        o.access_log = false;
        return o;
    }()};
    int port = 0;

    FlightApi() {
        REQUIRE(seats.add_flights(testing::reference_flights()));
        REQUIRE(service.reload());
        REQUIRE(api::register_flight_routes(server, service, {std::string(kToken)}));
        auto bound = server.start();
        REQUIRE(bound);
        port = *bound;
    }
    ~FlightApi() { server.stop(); }

    http::Client client(bool with_token = true) const {
        http::ClientOptions o;
        o.base_url = "http://127.0.0.1:" + std::to_string(port);
        o.connect_timeout_ms = 5000;
        if (with_token) o.default_headers = {{"X-Service-Token", std::string(kToken)}};
        return http::Client::create(o).value();
    }
};

http::JsonObject body_of(const http::ClientResponse& r) {
    auto obj = http::parse_object(r.body);
    REQUIRE_MESSAGE(obj.has_value(), r.body);
    return std::move(obj).value();
}

std::string error_code(const http::ClientResponse& r) {
    return body_of(r).get_string("error").value_or("<none>");
}

}  // namespace

TEST_CASE("search answers the SPEC §3 examples over HTTP") {
    FlightApi api;
    auto c = api.client(false);
    auto r = c.get("/api/flights/search?source=del&destination=BOM&date=2024-02-15&seats=2");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("Content-Type").value_or("").find("application/json") == 0);
    auto body = body_of(*r);
    CHECK(body.get_int64("count").value() == 3);
    CHECK(body.get_int64("total").value() == 3);
    CHECK_FALSE(body.get_bool("total_capped").value());
    const auto* paths = body.find("paths")->as_array();
    REQUIRE(paths->size() == 3);
    const auto& first = *(*paths)[0].as_object();
    const auto& legs = *first.find("flights")->as_array();
    CHECK(legs[0].as_object()->get_string("flight_number").value() == "AI103");

    auto blr = c.get("/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2");
    REQUIRE(blr);
    CHECK(body_of(*blr).get_int64("count").value() == 5);
    auto hyd = c.get(
        "/api/flights/search?source=HYD&destination=BOM&date=2024-02-15&seats=2&sort_by=fastest");
    REQUIRE(hyd);
    CHECK(body_of(*hyd).get_int64("count").value() == 2);
}

TEST_CASE("search rejects bad parameters with a JSON 400") {
    FlightApi api;
    auto c = api.client(false);
    for (const char* path : {
             "/api/flights/search",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15",
             "/api/flights/search?source=D1L&destination=BOM&date=2024-02-15&seats=1",
             "/api/flights/search?source=DEL&destination=DEL&date=2024-02-15&seats=1",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-30&seats=1",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=0",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=x",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1&limit=0",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1&limit=101",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1&offset=990",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1&max_stops=4",
             "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1&sort_by=best",
         }) {
        CAPTURE(path);
        auto r = c.get(path);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(error_code(*r) == "invalid_argument");
    }
}

TEST_CASE("GET /api/flights/{id} shows live seats; bad ids are 400, unknown 404") {
    FlightApi api;
    auto c = api.client(false);
    auto r = c.get("/api/flights/1");
    REQUIRE(r);
    CHECK(r->status == 200);
    auto flight = body_of(*r);
    CHECK(flight.get_int64("available_seats").value() == 130);
    CHECK(flight.get_string("departure_time").value() == "2024-02-15T08:00:00Z");

    auto legacy = c.get("/api/flights?id=2");
    REQUIRE(legacy);
    CHECK(legacy->status == 200);
    CHECK(body_of(*legacy).get_string("flight_number").value() == "AI102");

    for (const char* path : {"/api/flights/abc", "/api/flights/-1", "/api/flights/0",
                             "/api/flights/99999999999999999999"}) {
        CAPTURE(path);
        auto bad = c.get(path);
        REQUIRE(bad);
        CHECK(bad->status == 400);
    }
    auto missing = c.get("/api/flights/999");
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(error_code(*missing) == "not_found");
}

TEST_CASE("validate answers valid:false rather than an error for business outcomes") {
    FlightApi api;
    auto c = api.client(false);
    auto good = c.post("/api/flights/validate", R"({"flight_id":1,"seats":2,"date":"2024-02-15"})");
    REQUIRE(good);
    CHECK(good->status == 200);
    CHECK(good->body ==
          "{\"valid\":true,\"message\":\"seats "
          "available\",\"price\":8500.00,\"available_seats\":130}\n");
    auto unknown =
        c.post("/api/flights/validate", R"({"flight_id":77,"seats":2,"date":"2024-02-15"})");
    REQUIRE(unknown);
    CHECK(unknown->status == 200);
    CHECK_FALSE(body_of(*unknown).get_bool("valid").value());
    auto wrong_day =
        c.post("/api/flights/validate", R"({"flight_id":1,"seats":2,"date":"2024-03-01"})");
    REQUIRE(wrong_day);
    CHECK(wrong_day->status == 200);
    CHECK_FALSE(body_of(*wrong_day).get_bool("valid").value());
    // A well-formed body never gets a 400 (SPEC §4), whatever its values.
    for (const char* business : {R"({"flight_id":999,"seats":1000,"date":"2024-02-15"})",
                                 R"({"flight_id":1,"seats":0,"date":"2024-02-15"})",
                                 R"({"flight_id":1,"seats":-3,"date":"2024-02-15"})",
                                 R"({"flight_id":-1,"seats":2,"date":"2024-02-15"})",
                                 R"({"flight_id":1,"seats":99999999999,"date":"2024-02-15"})",
                                 R"({"flight_id":1,"seats":2,"date":"15/02/2024"})"}) {
        CAPTURE(business);
        auto r = c.post("/api/flights/validate", business);
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body.ends_with("}\n"));
        CHECK_FALSE(body_of(*r).get_bool("valid").value());
    }
    for (const char* bad :
         {"", "{", "[]", R"({"flight_id":1})", R"({"flight_id":"1","seats":2,"date":"2024-02-15"})",
          R"({"flight_id":1,"seats":2.5,"date":"2024-02-15"})"}) {
        CAPTURE(bad);
        auto r = c.post("/api/flights/validate", bad);
        REQUIRE(r);
        CHECK(r->status == 400);
        CHECK(error_code(*r) == "invalid_argument");
    }
}

TEST_CASE("seat endpoints need the service token and are idempotent on reservation_id") {
    FlightApi api;
    const std::string sell =
        R"({"flight_id":1,"seats":2,"date":"2024-02-15","reservation_id":"booking-1"})";
    auto anonymous = api.client(false).post("/api/flights/seats/decrement", sell);
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    CHECK(error_code(*anonymous) == "unauthenticated");
    auto wrong = api.client(false).post("/api/flights/seats/decrement", sell,
                                        {{"Authorization", "Bearer nope"}});
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    CHECK(api.service.get_flight(FlightId{1})->available_seats() == 130);

    auto c = api.client();
    auto first = c.post("/api/flights/seats/decrement", sell);
    REQUIRE(first);
    CHECK(first->status == 200);
    CHECK(body_of(*first).get_bool("applied").value());
    CHECK(body_of(*first).get_int64("available_seats").value() == 128);
    auto retry = c.post("/api/flights/seats/decrement", sell);
    REQUIRE(retry);
    CHECK(retry->status == 200);
    CHECK_FALSE(body_of(*retry).get_bool("applied").value());
    CHECK(body_of(*retry).get_int64("available_seats").value() == 128);

    const std::string give_back = R"({"flight_id":1,"seats":2,"reservation_id":"booking-1"})";
    auto back = c.post("/api/flights/seats/increment", give_back);
    REQUIRE(back);
    CHECK(back->status == 200);
    CHECK(body_of(*back).get_int64("available_seats").value() == 130);
    auto back_again = c.post("/api/flights/seats/increment", give_back);
    REQUIRE(back_again);
    CHECK(back_again->status == 200);
    CHECK_FALSE(body_of(*back_again).get_bool("applied").value());
    CHECK(api.service.get_flight(FlightId{1})->available_seats() == 130);

    auto stranger = c.post("/api/flights/seats/increment",
                           R"({"flight_id":1,"seats":2,"reservation_id":"never-sold"})");
    REQUIRE(stranger);
    CHECK(stranger->status == 404);
    CHECK(api.service.get_flight(FlightId{1})->available_seats() == 130);

    auto over_rule =
        c.post("/api/flights/seats/decrement",
               R"({"flight_id":3,"seats":101,"date":"2024-02-15","reservation_id":"greedy"})");
    REQUIRE(over_rule);
    CHECK(over_rule->status == 400);
    CHECK(body_of(*over_rule).get_string("message").value() ==
          "seats must be an integer between 1 and 100");
    // AI103 (id 3) has 100 seats: one sold, then 100 more do not fit.
    REQUIRE(c.post("/api/flights/seats/decrement",
                   R"({"flight_id":3,"seats":1,"date":"2024-02-15","reservation_id":"first"})"));
    auto sold_out =
        c.post("/api/flights/seats/decrement",
               R"({"flight_id":3,"seats":100,"date":"2024-02-15","reservation_id":"greedy"})");
    REQUIRE(sold_out);
    CHECK(sold_out->status == 409);
    CHECK(error_code(*sold_out) == "insufficient_seats");
    CHECK(api.service.get_flight(FlightId{3})->available_seats() == 99);
}

TEST_CASE("200 concurrent one-seat sales of a 100-seat flight: exactly 100 succeed") {
    FlightApi api;  // AI103 (id 3) has 100 seats left
    std::atomic<int> sold{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            auto c = api.client();
            for (int i = t; i < 200; i += 8) {
                auto r =
                    c.post("/api/flights/seats/decrement",
                           R"({"flight_id":3,"seats":1,"date":"2024-02-15","reservation_id":"r-)" +
                               std::to_string(i) + R"("})");
                if (r && r->status == 200) {
                    ++sold;
                } else if (r && r->status == 409) {
                    ++refused;
                } else {
                    ++other;
                    MESSAGE("unexpected answer: " << (r ? std::to_string(r->status) + " " + r->body
                                                        : r.error().message));
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(sold.load() == 100);
    CHECK(refused.load() == 100);
    CHECK(other.load() == 0);
    auto counts = api.seats.availability(FlightId{3}).value();
    CHECK(counts.available == 0);
    CHECK(counts.available + counts.held + counts.confirmed == counts.total);
}

TEST_CASE("multi-leg holds are all or nothing; confirm and release over HTTP") {
    FlightApi api;
    auto c = api.client();
    // AI402 (id 9) has 145 seats; 50 held leave 95, so a second leg of 96
    // does not fit and the first leg is not held either.
    REQUIRE(c.post("/api/flights/seats/hold",
                   R"({"reservation_id":"trip-0","legs":[{"flight_id":9,"seats":50}]})"));
    auto too_big = c.post(
        "/api/flights/seats/hold",
        R"({"reservation_id":"trip-1","legs":[{"flight_id":8,"seats":2},{"flight_id":9,"seats":96}]})");
    REQUIRE(too_big);
    CHECK(too_big->status == 409);
    CHECK(api.service.get_flight(FlightId{8})->available_seats() == 160);
    REQUIRE(c.post("/api/flights/seats/release", R"({"reservation_id":"trip-0"})"));
    CHECK(api.service.get_flight(FlightId{9})->available_seats() == 145);

    auto held = c.post(
        "/api/flights/seats/hold",
        R"({"reservation_id":"trip-2","legs":[{"flight_id":8,"seats":2},{"flight_id":9,"seats":2}],"ttl_seconds":600})");
    REQUIRE(held);
    CHECK(held->status == 200);
    CHECK(body_of(*held).get_string("status").value() == "held");
    CHECK(api.service.get_flight(FlightId{8})->available_seats() == 158);

    auto confirmed = c.post("/api/flights/seats/confirm", R"({"reservation_id":"trip-2"})");
    REQUIRE(confirmed);
    CHECK(confirmed->status == 200);
    CHECK(body_of(*confirmed).get_string("status").value() == "confirmed");

    auto shown = c.get("/api/flights/seats/reservations/trip-2");
    REQUIRE(shown);
    CHECK(shown->status == 200);
    CHECK(body_of(*shown).find("legs")->as_array()->size() == 2);

    auto released = c.post("/api/flights/seats/release", R"({"reservation_id":"trip-2"})");
    REQUIRE(released);
    CHECK(released->status == 200);
    CHECK(body_of(*released).get_string("status").value() == "cancelled");
    CHECK(api.service.get_flight(FlightId{8})->available_seats() == 160);
    CHECK(api.service.get_flight(FlightId{9})->available_seats() == 145);

    auto gone = c.post("/api/flights/seats/confirm", R"({"reservation_id":"trip-2"})");
    REQUIRE(gone);
    CHECK(gone->status == 409);
    CHECK(error_code(*gone) == "hold_not_active");

    for (const char* bad :
         {R"({"reservation_id":"x","legs":[]})", R"({"reservation_id":"x","legs":[1,2]})",
          R"({"reservation_id":"bad id with spaces","legs":[{"flight_id":8,"seats":1}]})",
          R"({"reservation_id":"x","legs":[{"flight_id":8,"seats":1}],"ttl_seconds":-5})"}) {
        CAPTURE(bad);
        auto r = c.post("/api/flights/seats/hold", bad);
        REQUIRE(r);
        CHECK(r->status == 400);
    }
}

TEST_CASE("hold ttl boundary over HTTP: 3600 s is held, 3601 s and 0 s are refused") {
    FlightApi api;
    auto c = api.client();
    auto longest = c.post(
        "/api/flights/seats/hold",
        R"({"reservation_id":"ttl-max","legs":[{"flight_id":1,"seats":1}],"ttl_seconds":3600})");
    REQUIRE(longest);
    CHECK(longest->status == 200);
    for (const char* ttl : {"3601", "0", "-5"}) {
        CAPTURE(ttl);
        auto refused =
            c.post("/api/flights/seats/hold",
                   std::string(R"({"reservation_id":"ttl-)") + ttl +
                       R"(","legs":[{"flight_id":1,"seats":1}],"ttl_seconds":)" + ttl + "}");
        REQUIRE(refused);
        CHECK(refused->status == 400);
        CHECK(body_of(*refused).get_string("message").value() ==
              "hold ttl must be between 1 and 3600 seconds");
    }
    CHECK(api.service.get_flight(FlightId{1})->available_seats() == 129);
}
