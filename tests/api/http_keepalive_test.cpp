// The connection model (issue 10): keep-alive connections wait for their
// next request in the connection gate, not on a worker thread, so more
// connections than workers are served without closing any of them. Raw
// sockets, so that every answer and every close is seen as the client sees
// it. Bounds on time here are generous limits, never performance figures.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "http_test_server.hpp"

using namespace std::chrono_literals;
using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

namespace {

constexpr std::string_view kHealth = "GET /health HTTP/1.1\r\nHost: t\r\n\r\n";
// The end of the /health body of the test server.
constexpr std::string_view kHealthEnd = "\"test-service\"}";

double active_connections(TestServer& ts) {
    return metric_value(ts.server.registry().render_prometheus(),
                        "flightbook_http_connections_active");
}

// Polls (bounded) until the server reports `count` open connections.
bool wait_for_active(TestServer& ts, double count, std::chrono::milliseconds limit = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (active_connections(ts) != count) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::vector<std::unique_ptr<RawConnection>> open_connections(int port, int count) {
    std::vector<std::unique_ptr<RawConnection>> conns;
    conns.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) conns.push_back(std::make_unique<RawConnection>(port));
    return conns;
}

}  // namespace

TEST_CASE("64 keep-alive connections share 4 workers: all answered, none closed") {
    auto options = test_options();
    options.worker_threads = 4;
    options.idle_timeout_ms = 10000;
    TestServer ts(options);
    auto conns = open_connections(ts.port, 64);
    for (int round = 0; round < 3; ++round) {
        for (auto& c : conns) REQUIRE(c->send_all(kHealth));
        int answered = 0;
        for (auto& c : conns) {
            const auto answer = c->read_until(kHealthEnd, 3s);
            CHECK(status_of(answer) == 200);
            // Crowding no longer makes the server close connections.
            CHECK(answer.find("Connection: close") == std::string::npos);
            CHECK_FALSE(c->peer_closed());
            if (status_of(answer) == 200) ++answered;
        }
        CHECK(answered == 64);
    }
    CHECK(active_connections(ts) == 64);
}

TEST_CASE("an idle keep-alive connection is closed at idle_timeout_ms") {
    auto options = test_options();
    options.idle_timeout_ms = 300;
    TestServer ts(options);
    RawConnection raw(ts.port);
    REQUIRE(raw.send_all(kHealth));
    REQUIRE(status_of(raw.read_until(kHealthEnd, 2s)) == 200);
    const auto idle_since = std::chrono::steady_clock::now();
    const auto rest = raw.read_until_close(3s);
    const auto idle_for = std::chrono::steady_clock::now() - idle_since;
    CHECK(rest.empty());  // closed silently
    CHECK(raw.peer_closed());
    CHECK(idle_for >= 250ms);
    CHECK(idle_for < 2s);
    CHECK(wait_for_active(ts, 0));
}

TEST_CASE("keep_alive_max_count counts requests across parks") {
    auto options = test_options();
    options.keep_alive_max_count = 3;
    TestServer ts(options);
    RawConnection raw(ts.port);
    for (int i = 1; i <= 3; ++i) {
        // Idle long enough between requests for the connection to be parked.
        std::this_thread::sleep_for(30ms);
        REQUIRE(raw.send_all(kHealth));
        const auto answer = raw.read_until(kHealthEnd, 2s);
        REQUIRE(status_of(answer) == 200);
        CHECK((answer.find("Connection: close") != std::string::npos) == (i == 3));
    }
    raw.read_until_close(2s);
    CHECK(raw.peer_closed());
}

