// /ready of the real flight-service binary while its dependencies come and
// go. PostgreSQL is reached through a TcpProxy of the test's, so that it can
// be made unreachable without stopping the shared server; Redis is a private
// redis-server that the test kills and restarts on the same port.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "flight_service_process.hpp"
#include "flightbook/http/json.hpp"
#include "http_test_support.hpp"
#include "tcp_proxy.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using testing::FlightServiceProcess;
using testing::PgSchema;
using testing::RedisServerProcess;
using testing::TcpProxy;

namespace {

// Polls GET /ready until it answers `status` or `timeout` passes; the last
// answer (status 0 when there was none).
http::ClientResponse ready_within(const FlightServiceProcess& service, int status,
                                  std::chrono::milliseconds timeout) {
    auto c = service.ServiceProcess::client({}, 10000);
    http::ClientResponse last;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto r = c.get("/ready")) {
            last = *r;
            if (r->status == status) return last;
        }
        std::this_thread::sleep_for(50ms);
    }
    return last;
}

http::JsonObject json_of(const http::ClientResponse& r) {
    auto obj = http::parse_object(r.body);
    REQUIRE_MESSAGE(obj.has_value(), r.body);
    return std::move(obj).value();
}

int decrement(const FlightServiceProcess& service, int flight, const std::string& reservation) {
    auto r = service.client().post("/api/flights/seats/decrement",
                                   R"({"flight_id":)" + std::to_string(flight) +
                                       R"(,"seats":1,"date":"2024-02-15","reservation_id":")" +
                                       reservation + R"("})");
    REQUIRE(r);
    return r->status;
}

double metric(const FlightServiceProcess& service, std::string_view series) {
    auto m = service.client().get("/metrics");
    REQUIRE(m);
    return http::testing::metric_value(m->body, series);
}

}  // namespace

TEST_CASE("/ready is 503 naming the seat store while PostgreSQL is unreachable, 200 once back") {
    PgSchema schema;
    RedisServerProcess redis;
    TcpProxy proxy(testing::dsn_port(testing::pg_dsn()));
    // The later host/port win over the test DSN's own.
    FlightServiceProcess service(
        schema.dsn() + " host=127.0.0.1 port=" + std::to_string(proxy.port()), redis.port());
    REQUIRE(proxy.forwarded() > 0);  // the service really goes through the proxy
    REQUIRE(decrement(service, 1, "before") == 200);

    proxy.stop();
    const http::ClientResponse down = ready_within(service, 503, 10s);
    REQUIRE_MESSAGE(down.status == 503, down.status << " " << down.body);
    CHECK(down.body.ends_with("}\n"));
    auto body = json_of(down);
    CHECK(body.get_string("error").value() == "unavailable");
    CHECK(body.get_string("message").value() == "not ready: seats is down");
    CHECK(body.get_string("service").value() == "flight-service");
    const http::JsonValue* checks = body.find("checks");
    REQUIRE(checks != nullptr);
    REQUIRE(checks->as_object() != nullptr);
    CHECK(checks->as_object()->get_string("seats").value() == "down");
    // The driver's words (host, port) stay in the log.
    CHECK(down.body.find("127.0.0.1") == std::string::npos);
    // The process itself still serves.
    auto health = service.client().get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    // Seats are not sold without PostgreSQL: a 5xx, not a false 200.
    CHECK(decrement(service, 1, "while-down") == 503);

    proxy.start();
    const http::ClientResponse up = ready_within(service, 200, 15s);
    REQUIRE_MESSAGE(up.status == 200, up.status << " " << up.body);
    CHECK(up.body == "{\"status\":\"ready\",\"service\":\"flight-service\"}\n");
    CHECK(decrement(service, 1, "after") == 200);
    CHECK(service.terminate() == 0);
}

// Redis is not a readiness dependency of flight-service: while it is down,
// holds go to PostgreSQL directly (docs/redis.md, docs/seats.md "Redis
// down"), so the service stays ready and keeps selling; taking every instance
// out of the balancer because the shared Redis is down would turn a slower
// path into an outage. After a restart on the same port the counters are
// rebuilt from PostgreSQL on first use.
TEST_CASE("/ready stays 200 while Redis is down (holds go to PostgreSQL) and after its restart") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    REQUIRE(decrement(service, 3, "warm") == 200);
    const double loads =
        metric(service, R"(flightbook_seat_counter_events_total{event="counter_load"})");
    CHECK(loads >= 1);

    redis.kill_now();
    CHECK(decrement(service, 3, "redis-down") == 200);
    CHECK(metric(service, R"(flightbook_seat_counter_events_total{event="redis_fallback"})") >= 1);
    const http::ClientResponse ready = ready_within(service, 200, 5s);
    CHECK(ready.status == 200);
    CHECK(ready.body == "{\"status\":\"ready\",\"service\":\"flight-service\"}\n");

    redis.start();  // same port, empty
    CHECK(ready_within(service, 200, 5s).status == 200);
    // The next sale rebuilds the counter (a new counter load) from PostgreSQL.
    bool counted = false;
    for (int i = 0; i < 50 && !counted; ++i) {
        REQUIRE(decrement(service, 3, "redis-back-" + std::to_string(i)) == 200);
        counted = metric(service, R"(flightbook_seat_counter_events_total{event="counter_load"})") >
                  loads;
        if (!counted) std::this_thread::sleep_for(100ms);  // the client reconnects
    }
    CHECK(counted);
    auto raw =
        redis::Client::create(redis::ClientOptions{"127.0.0.1", redis.port(), 1, 500, 500, 500});
    REQUIRE(raw);
    auto counter = (*raw)->command({"HGET", "flightbook:seats:flight:3", "available"});
    REQUIRE(counter);
    auto truth = service.client().get("/api/flights/3");
    REQUIRE(truth);
    CHECK(counter->as_integer().value() == json_of(*truth).get_int64("available_seats").value());
    CHECK(service.terminate() == 0);
}
