// docs/openapi.json against the route tables of the three services (built on
// servers that are never started: no network), and the answer checker of
// tests/support/openapi.hpp that the HTTP tests use.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "booking_service_fixtures.hpp"
#include "flightbook/api/booking_routes.hpp"
#include "flightbook/api/flight_routes.hpp"
#include "flightbook/api/payment_routes.hpp"
#include "flightbook/http/server.hpp"
#include "openapi.hpp"
#include "payment_processor_fixtures.hpp"

using namespace flightbook;
namespace oa = flightbook::testing::openapi_detail;

namespace {

constexpr const char* kServices[] = {"flight-service", "booking-service", "payment-service"};

http::ServerOptions options_for(const char* name) {
    http::ServerOptions o;
    o.service_name = name;
    o.port = 0;
    o.access_log = false;
    return o;
}

// The three services wired as the apps wire them, on in-memory stores.
struct Services {
    testing::BookingWorld world;
    std::unique_ptr<booking::BookingService> bookings = world.make_service();
    payment::testing::Mock payments;
    http::Server flight{options_for("flight-service")};
    http::Server booking{options_for("booking-service")};
    http::Server payment{options_for("payment-service")};

    Services() {
        REQUIRE(api::register_flight_routes(flight, world.flights, {"service-token"}).has_value());
        REQUIRE(api::register_booking_routes(booking, *bookings).has_value());
        REQUIRE(api::register_payment_routes(payment, payments.processor).has_value());
    }

    [[nodiscard]] std::vector<http::RouteInfo> routes_of(std::string_view service) const {
        if (service == "flight-service") return flight.routes();
        if (service == "booking-service") return booking.routes();
        return payment.routes();
    }
};

// A route pattern in OpenAPI's form: `{name}` parameters (`:name` is mapped
// too, should the router ever accept it).
std::string openapi_path(std::string_view pattern) {
    std::string out;
    std::size_t start = 0;
    while (start < pattern.size()) {
        const auto slash = std::min(pattern.find('/', start + 1), pattern.size());
        const auto segment = pattern.substr(start, slash - start);
        if (segment.size() > 2 && segment[1] == ':') {
            out += fmt::format("/{{{}}}", segment.substr(2));
        } else {
            out += segment;
        }
        start = slash;
    }
    return out;
}

// "METHOD /path" keys of the document's operations, by `x-service`.
std::map<std::string, std::set<std::string>> documented_operations() {
    std::map<std::string, std::set<std::string>> ops;
    const auto& doc = testing::openapi_document();
    if (!doc) FAIL(doc.error().message);
    for (const auto& [path, item] : oa::members_of(oa::member(&*doc, "paths"))) {
        for (const auto& [method, op] : oa::members_of(&item)) {
            if (oa::member(&op, "responses") == nullptr) continue;  // "servers"
            ops[oa::text(oa::member(&op, "x-service"))].insert(oa::ascii_case(method, ::toupper) +
                                                               " " + path);
        }
    }
    return ops;
}

std::string lines(const std::vector<std::string>& items) {
    return fmt::format("\n  {}", fmt::join(items, "\n  "));
}

}  // namespace

TEST_CASE("openapi: every route of the three services is documented, and nothing else") {
    Services services;
    auto documented = documented_operations();
    std::vector<std::string> undocumented;
    std::vector<std::string> not_routes;
    for (const char* service : kServices) {
        const auto table = services.routes_of(service);
        CHECK(table.size() > 3);  // the built-in routes and the service's own
        std::set<std::string> routed;
        for (const auto& route : table) {
            const std::string key = route.method + " " + openapi_path(route.pattern);
            routed.insert(key);
            if (documented[service].count(key) == 0 && documented["all"].count(key) == 0) {
                undocumented.push_back(fmt::format("{}: {}", service, key));
            }
        }
        for (const auto& key : documented[service]) {
            if (routed.count(key) == 0) not_routes.push_back(fmt::format("{}: {}", service, key));
        }
        for (const auto& key : documented["all"]) {
            if (routed.count(key) == 0) {
                not_routes.push_back(fmt::format("all ({}): {}", service, key));
            }
        }
    }
    for (const auto& [service, ops] : documented) {
        if (service != "all" &&
            std::find(std::begin(kServices), std::end(kServices), service) == std::end(kServices)) {
            for (const auto& key : ops) {
                not_routes.push_back(fmt::format("x-service '{}': {}", service, key));
            }
        }
    }
    CHECK_MESSAGE(undocumented.empty(),
                  "routes missing from docs/openapi.json:" << lines(undocumented));
    CHECK_MESSAGE(not_routes.empty(),
                  "operations in docs/openapi.json that no route table has:" << lines(not_routes));
}

