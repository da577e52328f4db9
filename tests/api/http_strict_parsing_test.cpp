// Black-box tests of strict request-head parsing (RFC 9112 §2.2, §3, §5,
// RFC 9110 §5.5): heads that cpp-httplib 0.11 would silently repair or
// accept are refused with 400 or 431 and the connection is closed, on the
// first request of a connection and on any later keep-alive or pipelined one.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "flightbook/http/json.hpp"
#include "http_test_server.hpp"

using namespace std::chrono_literals;
using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

namespace {

constexpr std::string_view kRequestLine = "GET /api/items/7 HTTP/1.1\r\n";

std::string head_with(std::string_view fields) {
    return std::string(kRequestLine) + "Host: t\r\n" + std::string(fields) + "\r\n";
}

std::string error_code_in(std::string_view raw) {
    auto body = parse_object(body_of(raw));
    if (!body) return "<no JSON body: " + std::string(raw.substr(0, 200)) + ">";
    return body->get_string("error").value_or("<no error field>");
}

int count_answers(std::string_view raw) {
    int n = 0;
    for (auto at = raw.find("HTTP/1.1 "); at != std::string_view::npos;
         at = raw.find("HTTP/1.1 ", at + 1)) {
        ++n;
    }
    return n;
}

/// Sends `request` on a new connection and expects one refusal with
/// `status`/`code`, a JSON body ending in a newline, and the connection
/// closed by the server.
void expect_refused(int port, std::string_view request, int status, std::string_view code) {
    RawConnection raw(port);
    REQUIRE(raw.connected());
    raw.send_all(request);  // may fail part-way once the server has refused
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) == status);
    CHECK(error_code_in(answer) == code);
    CHECK(body_of(answer).ends_with("}\n"));
    CHECK(answer.find("Connection: close\r\n") != std::string::npos);
    CHECK(answer.find("X-Request-Id: ") != std::string::npos);
    CHECK(count_answers(answer) == 1);
    CHECK(raw.peer_closed());
}

void expect_served(int port) {
    auto client = client_for(port);
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
}

}  // namespace

TEST_CASE("strict head: hostile header fields are refused, the server keeps serving") {
    TestServer ts;
    SUBCASE("5,000 header fields → 431") {
        std::string fields;
        for (int i = 0; i < 5000; ++i) fields += "X-H-" + std::to_string(i) + ": v\r\n";
        expect_refused(ts.port, head_with(fields), 431, "header_fields_too_large");
    }
    SUBCASE("5,000 tiny header fields (under the byte limit) → 431") {
        std::string fields;
        for (int i = 0; i < 5000; ++i) fields += "a:b\r\n";
        REQUIRE(fields.size() < ts.server.options().max_header_bytes);
        expect_refused(ts.port, head_with(fields), 431, "header_fields_too_large");
    }
    SUBCASE("a header line without a colon → 400") {
        expect_refused(ts.port, head_with("NoColonHere\r\n"), 400, "invalid_argument");
    }
    SUBCASE("whitespace between a field name and the colon → 400") {
        expect_refused(ts.port, std::string(kRequestLine) + "Host : x\r\n\r\n", 400,
                       "invalid_argument");
        expect_refused(ts.port, head_with("Content-Length\t: 0\r\n"), 400, "invalid_argument");
    }
    SUBCASE("obs-fold continuation line → 400") {
        expect_refused(ts.port, head_with("X-A: one\r\n two\r\n"), 400, "invalid_argument");
        expect_refused(ts.port, head_with("X-A: one\r\n\ttwo: three\r\n"), 400, "invalid_argument");
    }
    SUBCASE("NUL in a field value → 400") {
        expect_refused(ts.port, head_with(std::string("X-A: a\0b\r\n", 10)), 400,
                       "invalid_argument");
    }
    SUBCASE("bare CR in a field value → 400") {
        expect_refused(ts.port, head_with("X-A: a\rb\r\n"), 400, "invalid_argument");
    }
    SUBCASE("bare LF ending a field line → 400") {
        expect_refused(ts.port, head_with("X-A: a\nX-B: c\r\n"), 400, "invalid_argument");
    }
    SUBCASE("non-ASCII field name → 400") {
        expect_refused(ts.port, head_with("X-\xc3\xa9: a\r\n"), 400, "invalid_argument");
    }
    SUBCASE("empty field name → 400") {
        expect_refused(ts.port, head_with(": value\r\n"), 400, "invalid_argument");
    }
    SUBCASE("empty Content-Length → 400") {
        expect_refused(ts.port, "POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Length:\r\n\r\n",
                       400, "invalid_argument");
    }
    SUBCASE("malformed request line → 400") {
        expect_refused(ts.port, "GET  /api/items/7 HTTP/1.1\r\nHost: t\r\n\r\n", 400,
                       "invalid_argument");
        expect_refused(ts.port, "GET /api/items/7 HTTP/1.1\nHost: t\r\n\r\n", 400,
                       "invalid_argument");
    }
    expect_served(ts.port);
}

