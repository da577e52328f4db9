// Black-box tests of the server's lifecycle and load behaviour, and of the
// client's error mapping: graceful stop with requests in flight, many
// concurrent clients, refused connections and timeouts.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "http_test_server.hpp"

using namespace std::chrono_literals;
using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

TEST_CASE("stop() drains: requests in flight complete, then new connections are refused") {
    TestServer ts;
    ts.slow_ms = 400;
    constexpr int kInFlight = 4;
    std::atomic<int> ok_answers{0};
    std::vector<std::thread> callers;
    for (int i = 0; i < kInFlight; ++i) {
        callers.emplace_back([&] {
            auto client = client_for(ts.port);
            auto r = client.get("/api/slow");
            if (r && r->status == 200) ok_answers.fetch_add(1);
        });
    }
    for (int i = 0; i < 200 && ts.in_slow.load() < kInFlight; ++i) {
        std::this_thread::sleep_for(5ms);
    }
    REQUIRE(ts.in_slow.load() == kInFlight);

    const auto start = std::chrono::steady_clock::now();
    ts.server.stop();
    const auto took = std::chrono::steady_clock::now() - start;
    for (auto& t : callers) t.join();
    CHECK(ok_answers.load() == kInFlight);
    CHECK(took < 3s);

    auto client = client_for(ts.port);
    auto after = client.get("/health");
    REQUIRE_FALSE(after.has_value());
    CHECK(after.error().code == ErrorCode::kUnavailable);
    ts.server.stop();  // idempotent
}

TEST_CASE("stop() from another thread releases wait()") {
    TestServer ts;
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        ts.server.stop();
    });
    ts.server.wait();
    stopper.join();
    auto client = client_for(ts.port);
    CHECK_FALSE(client.get("/health").has_value());
}

TEST_CASE("idle keep-alive connections are closed by stop() without waiting for the timeout") {
    auto options = test_options();
    options.idle_timeout_ms = 30000;
    TestServer ts(options);
    auto client = client_for(ts.port);
    REQUIRE(client.get("/health"));  // leaves an idle keep-alive connection
    const auto start = std::chrono::steady_clock::now();
    ts.server.stop();
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("many concurrent clients are all served") {
    auto options = test_options();
    options.worker_threads = 8;
    TestServer ts(options);
    constexpr int kClients = 24;  // more clients than workers
    constexpr int kRequestsEach = 40;
    std::atomic<int> ok_answers{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
        threads.emplace_back([&, c] {
            auto client = client_for(ts.port);
            for (int i = 0; i < kRequestsEach; ++i) {
                auto r = client.get("/api/items/" + std::to_string(c * 1000 + i));
                if (r && r->status == 200) {
                    ok_answers.fetch_add(1);
                } else {
                    failures.fetch_add(1);
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures.load() == 0);
    CHECK(ok_answers.load() == kClients * kRequestsEach);
    auto client = client_for(ts.port);
    auto m = client.get("/metrics");
    REQUIRE(m.has_value());
    CHECK(
        m->body.find(
            R"(flightbook_http_requests_total{route="/api/items/{id}",method="GET",status="200"} 960)") !=
        std::string::npos);
}

TEST_CASE("client: refused connection is kUnavailable, a slow answer kDeadlineExceeded") {
    int free_port = 0;
    {
        TestServer ts;
        free_port = ts.port;
    }
    auto refused = client_for(free_port).get("/health");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kUnavailable);

    TestServer ts;
    ts.slow_ms = 1500;
    auto client = client_for(ts.port, 300);
    auto slow = client.get("/api/slow");
    REQUIRE_FALSE(slow.has_value());
    CHECK(slow.error().code == ErrorCode::kDeadlineExceeded);
}

TEST_CASE("client: answers above max_response_bytes are refused") {
    TestServer ts;
    ClientOptions options;
    options.base_url = "http://127.0.0.1:" + std::to_string(ts.port);
    options.max_response_bytes = 16;
    auto client = Client::create(options);
    REQUIRE(client.has_value());
    auto r = client->get("/metrics");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kResourceExhausted);
}

TEST_CASE("client: bad base URLs are kInvalidArgument") {
    for (const char* url : {"", "127.0.0.1:80", "ftp://x", "http://", "http://h/path"}) {
        ClientOptions options;
        options.base_url = url;
        auto c = Client::create(options);
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error().code == ErrorCode::kInvalidArgument);
    }
}

TEST_CASE("client: default headers are sent with every request") {
    auto sink = std::make_shared<CapturingSink>();
    Server server(test_options(), nullptr, sink);
    REQUIRE(server
                .get("/whoami",
                     [](const Request& req) {
                         return Response::json(
                             200, std::string("\"") +
                                      std::string(req.header("x-service-token").value_or("")) +
                                      "\"");
                     })
                .has_value());
    auto port = server.start();
    REQUIRE(port.has_value());
    ClientOptions options;
    options.base_url = "http://127.0.0.1:" + std::to_string(*port);
    options.default_headers = {{"X-Service-Token", "t0k"}};
    auto client = Client::create(options);
    REQUIRE(client.has_value());
    auto r = client->get("/whoami");
    REQUIRE(r.has_value());
    CHECK(r->body == "\"t0k\"\n");
}