TEST_CASE("a slow head on a later keep-alive request does not hold a worker") {
    auto options = test_options();
    options.worker_threads = 2;
    options.read_timeout_ms = 2000;
    options.idle_timeout_ms = 10000;
    TestServer ts(options);
    auto slow = open_connections(ts.port, 64);
    for (auto& c : slow) {
        REQUIRE(c->send_all(kHealth));
        REQUIRE(status_of(c->read_until(kHealthEnd, 3s)) == 200);
        // The second request's head starts and stalls.
        REQUIRE(c->send_all("GET /api/items/7 HTTP/1.1\r\nHost: t\r\n"));
    }
    // Both workers would be held by these without parking; /health is
    // answered (on a new connection) while all 64 exist.
    auto client = client_for(ts.port);
    for (int i = 0; i < 20; ++i) {
        auto r = client.get("/health");
        REQUIRE(r.has_value());
        CHECK(r->status == 200);
    }
    // Completing a parked head gets it served.
    for (int i = 0; i < 32; ++i) REQUIRE(slow[static_cast<std::size_t>(i)]->send_all("\r\n"));
    for (int i = 0; i < 32; ++i) {
        const auto answer = slow[static_cast<std::size_t>(i)]->read_until("\"7\"}", 3s);
        CHECK(status_of(answer) == 200);
    }
    // The others never finish theirs: closed at read_timeout_ms from their
    // first byte, not at the idle timeout.
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 32; i < slow.size(); ++i) {
        slow[i]->read_until_close(4s);
        CHECK(slow[i]->peer_closed());
    }
    CHECK(std::chrono::steady_clock::now() - start < 4s);
}

TEST_CASE("pipelined requests are served in order, before and after a park") {
    TestServer ts;
    RawConnection raw(ts.port);
    const auto three =
        "GET /api/items/1 HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /api/items/2 HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /api/items/3 HTTP/1.1\r\nHost: t\r\n\r\n";
    for (int round = 0; round < 2; ++round) {
        REQUIRE(raw.send_all(three));
        const auto answers = raw.read_until("{\"id\":\"3\"}", 3s);
        const auto one = answers.find("{\"id\":\"1\"}");
        const auto two = answers.find("{\"id\":\"2\"}");
        const auto last = answers.find("{\"id\":\"3\"}");
        REQUIRE(one != std::string::npos);
        REQUIRE(two != std::string::npos);
        REQUIRE(last != std::string::npos);
        CHECK(one < two);
        CHECK(two < last);
        CHECK_FALSE(raw.peer_closed());
        std::this_thread::sleep_for(50ms);  // parked in between
    }
}

TEST_CASE("stop() closes parked connections and returns promptly") {
    auto options = test_options();
    options.idle_timeout_ms = 30000;
    options.read_timeout_ms = 30000;
    auto ts = std::make_unique<TestServer>(options);
    auto idle = open_connections(ts->port, 10);
    for (auto& c : idle) {
        REQUIRE(c->send_all(kHealth));
        REQUIRE(status_of(c->read_until(kHealthEnd, 2s)) == 200);
    }
    // New connections whose head never completes.
    auto unfinished = open_connections(ts->port, 5);
    for (auto& c : unfinished) REQUIRE(c->send_all("GET /health HTTP/1.1\r\n"));
    REQUIRE(wait_for_active(*ts, 15));

    const auto start = std::chrono::steady_clock::now();
    ts->server.stop();
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    for (auto& c : idle) {
        c->read_until_close(2s);
        CHECK(c->peer_closed());
    }
    for (auto& c : unfinished) {
        c->read_until_close(2s);
        CHECK(c->peer_closed());
    }
    CHECK(active_connections(*ts) == 0);
}

TEST_CASE("with parking off, idle connections still make room for waiting ones") {
    auto options = test_options();
    options.park_idle_connections = false;
    options.worker_threads = 2;
    options.idle_timeout_ms = 10000;
    TestServer ts(options);
    auto a = client_for(ts.port);
    auto b = client_for(ts.port);
    REQUIRE(a.get("/health"));
    REQUIRE(b.get("/health"));
    auto c = client_for(ts.port);
    auto r = c.get("/health");
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    auto again = a.get("/health");
    REQUIRE(again.has_value());
    CHECK(again->status == 200);
}
