// Black-box tests of the real flight-service binary on PostgreSQL and Redis:
// the process is started, crashed with SIGKILL, restarted and stopped with
// SIGTERM, and the SPEC §5 seat invariants are checked in PostgreSQL.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "flight_service_process.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "http_test_support.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using testing::FlightServiceProcess;
using testing::PgSchema;
using testing::RedisServerProcess;

namespace {

http::JsonObject json_of(const Result<http::ClientResponse>& r) {
    REQUIRE(r);
    auto obj = http::parse_object(r->body);
    REQUIRE_MESSAGE(obj.has_value(), r->body);
    return std::move(obj).value();
}

std::int64_t available_via_api(http::Client& c, int flight) {
    return json_of(c.get("/api/flights/" + std::to_string(flight)))
        .get_int64("available_seats")
        .value();
}

// POST /api/flights/seats/decrement for `seats` seats of flight `flight` on
// 2024-02-15; the HTTP status.
int decrement(http::Client& c, int flight, int seats, const std::string& reservation) {
    auto r = c.post("/api/flights/seats/decrement",
                    fmt::format(R"({{"flight_id":{},"seats":{},"date":"2024-02-15",)"
                                R"("reservation_id":"{}"}})",
                                flight, seats, reservation));
    REQUIRE(r);
    return r->status;
}

// booked_seats in PostgreSQL, the source of truth.
std::int64_t booked_in_postgres(const PgSchema& schema, int flight) {
    auto conn = schema.connect();
    static constexpr postgres::Statement kBooked{"test_booked",
                                                 "SELECT booked_seats FROM flights WHERE id = $1"};
    auto r = conn->exec(kBooked, {flight});
    REQUIRE(r);
    return r->int64(0, 0);
}

}  // namespace

TEST_CASE("flight-service serves search and seats from PostgreSQL + Redis") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    auto c = service.client();

    auto found =
        json_of(c.get("/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2"));
    CHECK(found.get_int64("count").value() == 5);

    CHECK(decrement(c, 1, 4, "p-1") == 200);
    CHECK(booked_in_postgres(schema, 1) == 54);
    CHECK(available_via_api(c, 1) == 126);

    auto health = json_of(c.get("/health"));
    CHECK(health.get_string("service").value() == "flight-service");
    auto metrics = c.get("/metrics");
    REQUIRE(metrics);
    using http::testing::metric_value;
    // One decrement = one hold and one confirm, both ok; one search.
    CHECK(metric_value(metrics->body,
                       R"(flightbook_seat_operations_total{operation="hold",result="ok"})") == 1);
    CHECK(metric_value(metrics->body,
                       R"(flightbook_seat_operations_total{operation="confirm",result="ok"})") ==
          1);
    CHECK(metric_value(metrics->body, R"(flightbook_searches_total{result="ok"})") == 1);
    CHECK(
        metric_value(
            metrics->body,
            R"(flightbook_http_requests_total{route="/api/flights/seats/decrement",method="POST",status="200"})") ==
        1);

    CHECK(service.terminate() == 0);  // graceful SIGTERM
}

TEST_CASE("SIGKILL between hold and confirm: the seats come back after expiry, once") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    auto c = service.client();
    CHECK(available_via_api(c, 8) == 160);

    auto held = c.post(
        "/api/flights/seats/hold",
        R"({"reservation_id":"crash-1","legs":[{"flight_id":8,"seats":5},{"flight_id":9,"seats":5}]})");
    REQUIRE(held);
    CHECK(held->status == 200);
    CHECK(booked_in_postgres(schema, 8) == 25);

    service.kill_now();                          // the booking never confirms; nobody releases
    CHECK(booked_in_postgres(schema, 8) == 25);  // the hold survives the crash

    service.start();  // once the 2 s hold has passed, its sweeper gives the seats back
    auto c2 = service.client();
    bool back = false;
    for (int i = 0; i < 150 && !back; ++i) {
        back = booked_in_postgres(schema, 8) == 20 && booked_in_postgres(schema, 9) == 35;
        if (!back) std::this_thread::sleep_for(100ms);
    }
    CHECK(back);
    CHECK(available_via_api(c2, 8) == 160);
    CHECK(available_via_api(c2, 9) == 145);
    auto late = c2.post("/api/flights/seats/confirm", R"({"reservation_id":"crash-1"})");
    REQUIRE(late);
    CHECK(late->status == 409);
    // Two more whole sweeps (polled on the sweeper's own counter): nothing is
    // given back twice.
    const auto sweeps = [&] {
        auto m = c2.get("/metrics");
        return m ? http::testing::metric_value(m->body,
                                               R"(flightbook_hold_sweeps_total{result="ok"})")
                 : -1.0;
    };
    const double before = sweeps();
    for (int i = 0; i < 200 && sweeps() < before + 2; ++i) std::this_thread::sleep_for(20ms);
    CHECK(sweeps() >= before + 2);
    CHECK(booked_in_postgres(schema, 8) == 20);
    CHECK(booked_in_postgres(schema, 9) == 35);
}

