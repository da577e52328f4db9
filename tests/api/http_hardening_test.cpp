// Black-box tests of the hardening cpp-httplib 0.11 lacks: body limits,
// refused Transfer-Encoding/Content-Encoding bodies, malformed framing, slow
// clients and oversized heads. Raw sockets send what real clients would not.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "flightbook/http/json.hpp"
#include "http_test_server.hpp"

using namespace std::chrono_literals;
using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

namespace {

std::string error_code_in(std::string_view raw) {
    auto body = parse_object(body_of(raw));
    if (!body) return "<no JSON body: " + std::string(raw.substr(0, 200)) + ">";
    return body->get_string("error").value_or("<no error field>");
}

}  // namespace

TEST_CASE("a body over max_body_bytes is refused with 413 before it is read") {
    TestServer ts;  // max_body_bytes = 1024
    auto client = client_for(ts.port);
    const std::string big = R"({"seats":1,"pad":")" + std::string(2000, 'x') + "\"}";
    auto r = client.post("/api/items", big);
    REQUIRE(r.has_value());
    CHECK(r->status == 413);
    CHECK(parse_object(r->body)->get_string("error").value_or("") == "payload_too_large");

    // Only the head is sent: the answer comes without waiting for the body,
    // and the connection is closed since the body was never read.
    RawConnection raw(ts.port);
    REQUIRE(
        raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Type: "
                     "application/json\r\nContent-Length: 100000000\r\n\r\n"));
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) == 413);
    CHECK(error_code_in(answer) == "payload_too_large");
    CHECK(raw.peer_closed());

    // A body at the limit is accepted.
    std::string at_limit = R"({"seats":2,"pad":")";
    at_limit += std::string(1024 - at_limit.size() - 2, 'y') + "\"}";
    REQUIRE(at_limit.size() == 1024);
    auto ok = client.post("/api/items", at_limit);
    REQUIRE(ok.has_value());
    CHECK(ok->status == 200);
}

TEST_CASE("chunked request bodies are refused with 411 and not read") {
    TestServer ts;
    RawConnection raw(ts.port);
    REQUIRE(
        raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                     "Content-Type: application/json\r\n\r\n"
                     "c\r\n{\"seats\": 1}\r\n0\r\n\r\n"));
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) == 411);
    CHECK(error_code_in(answer) == "length_required");
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(raw.peer_closed());
    // Exactly one answer: the chunk bytes were not parsed as requests.
    CHECK(answer.find("HTTP/1.1", 1) == std::string::npos);
}

TEST_CASE("an endless chunked body cannot pin memory or a thread") {
    TestServer ts;
    RawConnection raw(ts.port);
    REQUIRE(
        raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int i = 0; i < 50; ++i) {
        if (!raw.send_all("400\r\n" + std::string(1024, 'a') + "\r\n")) break;
    }
    const auto answer = raw.read_until("\r\n\r\n", 3s);
    CHECK(status_of(answer) == 411);
    auto client = client_for(ts.port);
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
}

TEST_CASE("compressed request bodies are refused with 415") {
    TestServer ts;
    auto client = client_for(ts.port);
    auto r = client.post("/api/items", "\x1f\x8b\x08\x00", {{"Content-Encoding", "gzip"}});
    REQUIRE(r.has_value());
    CHECK(r->status == 415);
    CHECK(parse_object(r->body)->get_string("error").value_or("") == "unsupported_media_type");
    // identity is no encoding at all.
    auto plain = client.post("/api/items", R"({"seats":1})", {{"Content-Encoding", "identity"}});
    REQUIRE(plain.has_value());
    CHECK(plain->status == 200);
}

TEST_CASE("malformed framing is a JSON 400 and closes the connection") {
    TestServer ts;
    SUBCASE("two Content-Length headers") {
        RawConnection raw(ts.port);
        REQUIRE(
            raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Length: 12\r\n"
                         "Content-Length: 3\r\n\r\n{\"seats\": 1}"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 400);
        CHECK(error_code_in(answer) == "invalid_argument");
        CHECK(raw.peer_closed());
    }
    SUBCASE("non-numeric Content-Length") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Length: -5\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 400);
        CHECK(error_code_in(answer) == "invalid_argument");
    }
    SUBCASE("a GET with a body") {
        RawConnection raw(ts.port);
        REQUIRE(
            raw.send_all("GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: 26\r\n\r\n"
                         "GET /health HTTP/1.1\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 400);
        CHECK(answer.find("HTTP/1.1", 1) == std::string::npos);  // no smuggled 2nd answer
    }
    SUBCASE("garbage request line") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all("THIS IS NOT HTTP\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 400);
        CHECK(error_code_in(answer) == "invalid_argument");
        CHECK(raw.peer_closed());
    }
    SUBCASE("unsupported method") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all("TRACE /health HTTP/1.1\r\nHost: t\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 405);
        CHECK(error_code_in(answer) == "method_not_allowed");
    }
    auto client = client_for(ts.port);
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
}

TEST_CASE("POST without Content-Length means an empty body, answered at once") {
    TestServer ts;
    RawConnection raw(ts.port);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) == 400);                          // empty body is not a JSON object
    CHECK(std::chrono::steady_clock::now() - start < 800ms);  // not the read timeout
}

