// Unit tests of the route table: no network.
#include <doctest/doctest.h>

#include "flightbook/http/router.hpp"

using namespace flightbook;
using namespace flightbook::http;
using Kind = Router::Match::Kind;

namespace {

Handler named(std::string name) {
    return [name](const Request&) { return Response::json(200, name); };
}

std::string run(const Router::Match& m) {
    const Request req(Request::Parts{"GET", "/", "", "", &m.params, nullptr, nullptr});
    return (*m.handler)(req).body;
}

}  // namespace

TEST_CASE("router: literal routes, parameters and specificity") {
    //   GET  /api/flights/search          (literal wins over {id})
    //   GET  /api/flights/{id}
    //   POST /api/flights/{id}/seats/{n}
    //   GET  /
    Router r;
    REQUIRE(r.add("GET", "/api/flights/{id}", named("by-id")).has_value());
    REQUIRE(r.add("GET", "/api/flights/search", named("search")).has_value());
    REQUIRE(r.add("POST", "/api/flights/{id}/seats/{n}", named("seats")).has_value());
    REQUIRE(r.add("GET", "/", named("root")).has_value());
    CHECK(r.size() == 4);

    auto m = r.match("GET", "/api/flights/42");
    REQUIRE(m.kind == Kind::kFound);
    CHECK(m.pattern == "/api/flights/{id}");
    REQUIRE(m.params.size() == 1);
    CHECK(m.params[0].first == "id");
    CHECK(m.params[0].second == "42");
    CHECK(run(m) == "by-id\n");

    auto s = r.match("GET", "/api/flights/search");
    REQUIRE(s.kind == Kind::kFound);
    CHECK(run(s) == "search\n");
    CHECK(s.params.empty());

    auto p = r.match("POST", "/api/flights/7/seats/3");
    REQUIRE(p.kind == Kind::kFound);
    const Request req(
        Request::Parts{"POST", "/api/flights/7/seats/3", "", "", &p.params, nullptr, nullptr});
    CHECK(req.path_param("id") == "7");
    CHECK(req.path_param("n") == "3");
    CHECK_FALSE(req.path_param("x").has_value());

    CHECK(r.match("GET", "/").kind == Kind::kFound);
}

TEST_CASE("router: not found versus method not allowed") {
    Router r;
    REQUIRE(r.add("GET", "/api/bookings/{id}", named("get")).has_value());
    REQUIRE(r.add("PUT", "/api/bookings/{id}/cancel", named("cancel")).has_value());
    REQUIRE(r.add("DELETE", "/api/bookings/{id}", named("delete")).has_value());

    CHECK(r.match("GET", "/api/bookings").kind == Kind::kNotFound);
    CHECK(r.match("GET", "/api/bookings/").kind == Kind::kNotFound);  // empty parameter
    CHECK(r.match("GET", "/api/bookings/1/2").kind == Kind::kNotFound);
    CHECK(r.match("GET", "api/bookings/1").kind == Kind::kNotFound);

    auto m = r.match("POST", "/api/bookings/1");
    CHECK(m.kind == Kind::kMethodNotAllowed);
    CHECK(m.allow == "DELETE, GET, HEAD");

    auto c = r.match("GET", "/api/bookings/1/cancel");
    CHECK(c.kind == Kind::kMethodNotAllowed);
    CHECK(c.allow == "PUT");

    // HEAD is answered by GET routes.
    CHECK(r.match("HEAD", "/api/bookings/9").kind == Kind::kFound);
}

TEST_CASE("router: invalid registrations are refused") {
    Router r;
    CHECK(r.add("get", "/x", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("", "/x", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "x", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a/{}", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a/{id}/{id}", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a/{i-d}", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a//b", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a/x{id}", named("x")).error().code == ErrorCode::kInvalidArgument);
    CHECK(r.add("GET", "/a", Handler{}).error().code == ErrorCode::kInvalidArgument);

    REQUIRE(r.add("GET", "/a/{id}", named("a")).has_value());
    CHECK(r.add("GET", "/a/{other}", named("b")).error().code == ErrorCode::kAlreadyExists);
    CHECK(r.add("POST", "/a/{other}", named("b")).has_value());
    CHECK(r.add("GET", "/a/fixed", named("c")).has_value());
}

TEST_CASE("request view: headers are case-insensitive, query and path exact") {
    const FieldList headers{{"Content-Type", "application/json"}, {"X-User-Id", "7"}};
    const FieldList query{{"user_id", "7"}, {"limit", "5"}, {"limit", "9"}};
    const Request req(Request::Parts{"GET", "/p", "{}", "rid", nullptr, &query, &headers});
    CHECK(req.header("content-type") == "application/json");
    CHECK(req.header("X-USER-ID") == "7");
    CHECK_FALSE(req.header("X-Missing").has_value());
    CHECK(req.query("limit") == "5");
    CHECK_FALSE(req.query("LIMIT").has_value());
    CHECK(req.query_params().size() == 3);
    CHECK(req.body() == "{}");
    CHECK(req.request_id() == "rid");
    CHECK_FALSE(req.path_param("id").has_value());
}
