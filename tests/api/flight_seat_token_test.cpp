// The service token of the flight routes, endpoint by endpoint: every seat
// endpoint answers 401 to a missing or wrong token and moves nothing, and
// serves every accepted form of the right one. In-process server over the
// in-memory adapters.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../unit/search_fixtures.hpp"
#include "flightbook/api/flight_routes.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"

using namespace flightbook;

namespace {

const std::string kToken = "s3cret-token";

struct TokenApi {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory seats{clock};
    flights::FlightService service{repo, seats, clock};
    http::Server server{[] {
        http::ServerOptions o;
        o.service_name = "flight-service";
        o.port = 0;
        o.worker_threads = 2;
        o.access_log = false;
        return o;
    }()};
    int port = 0;

    TokenApi() {
        REQUIRE(seats.add_flights(testing::reference_flights()));
        REQUIRE(service.reload());
        REQUIRE(api::register_flight_routes(server, service, {kToken}));
        auto bound = server.start();
        REQUIRE(bound);
        port = *bound;
    }
    ~TokenApi() { server.stop(); }

    // No default headers: every request names its own.
    http::Client client() const {
        http::ClientOptions o;
        o.base_url = "http://127.0.0.1:" + std::to_string(port);
        o.connect_timeout_ms = 5000;
        return http::Client::create(o).value();
    }

    // What a request could have changed: the counts of the flights used
    // below and the state of their reservations.
    std::string state() {
        std::string s;
        for (int id : {1, 2}) {
            const SeatCounts c = seats.availability(FlightId{id}).value();
            s += std::to_string(c.available) + "/" + std::to_string(c.held) + "/" +
                 std::to_string(c.confirmed) + " ";
        }
        for (const char* id : {"tok-sold", "tok-held"}) {
            auto r = seats.get(ReservationId::parse(id).value());
            s += r ? std::string(to_string(r->state)) : std::string("none");
            s += " ";
        }
        return s;
    }
};

struct Endpoint {
    const char* method;
    std::string path;
    std::string body;
    bool first_call_applies;  // false for the read
};

// In this order: each call finds the state the one before left.
const std::vector<Endpoint> kEndpoints{
    {"POST", "/api/flights/seats/decrement",
     R"({"flight_id":1,"seats":2,"date":"2024-02-15","reservation_id":"tok-sold"})", true},
    {"POST", "/api/flights/seats/increment",
     R"({"flight_id":1,"seats":2,"reservation_id":"tok-sold"})", true},
    {"POST", "/api/flights/seats/hold",
     R"({"reservation_id":"tok-held","legs":[{"flight_id":2,"seats":3}]})", true},
    {"POST", "/api/flights/seats/confirm", R"({"reservation_id":"tok-held"})", true},
    {"GET", "/api/flights/seats/reservations/tok-held", "", false},
    {"POST", "/api/flights/seats/release", R"({"reservation_id":"tok-held"})", true},
};

struct Credentials {
    const char* what;
    http::HeaderList headers;
};

const std::vector<Credentials> kRefused{
    {"no token", {}},
    {"wrong X-Service-Token", {{"X-Service-Token", "nope"}}},
    {"wrong bearer token", {{"Authorization", "Bearer nope"}}},
    {"the token without a scheme", {{"Authorization", kToken}}},
    {"the token as Basic credentials", {{"Authorization", "Basic " + kToken}}},
    {"an empty bearer token", {{"Authorization", "Bearer "}}},
    {"the token with a suffix", {{"Authorization", "Bearer " + kToken + "x"}}},
    {"a prefix of the token", {{"X-Service-Token", kToken.substr(0, kToken.size() - 1)}}},
    {"the token in another header", {{"X-Api-Key", kToken}}},
    // A wrong token in one header is not rescued by the right one in the other.
    {"wrong X-Service-Token, right bearer",
     {{"X-Service-Token", "nope"}, {"Authorization", "Bearer " + kToken}}},
};

// The first form serves the call itself; the others are retries of it.
const std::vector<Credentials> kAccepted{
    {"bearer token", {{"Authorization", "Bearer " + kToken}}},
    {"X-Service-Token", {{"X-Service-Token", kToken}}},
    {"lower-case header names", {{"authorization", "Bearer " + kToken}}},
    {"lower-case scheme (RFC 7235: the scheme is case-insensitive)",
     {{"Authorization", "bearer " + kToken}}},
    {"both headers", {{"X-Service-Token", kToken}, {"Authorization", "Bearer " + kToken}}},
};

http::ClientResponse send(http::Client& c, const Endpoint& e, const http::HeaderList& headers) {
    auto r = c.send(e.method, e.path, e.body, headers);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return *r;
}

}  // namespace