TEST_CASE("openapi: route tables list their routes, mapped to OpenAPI paths") {
    CHECK(openapi_path("/api/bookings/{id}/cancel") == "/api/bookings/{id}/cancel");
    CHECK(openapi_path("/api/bookings/:id/cancel") == "/api/bookings/{id}/cancel");
    CHECK(openapi_path("/health") == "/health");

    http::Router router;
    const auto handler = [](const http::Request&) { return http::Response::json(200, "{}"); };
    REQUIRE(router.add("PUT", "/api/bookings/{id}/cancel", handler).has_value());
    REQUIRE(router.add("GET", "/", handler).has_value());
    const auto listed = router.routes();
    REQUIRE(listed.size() == 2);
    CHECK(listed[0].method == "PUT");
    CHECK(listed[0].pattern == "/api/bookings/{id}/cancel");
    CHECK(listed[1].method == "GET");
    CHECK(listed[1].pattern == "/");

    // A server lists its built-in routes first, then the registered ones.
    http::Server server{options_for("test-service")};
    REQUIRE(server.put("/api/things/{id}", handler).has_value());
    const auto routes = server.routes();
    REQUIRE(routes.size() == 4);
    CHECK(routes[0].pattern == "/health");
    CHECK(routes[1].pattern == "/ready");
    CHECK(routes[2].pattern == "/metrics");
    CHECK(routes[3].method == "PUT");
    CHECK(routes[3].pattern == "/api/things/{id}");
}

TEST_CASE("openapi: check_answer accepts a valid error body and reports bad ones") {
    using testing::check_answer;
    const char* path = "/api/bookings/42";
    CHECK(check_answer("booking-service", "GET", path, 404,
                       R"({"error":"not_found","message":"booking 42 not found"})"
                       "\n")
              .empty());
    // The default response: a 5xx carries the request id.
    CHECK(check_answer("flight-service", "GET", "/api/flights/7", 503,
                       R"({"error":"unavailable","message":"retry later","request_id":"ab12"})")
              .empty());

    const auto missing = check_answer("booking-service", "GET", path, 404, R"({"error":"x"})");
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].find("missing required property 'message'") != std::string::npos);

    const auto wrong_type =
        check_answer("booking-service", "GET", path, 404, R"({"error":"x","message":42})");
    REQUIRE(wrong_type.size() == 1);
    CHECK(wrong_type[0].find("$.message: 42 is not of type string") != std::string::npos);

    const auto unexpected = check_answer("booking-service", "GET", path, 404,
                                         R"({"error":"x","message":"y","detail":"z"})");
    REQUIRE(unexpected.size() == 1);
    CHECK(unexpected[0].find("property 'detail' is not in the schema") != std::string::npos);

    CHECK(check_answer("booking-service", "GET", path, 404, "not json").size() == 1);
}

TEST_CASE("openapi: check_answer finds operations by service, method and concrete path") {
    using testing::check_answer;
    // Literal segments win over parameters, as in the router.
    const std::string search = R"({"paths":[],"count":0,"total":0,"total_capped":false})";
    CHECK(check_answer("flight-service", "GET", "/api/flights/search?source=DEL", 200, search)
              .empty());
    CHECK_FALSE(check_answer("flight-service", "GET", "/api/flights/7", 200, search).empty());
    // Operational routes are every service's.
    for (const char* service : kServices) {
        CHECK(check_answer(service, "GET", "/health", 200, R"({"status":"healthy","service":"x"})")
                  .empty());
        CHECK(check_answer(service, "GET", "/metrics", 200, "# TYPE x counter\n").empty());
    }
    // Unknown service, path or method.
    CHECK(check_answer("payment-service", "GET", "/api/flights/7", 404, "{}").size() == 1);
    CHECK(check_answer("flight-service", "GET", "/api/nothing", 404, "{}").size() == 1);
    CHECK(check_answer("flight-service", "DELETE", "/api/flights/7", 405, "{}").size() == 1);
    // anyOf: a booking refusal has the booking's fields only with its status.
    CHECK(check_answer("booking-service", "POST", "/api/bookings", 400,
                       R"({"error":"flight_not_found","message":"m","status":"failed"})")
              .empty());
    const auto refusal =
        check_answer("booking-service", "POST", "/api/bookings", 400,
                     R"({"error":"sold_out","message":"m","status":"failed","booking_id":3})");
    REQUIRE(refusal.size() == 1);
    CHECK(refusal[0].find("matches 0 of the anyOf alternatives") != std::string::npos);
}

TEST_CASE("openapi: every example in the document passes check_answer") {
    const auto& doc = testing::openapi_document();
    if (!doc) FAIL(doc.error().message);
    int examples = 0;
    for (const auto& [path, item] : oa::members_of(oa::member(&*doc, "paths"))) {
        for (const auto& [method, op] : oa::members_of(&item)) {
            const auto* responses = oa::member(&op, "responses");
            if (responses == nullptr) continue;
            std::string service = oa::text(oa::member(&op, "x-service"));
            if (service == "all") service = kServices[0];
            std::string concrete = path;  // every {param} becomes 1
            for (auto open = concrete.find('{'); open != std::string::npos;
                 open = concrete.find('{')) {
                concrete.replace(open, concrete.find('}', open) - open + 1, "1");
            }
            for (const auto& [status, response] : oa::members_of(responses)) {
                const auto* example = oa::member(
                    oa::member(oa::member(&response, "content"), "application/json"), "example");
                if (example == nullptr || status == "default") continue;
                ++examples;
                json::Writer w;
                http::write_json(w, *example);
                const auto violations =
                    testing::check_answer(service, oa::ascii_case(method, ::toupper), concrete,
                                          std::stoi(status), w.take());
                CHECK_MESSAGE(violations.empty(), lines(violations));
            }
        }
    }
    CHECK(examples > 0);
}
