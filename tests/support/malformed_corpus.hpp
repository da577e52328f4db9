#pragma once
// A corpus of hostile HTTP requests for the three services, built
// systematically from the routes of docs/openapi.json (issue 12, third
// bullet): wrong methods on every path, bad path ids, bad query strings,
// bad JSON of every kind and wrong field values for every body endpoint,
// framing the server refuses (chunked, compressed, oversize), hostile heads
// (thousands of fields, long lines, broken syntax) and bad identity headers
// (X-User-Id, Idempotency-Key, service tokens). Each request is a string of
// raw bytes, sent as is over a plain socket so that no client library
// normalizes it. Nothing here may succeed: every request is malformed or
// refused before any side effect, so the databases must not change.
//
// Here: the request type, the raw-bytes builder and the lists shared by every
// endpoint. malformed_corpus_values.hpp holds wrong values per kind of field,
// malformed_corpus_endpoints.hpp the endpoints and their headers,
// malformed_corpus_requests.hpp assembles one service's corpus, and
// malformed_corpus_files.hpp reads the hand-written requests
// (tests/corpus/malformed/).

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flightbook::testing::corpus {

/// What a request must get back.
enum class Expect {
    kClientError,        ///< a 4xx with a JSON error body
    kValidFalse,         ///< 200 {"valid":false,...}: validate's answer to a well-formed body
    kClientErrorOrValid  ///< either (numbers whose JSON type is debatable, e.g. 1e400)
};

/// One hostile request: raw bytes and what it tries (for failure messages).
struct MalformedRequest {
    std::string label;
    std::string bytes;
    Expect expect = Expect::kClientError;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// A request head and body as bytes. `Host` and `Connection: close` come
/// first, then `headers`; with a body, `Content-Type: application/json` and
/// a correct `Content-Length` unless `headers` already frame it.
inline std::string raw_request(std::string_view method, std::string_view target,
                               const Headers& headers = {}, std::string_view body = {},
                               bool frame_body = true) {
    std::string out =
        fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n", method, target);
    bool has_type = false;
    for (const auto& [name, value] : headers) {
        out += name + ": " + value + "\r\n";
        has_type = has_type || name == "Content-Type";
    }
    if (frame_body && (!body.empty() || method == "POST" || method == "PUT")) {
        if (!has_type) out += "Content-Type: application/json\r\n";
        out += fmt::format("Content-Length: {}\r\n", body.size());
    }
    out += "\r\n";
    out += body;
    return out;
}

/// Bodies that are not JSON, or not a JSON object, or break a limit of the
/// parser (depth, UTF-8, numbers). Never blank and never `{}`: the simulate
/// endpoints answer those (nothing recorded), so they are not malformed there.
inline std::vector<std::pair<std::string, std::string>> bad_json_bodies() {
    std::vector<std::pair<std::string, std::string>> b = {
        {"lone brace", "{"},
        {"closing brace", "}"},
        {"array", "[]"},
        {"array of object", R"([{"seats":1}])"},
        {"null", "null"},
        {"true", "true"},
        {"number", "42"},
        {"string", R"("seats")"},
        {"missing value", R"({"seats":})"},
        {"missing colon", R"({"seats" 1})"},
        {"single quotes", "{'seats':1}"},
        {"bare key", "{seats:1}"},
        {"trailing comma", R"({"seats":1,})"},
        {"leading comma", R"({,"seats":1})"},
        {"double comma", R"({"seats":1,,"date":"x"})"},
        {"unterminated string", R"({"date":"2024-02-15)"},
        {"unterminated object", R"({"seats":1)"},
        {"unterminated nested", R"({"legs":[{"flight_id":1)"},
        {"wrong nesting", R"({"seats":[1}])"},
        {"wrong closer", R"({"seats":1])"},
        {"trailing garbage", R"({"seats":1} x)"},
        {"two objects", R"({"seats":1}{"seats":2})"},
        {"trailing NUL", std::string("{\"seats\":1}\0", 12)},
        {"NUL inside string", std::string("{\"date\":\"2024\0-02-15\"}", 22)},
        {"NUL between tokens", std::string("{\"seats\":\0 1}", 13)},
        {"raw control char in string", "{\"date\":\"2024\x01-02-15\"}"},
        {"raw newline in string", "{\"date\":\"2024\n-02-15\"}"},
        {"bad escape", R"({"date":"\x41"})"},
        {"short unicode escape", R"({"date":"\u12"})"},
        {"lone surrogate escape", R"({"date":"\ud800"})"},
        {"invalid UTF-8 in string", "{\"date\":\"\xff\xfe\"}"},
        {"invalid UTF-8 in key", "{\"\xc3\x28\":1}"},
        {"overlong UTF-8", "{\"date\":\"\xc0\xaf\"}"},
        {"UTF-16 surrogate in UTF-8", "{\"date\":\"\xed\xa0\x80\"}"},
        {"truncated UTF-8", "{\"date\":\"\xe2\x82\"}"},
        {"byte order mark", "\xef\xbb\xbf{\"seats\":1"},
        {"comment", R"({/* c */"seats":1})"},
        {"line comment", "{\"seats\":1 // c\n}"},
        {"NaN", R"({"seats":NaN})"},
        {"Infinity", R"({"seats":-Infinity})"},
        {"hex number", R"({"seats":0x10})"},
        {"leading zeros", R"({"seats":007})"},
        {"leading plus", R"({"seats":+1})"},
        {"bare minus", R"({"seats":-})"},
        {"dot only", R"({"seats":.5})"},
        {"exponent only", R"({"seats":1e})"},
        {"huge exponent", R"({"seats":1e999999999999})"},
        {"thousand-digit number", "{\"seats\":" + std::string(1000, '9') + "}"},
        {"capitalised literal", R"({"seats":True})"},
        {"duplicate key", R"({"seats":1,"seats":2})"},
        {"duplicate key, other case kept", R"({"date":"a","date":"b"})"},
        {"whitespace only in key", R"({" ":1 "seats":1})"},
        {"empty key and junk", R"({"":})"},
        {"deep arrays", std::string(10000, '[') + std::string(10000, ']')},
        {"deep objects",
         [] {
             std::string s;
             for (int i = 0; i < 5000; ++i) s += "{\"a\":";
             s += "1";
             s += std::string(5000, '}');
             return s;
         }()},
        {"deep value under a field",
         "{\"seats\":" + std::string(200, '[') + "1" + std::string(200, ']') + "}"},
        {"unbalanced deep", std::string(100000, '[')},
        {"form encoded", "seats=1&date=2024-02-15"},
        {"XML", "<booking><seats>1</seats></booking>"},
        {"bare whitespace then garbage", " \t\r\n x"},
        {"just NUL", std::string(1, '\0')},
        {"binary", std::string("\x00\x01\x02\xff\xfe\x80\x7f", 7)},
    };
    return b;
}

/// Methods tried on every path where the description does not declare them
/// (HEAD is left out: GET routes answer it, and a 405 to HEAD has no body).
inline const std::vector<std::string>& all_methods() {
    static const std::vector<std::string> m = {"GET",     "POST",  "PUT",      "DELETE",
                                               "PATCH",   "TRACE", "PROPFIND", "FOO",
                                               "OPTIONS", "MKCOL", "BREW"};
    return m;
}

/// Path segments that are not an id of anything, for `{param}` slots.
inline std::vector<std::string> bad_path_ids() {
    return {"0",
            "-1",
            "-0",
            "abc",
            "1.5",
            "1e3",
            "+1",
            "0x1",
            "1a",
            "%20",
            "%201",
            "1%00",
            "%00",
            "1%0d%0a",
            "%ff%fe",
            "%e2%80%8b1",
            "%2e%2e",
            "..%2f..%2fetc%2fpasswd",
            "9223372036854775808",
            "99999999999999999999999999",
            "-9223372036854775809",
            "1;DROP%20TABLE%20bookings",
            "'%20OR%20'1'='1",
            "%7B%7D",
            "null",
            "undefined",
            "NaN",
            "%EF%BC%91",  // fullwidth digit one
            std::string(3000, '7'),
            std::string(200, 'x')};
}

/// Query-string values that are none of an id, a count or a page bound.
inline std::vector<std::string> bad_numbers() {
    return {"",   "abc", "-1",  "0x10", "1.5", "1e2", "%00", "99999999999999999999",
            "+1", "1a",  "%20", "NaN",  "-0.0"};
}

}  // namespace flightbook::testing::corpus