TEST_CASE("strict head: well-formed heads are served") {
    TestServer ts;
    SUBCASE("50 header fields → 200") {
        std::string fields;
        for (int i = 0; i < 50; ++i) fields += "X-Field-" + std::to_string(i) + ": value\r\n";
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all(head_with(fields + "Connection: close\r\n")));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 200);
        CHECK(body_of(answer) == "{\"id\":\"7\"}\n");
    }
    SUBCASE("HTAB, obs-text and trailing whitespace in values, an empty value → 200") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all(
            head_with("X-Tab: a\tb\r\nX-Obs: caf\xc3\xa9\r\nX-Empty:\r\nX-Trail: v \t\r\n"
                      "Connection: close\r\n")));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 200);
    }
    SUBCASE("exactly max_header_count fields → 200, one more → 431") {
        const auto limit = ts.server.options().max_header_count;
        std::string fields = "Connection: close\r\n";  // + Host = 2
        for (std::size_t i = 2; i < limit; ++i) fields += "X-F" + std::to_string(i) + ": v\r\n";
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all(head_with(fields)));
        CHECK(status_of(raw.read_until_close(3s)) == 200);
        expect_refused(ts.port, head_with(fields + "X-One-More: v\r\n"), 431,
                       "header_fields_too_large");
    }
    SUBCASE("a body after a valid head is read as the body, not checked as a head") {
        RawConnection raw(ts.port);
        const std::string body = "{\"seats\": 2}";
        REQUIRE(
            raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                         "Content-Length: " +
                         std::to_string(body.size()) + "\r\n\r\n" + body));
        const auto answer = raw.read_until_close(3s);
        CHECK(status_of(answer) == 200);
        CHECK(body_of(answer) == "{\"seats\":2}\n");
    }
}

TEST_CASE("strict head: max_header_bytes bounds the whole head → 431") {
    auto options = test_options();
    options.max_header_bytes = 2048;
    TestServer ts(options);
    std::string fields;
    for (int i = 0; i < 10; ++i)
        fields += "X-Pad-" + std::to_string(i) + ": " + std::string(300, 'p') + "\r\n";
    expect_refused(ts.port, head_with(fields), 431, "header_fields_too_large");
    // A header field line over 8 KiB is 431 whatever max_header_bytes is.
    auto wide = test_options();
    wide.max_header_bytes = 1 << 20;
    TestServer big(wide);
    expect_refused(big.port, head_with("X-Long: " + std::string(9000, 'l') + "\r\n"), 431,
                   "header_fields_too_large");
    expect_served(ts.port);
    expect_served(big.port);
}

TEST_CASE("strict head: later requests on a keep-alive connection are checked too") {
    TestServer ts;
    SUBCASE("one after the other") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all(head_with("")));
        const auto first = raw.read_until("{\"id\":\"7\"}\n", 3s);
        CHECK(status_of(first) == 200);
        CHECK_FALSE(raw.peer_closed());
        REQUIRE(raw.send_all(head_with("Host : evil\r\n")));
        const auto second = raw.read_until_close(3s);
        CHECK(status_of(second) == 400);
        CHECK(error_code_in(second) == "invalid_argument");
        CHECK(count_answers(second) == 1);
        CHECK(raw.peer_closed());
    }
    SUBCASE("pipelined in one write") {
        RawConnection raw(ts.port);
        REQUIRE(raw.send_all(head_with("") + head_with("X-A: one\r\n two\r\n") + head_with("")));
        const auto answers = raw.read_until_close(3s);
        CHECK(status_of(answers) == 200);
        const auto second = answers.find("HTTP/1.1 ", 1);
        REQUIRE(second != std::string::npos);
        CHECK(status_of(std::string_view(answers).substr(second)) == 400);
        CHECK(count_answers(answers) == 2);  // nothing after the refused head is served
        CHECK(raw.peer_closed());
    }
    SUBCASE("after a POST body") {
        RawConnection raw(ts.port);
        const std::string body = "{\"seats\": 1}";
        REQUIRE(raw.send_all("POST /api/items HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body +
                             head_with(std::string("X-A: a\0b\r\n", 10))));
        const auto answers = raw.read_until_close(3s);
        CHECK(status_of(answers) == 200);
        CHECK(count_answers(answers) == 2);
        const auto second = answers.find("HTTP/1.1 ", 1);
        REQUIRE(second != std::string::npos);
        CHECK(status_of(std::string_view(answers).substr(second)) == 400);
    }
    expect_served(ts.port);
}

TEST_CASE("strict head: refusals are counted and logged under route 'rejected'") {
    TestServer ts;
    expect_refused(ts.port, head_with("NoColonHere\r\n"), 400, "invalid_argument");
    std::string fields;
    for (int i = 0; i < 200; ++i) fields += "a:b\r\n";
    expect_refused(ts.port, head_with(fields), 431, "header_fields_too_large");
    const auto text = ts.server.registry().render_prometheus();
    CHECK(metric_value(
              text,
              R"(flightbook_http_requests_total{route="rejected",method="GET",status="400"})") ==
          1);
    CHECK(metric_value(
              text,
              R"(flightbook_http_requests_total{route="rejected",method="GET",status="431"})") ==
          1);
    bool logged = false;
    for (const auto& line : ts.sink->lines()) {
        if (line.find("\"event\":\"request\"") != std::string::npos &&
            line.find("\"status\":431") != std::string::npos &&
            line.find("\"route\":\"rejected\"") != std::string::npos) {
            logged = true;
        }
    }
    CHECK(logged);
}

TEST_CASE("strict head: a head cut short by the read timeout is not served") {
    TestServer ts;  // read_timeout_ms = 1000
    RawConnection raw(ts.port);
    REQUIRE(raw.send_all(std::string(kRequestLine) + "Host: t\r\nX-A: b"));
    const auto answer = raw.read_until_close(3s);
    CHECK(status_of(answer) != 200);
    CHECK(raw.peer_closed());
    expect_served(ts.port);
}