TEST_CASE("Redis FLUSHALL and restart under the service lose no sale and oversell nothing") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    auto c = service.client();
    // AI103 (id 3): 100 seats left. Sell 30, lose Redis, sell until refused.
    int sold = 0;
    for (int i = 0; i < 30; ++i) {
        if (decrement(c, 3, 1, "a-" + std::to_string(i)) == 200) ++sold;
    }
    CHECK(sold == 30);
    auto flush =
        redis::Client::create(redis::ClientOptions{"127.0.0.1", redis.port(), 1, 500, 500, 500});
    REQUIRE(flush);
    REQUIRE((*flush)->command({"FLUSHALL"}));
    redis.kill_now();
    redis.start();
    int refused = 0;
    for (int i = 0; i < 120; ++i) {
        const int status = decrement(c, 3, 1, "b-" + std::to_string(i));
        if (status == 200) {
            ++sold;
        } else {
            CHECK(status == 409);
            ++refused;
        }
    }
    CHECK(sold == 100);
    CHECK(refused == 50);
    CHECK(booked_in_postgres(schema, 3) == 180);
    CHECK(available_via_api(c, 3) == 0);

    // /metrics tells what happened: counters were loaded from PostgreSQL
    // (first use, then again after the flush), sold-out holds were refused by
    // Redis alone, and the pools never made anyone wait for long.
    auto metrics = c.get("/metrics");
    REQUIRE(metrics);
    using http::testing::metric_value;
    CHECK(metric_value(metrics->body,
                       R"(flightbook_seat_counter_events_total{event="counter_load"})") >= 2);
    CHECK(metric_value(metrics->body,
                       R"(flightbook_seat_counter_events_total{event="fast_rejection"})") >= 1);
    CHECK(metric_value(metrics->body,
                       R"(flightbook_db_pool_waits_total{pool="flights",outcome="timed_out"})") ==
          0);
}

TEST_CASE("a count left in Redis by a dead process is repaired: every seat PostgreSQL has sells") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port(), {"--reconcile-interval-seconds", "1"});
    auto c = service.client();
    // AI103 (id 3): 100 seats left. One sale creates its Redis counter.
    REQUIRE(decrement(c, 3, 1, "r-0") == 200);

    // What a process killed between the Redis count and the PostgreSQL
    // commit of a 60-seat hold leaves behind.
    auto raw =
        redis::Client::create(redis::ClientOptions{"127.0.0.1", redis.port(), 1, 500, 500, 500});
    REQUIRE(raw);
    REQUIRE((*raw)->command({"HINCRBY", "flightbook:seats:flight:3", "available", "-60"}));
    REQUIRE((*raw)->command({"HINCRBY", "flightbook:seats:flight:3", "v", "1"}));

    // The service repairs the counter within a few passes (bounded wait).
    bool repaired = false;
    for (int i = 0; i < 100 && !repaired; ++i) {
        auto counter = (*raw)->command({"HGET", "flightbook:seats:flight:3", "available"});
        REQUIRE(counter);
        repaired = counter->as_integer() == 99;
        if (!repaired) std::this_thread::sleep_for(100ms);
    }
    REQUIRE(repaired);
    auto metrics = c.get("/metrics");
    REQUIRE(metrics);
    CHECK(http::testing::metric_value(
              metrics->body, R"(flightbook_seat_counter_reconcile_total{outcome="repaired"})") >=
          1);

    // All 99 remaining seats sell (the drifted counter would have refused
    // them), and not one more.
    CHECK(decrement(c, 3, 99, "r-1") == 200);
    CHECK(decrement(c, 3, 1, "r-2") == 409);
    CHECK(booked_in_postgres(schema, 3) == 180);
    CHECK(service.terminate() == 0);
}
