// Black-box tests of the HTTP foundation: routing, JSON errors, built-in
// routes, request ids, metrics and the access log, on a real server.
#include <doctest/doctest.h>

#include "flightbook/http/json.hpp"
#include "http_test_server.hpp"

using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

namespace {

JsonObject json_of(const ClientResponse& r) {
    auto o = parse_object(r.body);
    REQUIRE_MESSAGE(o.has_value(), r.body);
    return std::move(o).value();
}

void require_json_error(const ClientResponse& r, int status, std::string_view code) {
    CHECK(r.status == status);
    CHECK(r.header("Content-Type").value_or("").starts_with("application/json"));
    const auto body = json_of(r);
    CHECK(body.get_string("error").value_or("") == code);
    CHECK(!body.get_string("message").value_or("").empty());
}

}  // namespace

TEST_CASE("health answers healthy with the service name") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.get("/health");
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    const auto body = json_of(*r);
    CHECK(body.get_string("status").value_or("") == "healthy");
    CHECK(body.get_string("service").value_or("") == "test-service");
}

TEST_CASE("path parameters and literal segments are routed") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.get("/api/items/42");
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(json_of(*r).get_string("id").value_or("") == "42");

    auto s = client.get("/api/items/search");
    REQUIRE(s.has_value());
    CHECK(s->body == "{\"search\":true}\n");

    auto q = client.get("/api/query?q=a%20b&x=1");
    REQUIRE(q.has_value());
    CHECK(json_of(*q).get_string("q").value_or("") == "a b");
}

TEST_CASE("unknown path is a JSON 404 and a wrong method a JSON 405 with Allow") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.get("/api/nothing/here");
    REQUIRE(r.has_value());
    require_json_error(*r, 404, "not_found");

    auto m = client.del("/api/items/7");
    REQUIRE(m.has_value());
    require_json_error(*m, 405, "method_not_allowed");
    CHECK(m->header("Allow").value_or("") == "GET, HEAD");

    auto p = client.put("/api/items", R"({"seats":1})");
    REQUIRE(p.has_value());
    require_json_error(*p, 405, "method_not_allowed");
    CHECK(p->header("Allow").value_or("") == "POST");
}

TEST_CASE("JSON bodies: valid, invalid JSON, wrong type, out of range") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto good = client.post("/api/items", R"({"seats": 3})");
    REQUIRE(good.has_value());
    CHECK(good->status == 200);
    CHECK(good->body == "{\"seats\":3}\n");

    auto broken = client.post("/api/items", R"({"seats": 3)");
    REQUIRE(broken.has_value());
    require_json_error(*broken, 400, "invalid_argument");

    auto not_object = client.post("/api/items", "[1,2]");
    REQUIRE(not_object.has_value());
    require_json_error(*not_object, 400, "invalid_argument");

    auto fractional = client.post("/api/items", R"({"seats": 2.5})");
    REQUIRE(fractional.has_value());
    require_json_error(*fractional, 400, "invalid_argument");
    CHECK(json_of(*fractional).get_string("message").value_or("") ==
          "field 'seats' must be a positive integer");

    auto huge = client.post("/api/items", R"({"seats": 99999999999999999999999})");
    REQUIRE(huge.has_value());
    require_json_error(*huge, 400, "invalid_argument");

    auto empty = client.post("/api/items", "");
    REQUIRE(empty.has_value());
    require_json_error(*empty, 400, "invalid_argument");
}

TEST_CASE("a throwing handler answers JSON 500, is logged, and the server keeps serving") {
    TestServer ts;
    auto client = client_for(ts.port);
    for (int i = 0; i < 3; ++i) {
        auto r = client.get("/api/throw");
        REQUIRE(r.has_value());
        require_json_error(*r, 500, "internal");
        CHECK(r->body.find("boom") == std::string::npos);  // no internals leak
    }
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
    int logged = 0;
    for (const auto& line : ts.sink->lines()) {
        if (line.find(R"("event":"handler_exception")") != std::string::npos &&
            line.find("boom: broken invariant") != std::string::npos) {
            ++logged;
        }
    }
    CHECK(logged == 3);
}

TEST_CASE("ready is 200, 503 with a JSON error while a check fails, then 200 again") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto up = client.get("/ready");
    REQUIRE(up.has_value());
    CHECK(up->status == 200);

    ts.dependency_up = false;
    auto down = client.get("/ready");
    REQUIRE(down.has_value());
    require_json_error(*down, 503, "unavailable");
    CHECK(down->body.find("dependency is down") != std::string::npos);

    ts.dependency_up = true;
    auto again = client.get("/ready");
    REQUIRE(again.has_value());
    CHECK(again->status == 200);
}

