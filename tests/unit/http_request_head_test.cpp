// The strict request-head check (lib/http/detail/request_head.hpp) on its
// own: which heads pass, which are refused and with which status, and that
// feeding the bytes in pieces gives the same verdict as feeding them at once.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "http/detail/request_head.hpp"
#ifdef FLIGHTBOOK_HAVE_APP_SUPPORT
#include "flightbook/app/service_config.hpp"
#endif

using flightbook::http::detail::check_request_head;
using flightbook::http::detail::HeadLimits;
using flightbook::http::detail::HeadScanner;
using flightbook::http::detail::HeadVerdict;

namespace {

constexpr std::string_view kLine = "GET /api/items/7?x=1 HTTP/1.1\r\n";

std::string head_with(std::string_view fields) {
    return std::string(kLine) + "Host: t\r\n" + std::string(fields) + "\r\n";
}

int status_of(std::string_view head, HeadLimits limits = {}) {
    const auto v = check_request_head(head, limits);
    if (v.complete()) return 200;
    if (v.incomplete()) return 0;
    return v.status;
}

}  // namespace

TEST_CASE("request head: well-formed heads pass and end after the blank line") {
    const std::string head =
        head_with("Accept: */*\r\nX-Tab: a\tb\r\nX-Empty:\r\nX-Obs: caf\xc3\xa9\r\n");
    HeadScanner scanner(HeadLimits{});
    const auto v = scanner.feed(head + "{\"body\":1}");
    REQUIRE(v.complete());
    CHECK(scanner.consumed() == head.size());  // the body is not looked at
    CHECK(scanner.fields() == 5);

    CHECK(status_of("GET / HTTP/1.0\r\n\r\n") == 200);
    CHECK(status_of("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n") == 200);
    CHECK(status_of(head_with("x-a:b\r\nX-B:\tc\r\n")) == 200);
    CHECK(status_of(head_with("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n")) == 200);
    CHECK(status_of(head_with("X-Trailing-Space: v \t \r\n")) == 200);
}

TEST_CASE("request head: an unfinished head is incomplete, not refused") {
    const std::string head = head_with("Accept: */*\r\n");
    for (std::size_t n = 0; n < head.size(); ++n) {
        CAPTURE(n);
        CHECK(check_request_head(std::string_view(head).substr(0, n), {}).incomplete());
    }
}

TEST_CASE("request head: malformed field lines are 400") {
    struct Case {
        const char* what;
        std::string fields;
    };
    const Case cases[] = {
        {"line without a colon", "NoColonHere\r\n"},
        {"space before the colon", "X-A : b\r\n"},
        {"tab before the colon", "X-A\t: b\r\n"},
        {"obs-fold with a space", "X-A: one\r\n two\r\n"},
        {"obs-fold with a tab", "X-A: one\r\n\ttwo: three\r\n"},
        {"NUL in a value", std::string("X-A: a\0b\r\n", 10)},
        {"bare CR in a value", "X-A: a\rb\r\n"},
        {"bare LF ending a line", "X-A: a\nX-B: c\r\n"},
        {"other control in a value",
         "X-A: a\x01"
         "b\r\n"},
        {"DEL in a value",
         "X-A: a\x7f"
         "b\r\n"},
        {"non-ASCII name", "X-\xc3\xa9: a\r\n"},
        {"control in a name",
         "X\x01"
         "A: a\r\n"},
        {"separator in a name", "X(A): a\r\n"},
        {"empty name", ": value\r\n"},
        {"empty Content-Length", "Content-Length:\r\n"},
        {"blank Transfer-Encoding", "transfer-encoding:  \r\n"},
        {"bare CR before the end", "X-A: b\r\n\rX"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.what);
        const std::string head = std::string(kLine) + "Host: t\r\n" + c.fields + "\r\n";
        const auto v = check_request_head(head, {});
        CHECK(v.rejected());
        CHECK(v.status == 400);
        CHECK_FALSE(v.reason.empty());
    }
}

TEST_CASE("request head: malformed request lines are 400") {
    for (const std::string_view line :
         {"GET  / HTTP/1.1\r\n", "GET / HTTP/1.1 \r\n", " GET / HTTP/1.1\r\n",
          "GET /\tx HTTP/1.1\r\n", "GET / HTTP/1.1\n", "GET / HTTP/1.1\rX", "GET / HTTP/11\r\n",
          "GET / http/1.1\r\n", "GET / HTTP/1.1x\r\n", "GE(T / HTTP/1.1\r\n", "GET HTTP/1.1\r\n",
          "\r\n"}) {
        CAPTURE(line);
        const auto v = check_request_head(std::string(line) + "Host: t\r\n\r\n", {});
        CHECK(v.rejected());
        CHECK(v.status == 400);
    }
}