TEST_CASE("Expect: 100-continue with an oversized body gets 413 instead of 100") {
    TestServer ts;
    RawConnection raw(ts.port);
    REQUIRE(
        raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n"
                     "Expect: 100-continue\r\n\r\n"));
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) == 413);
    CHECK(answer.find("100 Continue") == std::string::npos);
}

TEST_CASE("oversized heads and very long paths are refused without harm") {
    TestServer ts;
    SUBCASE("too many header bytes") {
        RawConnection raw(ts.port);
        std::string head = "GET /health HTTP/1.1\r\nHost: t\r\n";
        for (int i = 0; i < 2000; ++i)
            head += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'f') + "\r\n";
        head += "\r\n";  // ~100 KiB > max_header_bytes (64 KiB), 2,001 fields > 100
        raw.send_all(head);
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 431);  // Request Header Fields Too Large
    }
    SUBCASE("a 6000-byte path is routed (404), not a crash") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all("GET /" + std::string(6000, 'a') +
                             " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 404);
        CHECK(error_code_in(answer) == "not_found");
    }
    SUBCASE("a request line over 8 KiB is 414") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all("GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n"));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 414);
        CHECK(error_code_in(answer) == "uri_too_long");
    }
    auto client = client_for(ts.port);
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
}

TEST_CASE("slow clients are cut off by the read timeout and do not block others") {
    TestServer ts;  // 8 workers, read_timeout_ms = 1000
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < 4; ++i) {
        slow.push_back(std::make_unique<RawConnection>(ts.port));
        REQUIRE(slow.back()->send_all("GET /health HTTP/1.1\r\nHost: t\r\n"));  // never ends
    }
    // Wait (bounded) until the server is serving all four: a polled
    // condition on its own connection gauge, not a sleep.
    const auto serving = [&] {
        return metric_value(ts.server.registry().render_prometheus(),
                            "flightbook_http_connections_active") >= 4;
    };
    for (int i = 0; i < 500 && !serving(); ++i) std::this_thread::sleep_for(2ms);
    REQUIRE(serving());

    auto client = client_for(ts.port);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        auto r = client.get("/api/items/" + std::to_string(i));
        REQUIRE(r.has_value());
        CHECK(r->status == 200);
    }
    CHECK(std::chrono::steady_clock::now() - start < 900ms);

    // A trickle of bytes does not extend the deadline of the request.
    RawConnection trickle(ts.port);
    REQUIRE(trickle.send_all("GET /health HTTP/1.1\r\n"));
    const auto trickle_start = std::chrono::steady_clock::now();
    for (int i = 0; i < 30; ++i) {
        if (!trickle.send_all("X-A: b\r\n")) break;
        std::this_thread::sleep_for(100ms);
        if (std::chrono::steady_clock::now() - trickle_start > 2500ms) break;
    }
    const auto trickle_answer = trickle.read_until_close(2s);
    CHECK(std::chrono::steady_clock::now() - trickle_start < 4s);
    CHECK(trickle.peer_closed());

    for (auto& c : slow) {
        c->read_until_close(2s);
        CHECK(c->peer_closed());
    }
}

TEST_CASE("idle keep-alive connections make room for waiting connections") {
    auto options = test_options();
    options.worker_threads = 2;
    options.idle_timeout_ms = 10000;
    TestServer ts(options);
    // Two clients keep a connection each: both workers are then idle-waiting.
    auto a = client_for(ts.port);
    auto b = client_for(ts.port);
    REQUIRE(a.get("/health"));
    REQUIRE(b.get("/health"));
    // A third client must not wait for the 10 s idle timeout.
    auto c = client_for(ts.port);
    const auto start = std::chrono::steady_clock::now();
    auto r = c.get("/health");
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    // The evicted clients reconnect transparently.
    auto again = a.get("/health");
    REQUIRE(again.has_value());
    CHECK(again->status == 200);
}