TEST_CASE("metrics count requests per route pattern, method and status") {
    TestServer ts;
    auto client = client_for(ts.port);
    for (int i = 0; i < 3; ++i) REQUIRE(client.get("/api/items/" + std::to_string(i)));
    REQUIRE(client.get("/api/items/search"));
    REQUIRE(client.get("/no/such/path"));
    auto m = client.get("/metrics");
    REQUIRE(m.has_value());
    CHECK(m->status == 200);
    CHECK(m->header("Content-Type").value_or("").starts_with("text/plain; version=0.0.4"));
    const auto& text = m->body;
    CHECK(text.find("# TYPE flightbook_http_requests_total counter") != std::string::npos);
    CHECK(
        text.find(
            R"(flightbook_http_requests_total{route="/api/items/{id}",method="GET",status="200"} 3)") !=
        std::string::npos);
    CHECK(
        text.find(
            R"(flightbook_http_requests_total{route="/api/items/search",method="GET",status="200"} 1)") !=
        std::string::npos);
    CHECK(text.find(
              R"(flightbook_http_requests_total{route="unmatched",method="GET",status="404"} 1)") !=
          std::string::npos);
    CHECK(
        text.find(
            R"(flightbook_http_request_duration_seconds_count{route="/api/items/{id}",method="GET"} 3)") !=
        std::string::npos);
    CHECK(
        text.find(
            R"(flightbook_http_request_duration_seconds_bucket{route="/api/items/{id}",method="GET",le="+Inf"} 3)") !=
        std::string::npos);
    // Raw paths never become label values.
    CHECK(text.find("/api/items/1\"") == std::string::npos);
}

TEST_CASE("X-Request-Id is echoed when safe, generated otherwise, and logged once per request") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.get("/api/items/9", {{"X-Request-Id", "abc-123"}});
    REQUIRE(r.has_value());
    CHECK(r->header("X-Request-Id").value_or("") == "abc-123");

    auto g = client.get("/health", {{"X-Request-Id", "bad id with spaces"}});
    REQUIRE(g.has_value());
    const auto generated = std::string(g->header("X-Request-Id").value_or(""));
    CHECK(generated.size() == 16);

    auto secret = client.post("/api/items", R"({"seats":1,"card_number":"4111111111111111"})",
                              {{"Authorization", "Bearer secret-token"}});
    REQUIRE(secret.has_value());

    // The access log line is written just after the answer: wait (bounded).
    std::vector<std::string> lines;
    for (int i = 0; i < 200; ++i) {
        lines = ts.sink->lines();
        int n = 0;
        for (const auto& line : lines) n += line.find(R"("event":"request")") != std::string::npos;
        if (n >= 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    int request_lines = 0;
    bool found_abc = false;
    for (const auto& line : lines) {
        CHECK(line.find("4111111111111111") == std::string::npos);
        CHECK(line.find("secret-token") == std::string::npos);
        if (line.find(R"("event":"request")") == std::string::npos) continue;
        ++request_lines;
        if (line.find(R"("request_id":"abc-123")") != std::string::npos) {
            found_abc = true;
            CHECK(line.find(R"("route":"/api/items/{id}")") != std::string::npos);
            CHECK(line.find(R"("path":"/api/items/9")") != std::string::npos);
            CHECK(line.find(R"("status":200)") != std::string::npos);
            CHECK(line.find(R"("duration_ms":)") != std::string::npos);
        }
    }
    CHECK(request_lines == 3);
    CHECK(found_abc);
}

TEST_CASE("HEAD is served by GET routes without a body") {
    TestServer ts;
    RawConnection raw(ts.port);
    REQUIRE(raw.connected());
    REQUIRE(raw.send_all("HEAD /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    const auto answer = raw.read_until_close(std::chrono::seconds(3));
    CHECK(status_of(answer) == 200);
    CHECK(body_of(answer).empty());
}

TEST_CASE("binding a port in use fails with kUnavailable") {
    TestServer ts;
    auto options = test_options();
    options.port = ts.port;
    Server second(options, nullptr, std::make_shared<CapturingSink>());
    auto r = second.start();
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("routes cannot be added after start") {
    TestServer ts;
    auto r = ts.server.get("/late", [](const Request&) { return Response::json(200, "{}"); });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kFailedPrecondition);
}

TEST_CASE(
    "a 5xx carries a stable code, a next step and the request id; the cause only in the log") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.get("/api/db-down", {{"X-Request-Id", "req-5xx-1"}});
    REQUIRE(r.has_value());
    require_json_error(*r, 503, "unavailable");
    CHECK(r->body.find("db-7") == std::string::npos);
    CHECK(r->body.find("retry later") != std::string::npos);
    CHECK(r->body.find(R"("request_id":"req-5xx-1")") != std::string::npos);
    CHECK(r->body.ends_with("}\n"));
    int logged = 0;
    for (const auto& line : ts.sink->lines()) {
        if (line.find(R"("event":"server_error")") != std::string::npos &&
            line.find("db-7.internal") != std::string::npos &&
            line.find("req-5xx-1") != std::string::npos) {
            ++logged;
        }
    }
    CHECK(logged == 1);
}
