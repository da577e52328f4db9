// Several real flight-service processes on one PostgreSQL and one Redis
// (ADR 0011): a sale or a give-back made through one instance reaches the
// others' search answers through the seat-change feed, even where their own
// freshness bound would still let them show the old counts.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "flight_service_process.hpp"
#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace std::chrono_literals;
using testing::FlightServiceProcess;
using testing::PgSchema;
using testing::RedisServerProcess;

namespace {

// DEL→BLR for 2 seats: five itineraries, one of them the direct AI201 (id 4).
int itineraries(http::Client& c) {
    auto r = c.get("/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    return static_cast<int>(http::parse_object(r->body).value().get_int64("count").value());
}

void seat_call(http::Client& c, const char* op, int seats, const std::string& reservation) {
    auto r = c.post(fmt::format("/api/flights/seats/{}", op),
                    fmt::format(R"({{"flight_id":4,"seats":{},"date":"2024-02-15",)"
                                R"("reservation_id":"{}"}})",
                                seats, reservation));
    REQUIRE(r);
    REQUIRE_MESSAGE(r->status == 200, r->body);
}

// Polls `c` until the search shows `want` itineraries (bounded).
bool shows_within(http::Client& c, int want, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (itineraries(c) == want) return true;
        std::this_thread::sleep_for(10ms);
    }
    return itineraries(c) == want;
}

std::string metrics_of(http::Client& c) {
    auto r = c.get("/metrics");
    REQUIRE(r);
    return r->body;
}

// Waits (bounded) until the instance's feed session is live.
bool feed_live(http::Client& c) {
    for (int i = 0; i < 200; ++i) {
        if (metrics_of(c).find("\nflightbook_seat_feed_up 1") != std::string::npos) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

}  // namespace

TEST_CASE("seat feed: a sale and a give-back on one instance reach the others' answers") {
    PgSchema schema;
    RedisServerProcess redis;
    // A long freshness bound: without the feed, an instance would show the
    // counts it last read for a minute.
    const std::vector<std::string> lazy{"--seat-freshness-ms", "60000"};
    FlightServiceProcess seller(schema, redis.port());
    FlightServiceProcess follower(schema, redis.port(), lazy);
    std::vector<std::string> deaf = lazy;
    deaf.insert(deaf.end(), {"--seat-feed", "false"});
    FlightServiceProcess without_feed(schema, redis.port(), deaf);
    auto s = seller.client();
    auto f = follower.client();
    auto w = without_feed.client();
    // Both read every count of the answer now (and cache the route list).
    REQUIRE(feed_live(f));
    REQUIRE(itineraries(f) == 5);
    REQUIRE(itineraries(w) == 5);

    // The seller sells AI201 down to 1 seat (140 were available).
    seat_call(s, "decrement", 100, "feed-a");
    seat_call(s, "decrement", 39, "feed-b");
    CHECK(shows_within(f, 4, 2s));
    CHECK(itineraries(w) == 5);  // within its bound, never told

    // A give-back brings AI201 back into the follower's cached list at once.
    seat_call(s, "increment", 39, "feed-b");
    CHECK(shows_within(f, 5, 2s));

    const std::string m = metrics_of(f);
    CHECK(m.find("flightbook_seat_feed_up 1") != std::string::npos);
    CHECK(m.find("flightbook_seat_feed_changes_total 0") == std::string::npos);
    CHECK(metrics_of(w).find("flightbook_seat_feed_up 0") != std::string::npos);
}

TEST_CASE("seat feed: with the feed live, repeated pages read no seat counts") {
    PgSchema schema;
    RedisServerProcess redis;
    // A bound that heartbeats meet even on a loaded machine (sanitizers).
    FlightServiceProcess service(schema, redis.port(), {"--seat-freshness-ms", "500"});
    auto c = service.client();
    REQUIRE(feed_live(c));
    const auto reads = [&] {
        const std::string m = metrics_of(c);
        const std::string name = "\nflightbook_search_seat_reads_total ";
        const auto at = m.find(name);
        REQUIRE(at != std::string::npos);
        return std::stoll(m.substr(at + name.size()));
    };
    REQUIRE(itineraries(c) == 5);  // reads the page's legs once
    const auto first = reads();
    CHECK(first > 0);
    // Past the bound, the counts are vouched for by the feed's heartbeats.
    std::this_thread::sleep_for(700ms);
    for (int i = 0; i < 20; ++i) {
        REQUIRE(itineraries(c) == 5);
        std::this_thread::sleep_for(30ms);
    }
    CHECK(reads() == first);
}