TEST_CASE("request head: limits give 431 (fields) and 414 (request line)") {
    HeadLimits limits;
    limits.max_fields = 3;
    CHECK(status_of(head_with("A: 1\r\nB: 2\r\n"), limits) == 200);  // Host + 2
    CHECK(status_of(head_with("A: 1\r\nB: 2\r\nC: 3\r\n"), limits) == 431);

    limits = HeadLimits{};
    limits.max_bytes = 100;
    const std::string at_limit =
        head_with("X: " + std::string(100 - kLine.size() - 9 - 7, 'v') + "\r\n");
    REQUIRE(at_limit.size() == 100);
    CHECK(status_of(at_limit, limits) == 200);
    CHECK(status_of(head_with("X: " + std::string(100, 'v') + "\r\n"), limits) == 431);

    // One field line, CRLF included, of 8192 bytes passes; 8193 is 431.
    const std::string longest = "X: " + std::string(8192 - 5, 'v') + "\r\n";
    CHECK(status_of(head_with(longest)) == 200);
    CHECK(status_of(head_with("X: " + std::string(8192 - 4, 'v') + "\r\n")) == 431);

    // A request line of 8192 bytes passes; 8193 is 414.
    const std::string path(8192 - 16, 'a');  // "GET /" + path + " HTTP/1.1\r\n"
    CHECK(status_of("GET /" + path + " HTTP/1.1\r\n\r\n") == 200);
    CHECK(status_of("GET /" + path + "a HTTP/1.1\r\n\r\n") == 414);

    // Refused as soon as the limit is passed, before the head ends.
    std::string many = std::string(kLine);
    for (int i = 0; i < 5000; ++i) many += "a:b\r\n";
    const auto v = check_request_head(many, {});
    CHECK(v.rejected());
    CHECK(v.status == 431);
}

TEST_CASE("request head: feeding in pieces gives the same verdict as at once") {
    const std::string heads[] = {
        head_with("Accept: */*\r\nX-A: b\r\n"),
        head_with("X-A : b\r\n"),
        head_with("X-A: one\r\n two\r\n"),
        head_with(std::string("X-A: a\0b\r\n", 10)),
        head_with("X-A: a\rb\r\n"),
        head_with("Content-Length:  \r\n"),
        head_with("X: " + std::string(8192 - 5, 'v') + "\r\n"),  // longest field line
        head_with("X: " + std::string(8192 - 4, 'v') + "\r\n"),  // one byte too long
        "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n",
    };
    for (const auto& head : heads) {
        const auto whole = check_request_head(head, {});
        for (const std::size_t piece :
             {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{4096}}) {
            HeadScanner scanner(HeadLimits{});
            HeadVerdict v;
            for (std::size_t at = 0; at < head.size() && v.incomplete(); at += piece) {
                v = scanner.feed(std::string_view(head).substr(at, piece));
            }
            CHECK(v.kind == whole.kind);
            CHECK(v.status == whole.status);
            CHECK(v.reason == whole.reason);
        }
    }
}

#ifdef FLIGHTBOOK_HAVE_APP_SUPPORT
TEST_CASE("service config: header limits are settings") {
    using flightbook::app::Config;
    Config c;
    flightbook::app::define_server_settings(c, 8080);
    REQUIRE(c.load({"--max-header-count", "20"},
                   [](std::string_view name) -> std::optional<std::string> {
                       if (name == "FLIGHTBOOK_MAX_HEADER_BYTES") return "16384";
                       return std::nullopt;
                   })
                .has_value());
    auto o = flightbook::app::server_options(c, "x");
    REQUIRE(o.has_value());
    CHECK(o->max_header_count == 20);
    CHECK(o->max_header_bytes == 16384);

    Config d;
    flightbook::app::define_server_settings(d, 8080);
    REQUIRE(d.load({"--max-header-count", "0"}, [](std::string_view) {
                 return std::optional<std::string>();
             }).has_value());
    CHECK_FALSE(flightbook::app::server_options(d, "x").has_value());
}
#endif