TEST_CASE("every seat endpoint: 401 without the right token, served with each accepted form") {
    TokenApi api;
    auto c = api.client();
    for (const Endpoint& e : kEndpoints) {
        INFO(e.method << " " << e.path);
        const std::string before = api.state();
        for (const Credentials& bad : kRefused) {
            CAPTURE(bad.what);
            const http::ClientResponse r = send(c, e, bad.headers);
            CHECK(r.status == 401);
            CHECK(r.header("Content-Type").value_or("").starts_with("application/json"));
            CHECK(r.body ==
                  "{\"error\":\"unauthenticated\",\"message\":\"a valid service token is "
                  "required\"}\n");
            CHECK(r.header("WWW-Authenticate").value_or("") == "Bearer");
            CHECK(api.state() == before);  // nothing moved
        }
        for (std::size_t i = 0; i < kAccepted.size(); ++i) {
            CAPTURE(kAccepted[i].what);
            const http::ClientResponse r = send(c, e, kAccepted[i].headers);
            CHECK(r.status == 200);
            if (r.status != 200) continue;
            auto body = http::parse_object(r.body);
            REQUIRE_MESSAGE(body.has_value(), r.body);
            CHECK(body->get_bool("success").value());
            // Only the first accepted call does the work; the rest are retries.
            CHECK(body->get_bool("applied").value() == (e.first_call_applies && i == 0));
        }
    }
    CHECK(api.state() == "130/0/50 150/0/30 cancelled cancelled ");
}

TEST_CASE("routes outside the seat endpoints need no token") {
    TokenApi api;
    auto c = api.client();
    for (const char* path :
         {"/api/flights/1",
          "/api/flights/search?source=DEL&destination=BOM&date=2024-02-15&seats=1"}) {
        CAPTURE(path);
        auto r = c.get(path);
        REQUIRE(r);
        CHECK(r->status == 200);
    }
    auto v = c.post("/api/flights/validate", R"({"flight_id":1,"seats":2,"date":"2024-02-15"})");
    REQUIRE(v);
    CHECK(v->status == 200);
}

TEST_CASE("without a configured token the seat endpoints are open") {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory seats{clock};
    REQUIRE(seats.add_flights(testing::reference_flights()));
    flights::FlightService service{repo, seats, clock};
    REQUIRE(service.reload());
    http::ServerOptions o;
    o.service_name = "flight-service";
    o.port = 0;
    o.worker_threads = 2;
    o.access_log = false;
    http::Server server{o};
    REQUIRE(api::register_flight_routes(server, service, {}));
    auto port = server.start();
    REQUIRE(port);
    http::ClientOptions co;
    co.base_url = "http://127.0.0.1:" + std::to_string(*port);
    auto c = http::Client::create(co).value();
    auto r = c.post("/api/flights/seats/decrement",
                    R"({"flight_id":1,"seats":1,"date":"2024-02-15","reservation_id":"open"})",
                    {{"Authorization", "Bearer anything"}});
    REQUIRE(r);
    CHECK(r->status == 200);
    server.stop();
}
