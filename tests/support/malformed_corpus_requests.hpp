#pragma once
// Builds the whole generated malformed corpus of one service from the
// routes of docs/openapi.json and the endpoint descriptions of
// malformed_corpus_endpoints.hpp (the pieces are described there and in
// malformed_corpus.hpp). The suite that includes this defines
// FLIGHTBOOK_DOCS_DIR (tests/CMakeLists.txt).

#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "malformed_corpus.hpp"
#include "malformed_corpus_endpoints.hpp"
#include "openapi.hpp"

namespace flightbook::testing::corpus {

/// A (METHOD, path template) of docs/openapi.json.
struct Route {
    std::string method;
    std::string path;
};

/// The operations of `service` in docs/openapi.json (`x-service` is the
/// service or `all`).
inline std::vector<Route> documented_routes(std::string_view service) {
    using namespace openapi_detail;
    std::vector<Route> out;
    const auto& doc = openapi_document();
    if (!doc) return out;
    for (const auto& [path, item] : members_of(member(&*doc, "paths"))) {
        for (const auto& [method, op] : members_of(&item)) {
            const std::string owner = text(member(&op, "x-service"));
            if (owner != service && owner != "all") continue;
            out.push_back({ascii_case(method, ::toupper), path});
        }
    }
    return out;
}

/// `path` with every `{param}` replaced by `id`.
inline std::string with_ids(std::string_view path, std::string_view id) {
    std::string out;
    for (std::string_view seg : openapi_detail::segments(path)) {
        out += "/";
        out += openapi_detail::is_param(seg) ? std::string(id) : std::string(seg);
    }
    return out;
}

/// Headers a service needs to reach a route's parsing at all.
inline Headers route_headers(std::string_view service, std::string_view path,
                             std::string_view token) {
    if (service == "flight-service" && path.starts_with("/api/flights/seats")) {
        return {{"X-Service-Token", std::string(token)}};
    }
    if (service == "booking-service" && path.starts_with("/api/bookings")) {
        return {{"X-User-Id", "42"}};
    }
    return {};
}

class CorpusBuilder {
public:
    CorpusBuilder(std::string_view service, std::string_view token)
        : service_(service), token_(token) {}

    std::vector<MalformedRequest> build() {
        methods_and_paths();
        queries();
        bodies();
        framing_and_heads();
        return std::move(out_);
    }

private:
    void add(std::string label, std::string bytes, Expect expect = Expect::kClientError) {
        out_.push_back({std::move(label), std::move(bytes), expect});
    }

    // Wrong methods on every documented path, bad ids in every path slot,
    // paths that exist nowhere.
    void methods_and_paths() {
        const auto routes = documented_routes(service_);
        std::set<std::string> paths;
        for (const Route& r : routes) paths.insert(r.path);
        for (const std::string& path : paths) {
            std::set<std::string> allowed;
            for (const Route& r : routes) {
                if (r.path == path) allowed.insert(r.method);
            }
            const std::string concrete = with_ids(path, "1");
            const Headers h = route_headers(service_, path, token_);
            for (const std::string& m : all_methods()) {
                if (allowed.contains(m)) continue;
                add(fmt::format("{} {} (not allowed)", m, concrete), raw_request(m, concrete, h));
            }
            if (path.find('{') == std::string::npos) continue;
            for (const Route& r : routes) {
                if (r.path != path) continue;
                for (const std::string& id : bad_path_ids()) {
                    const std::string target = with_ids(path, id);
                    add(fmt::format("{} {} (bad path id)", r.method, target.substr(0, 80)),
                        raw_request(r.method, target, h, r.method == "GET" ? "" : "{}"));
                }
            }
        }
        for (const char* target :
             {"/api", "/api/", "/api/flightz", "/API/FLIGHTS/1", "/api/flights/1/2/3",
              "/api/bookings/1/cancel/now", "/api/payments/x/refund/y", "/%2e%2e/etc/passwd",
              "/api/../../etc/passwd", "/api/flights/%00", "/.env", "/metrics/x",
              "/health/..%2f..%2fmetrics", "/api/flights/1%2fcancel"}) {
            add(fmt::format("GET {} (unknown path)", target), raw_request("GET", target));
        }
        add("GET with an 8,100-byte path", raw_request("GET", "/" + std::string(8100, 'a')));
        add("GET with a 9,000-byte URL (414)",
            raw_request("GET", "/api/flights/search?source=" + std::string(9000, 'D')));
    }

    void queries() {
        for (const QueryEndpoint& q : query_endpoints(service_)) {
            const auto target = [&](std::string_view replace, std::string_view value,
                                    std::string_view omit) {
                std::string query;
                bool replaced = false;
                for (const auto& [name, v] : q.valid) {
                    if (name == omit) continue;
                    const bool hit = name == replace;
                    replaced = replaced || hit;
                    query += fmt::format("{}{}={}", query.empty() ? "" : "&", name,
                                         hit ? std::string(value) : v);
                }
                if (!replace.empty() && !replaced) {
                    query += fmt::format("{}{}={}", query.empty() ? "" : "&", replace, value);
                }
                return query.empty() ? q.path : q.path + "?" + query;
            };
            for (const auto& [name, values] : q.bad) {
                for (const std::string& v : values) {
                    const std::string t = target(name, v, "");
                    add(fmt::format("GET {} ({}={})", q.path, name, v.substr(0, 40)),
                        raw_request("GET", t, q.headers));
                }
            }
            for (const std::string& name : q.required) {
                add(fmt::format("GET {} without {}", q.path, name),
                    raw_request("GET", target("", "", name), q.headers));
            }
        }
    }

    void bodies() {
        const auto bad_json = bad_json_bodies();
        for (const BodyEndpoint& e : body_endpoints(service_, token_)) {
            const auto expect_for = [&](Wrong w) {
                if (!e.validate_semantics) return Expect::kClientError;
                if (w == Wrong::kType) return Expect::kClientError;
                return w == Wrong::kValue ? Expect::kValidFalse : Expect::kClientErrorOrValid;
            };
            const auto post = [&](std::string_view body, const Headers& h) {
                return raw_request("POST", e.path, h, body);
            };
            for (const auto& [what, body] : bad_json) {
                add(fmt::format("POST {} bad JSON: {}", e.path, what), post(body, e.headers));
            }
            if (!e.path.starts_with("/api/payments/simulate")) {
                add(fmt::format("POST {} empty body", e.path), post("", e.headers));
                add(fmt::format("POST {} {{}}", e.path), post("{}", e.headers));
            }
            for (const Field& f : e.fields) {
                for (const BadValue& b : f.bad) {
                    add(fmt::format("POST {} {}={}", e.path, f.name, b.json.substr(0, 40)),
                        post(object_of(e.fields, {{f.name, b.json}}), e.headers),
                        expect_for(b.wrong));
                }
                if (f.required) {
                    add(fmt::format("POST {} without {}", e.path, f.name),
                        post(object_of(e.fields, {}, f.name), e.headers));
                }
                add(fmt::format("POST {} {} given twice", e.path, f.name),
                    post(object_of(e.fields, {}, {}, fmt::format("\"{}\":{}", f.name, f.good)),
                         e.headers));
            }
            const Expect refused =
                e.validate_semantics ? Expect::kValidFalse : Expect::kClientError;
            std::string many_fields;
            for (int i = 0; i < 2000; ++i)
                many_fields += fmt::format("{}\"x{}\":{}", i ? "," : "", i, i);
            for (const auto& [what, extra] : std::vector<std::pair<std::string, std::string>>{
                     {"an unknown field", R"("unknown":1)"},
                     {"__proto__", R"("__proto__":{"admin":true})"},
                     {"a field differing in case", R"("Seats":2)"},
                     {"a NUL in a key", R"("seats\u0000":2)"},
                     {"2,000 unknown fields", many_fields}}) {
                add(fmt::format("POST {} refused body with {}", e.path, what),
                    post(object_of(e.fields, e.refused, {}, extra), e.headers), refused);
            }
            // Oversize: the refused body padded past the 1 MiB limit (413).
            const std::string pad =
                fmt::format("\"pad\":\"{}\"", std::string(std::size_t{1} << 20, 'p'));
            add(fmt::format("POST {} body over 1 MiB", e.path),
                post(object_of(e.fields, e.refused, {}, pad), e.headers));
            // validate needs no token: a token attack there would be served.
            const bool guarded = service_ != "flight-service" || !e.headers.empty();
            for (const auto& [what, headers] : identity_attacks(service_, token_)) {
                if (!guarded) break;
                add(fmt::format("POST {} {}", e.path, what), post(object_of(e.fields, {}), headers),
                    Expect::kClientError);
            }
            if (service_ == "booking-service") {
                for (const auto& [what, h] : std::vector<std::pair<std::string, Headers>>{
                         {"an empty Idempotency-Key", {{"Idempotency-Key", ""}}},
                         {"an empty X-User-Id", {{"X-User-Id", ""}}}}) {
                    add(fmt::format("POST {} refused body with {}", e.path, what),
                        post(object_of(e.fields, e.refused), h));
                }
            }
            framing(e);
        }
    }

    // Bodies the server must refuse before reading them (docs/http.md).
    void framing(const BodyEndpoint& e) {
        const std::string body = object_of(e.fields, e.refused);
        Headers h = e.headers;
        h.push_back({"Content-Type", "application/json"});
        const auto with = [&](Headers extra) {
            Headers all = h;
            all.insert(all.end(), extra.begin(), extra.end());
            return all;
        };
        const std::string chunked = fmt::format("{:x}\r\n{}\r\n0\r\n\r\n", body.size(), body);
        add("chunked body " + e.path,
            raw_request("POST", e.path, with({{"Transfer-Encoding", "chunked"}}), chunked, false));
        add("chunked, gzip body " + e.path,
            raw_request("POST", e.path, with({{"Transfer-Encoding", "gzip, chunked"}}), chunked,
                        false));
        add("chunked and Content-Length " + e.path,
            raw_request("POST", e.path,
                        with({{"Transfer-Encoding", "chunked"},
                              {"Content-Length", std::to_string(chunked.size())}}),
                        chunked, false));
        // A gzip member header and garbage: refused before inflating.
        const std::string gz("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 18);
        for (const char* coding : {"gzip", "deflate", "br", "x-gzip", "identity, gzip"}) {
            add(fmt::format("Content-Encoding {} {}", coding, e.path),
                raw_request("POST", e.path,
                            with({{"Content-Encoding", coding},
                                  {"Content-Length", std::to_string(gz.size())}}),
                            gz, false));
        }
        for (const char* length :
             {"-1", "abc", "1e3", "0x10", "99999999999999999999", "4, 4", "2097152"}) {
            add(fmt::format("Content-Length {} {}", length, e.path),
                raw_request("POST", e.path, with({{"Content-Length", length}}), "", false));
        }
        add("two Content-Length " + e.path,
            raw_request("POST", e.path,
                        with({{"Content-Length", std::to_string(body.size())},
                              {"Content-Length", std::to_string(body.size())}}),
                        body, false));
        add("Expect: 100-continue over the limit " + e.path,
            raw_request("POST", e.path,
                        with({{"Expect", "100-continue"}, {"Content-Length", "5000000"}}), "",
                        false));
    }

    // Hostile heads, sent to a route that exists.
    void framing_and_heads() {
        const std::string path = "/health";
        const auto fields = [](int n, std::string_view value) {
            Headers h;
            for (int i = 0; i < n; ++i) h.push_back({fmt::format("X-H-{}", i), std::string(value)});
            return h;
        };
        add("5,000 header fields", raw_request("GET", path, fields(5000, "v")));
        add("101 header fields", raw_request("GET", path, fields(101, "v")));
        add("70 KiB of headers", raw_request("GET", path, fields(70, std::string(1000, 'v'))));
        add("a 9,000-byte header value",
            raw_request("GET", path, {{"X-Long", std::string(9000, 'v')}}));
        std::string tiny;
        for (int i = 0; i < 5000; ++i) tiny += "a:b\r\n";
        const std::string line = "GET " + path + " HTTP/1.1\r\nHost: x\r\n";
        for (const auto& [what, head] : std::vector<std::pair<std::string, std::string>>{
                 {"5,000 tiny fields", line + tiny + "\r\n"},
                 {"field without a colon", line + "NoColonHere\r\n\r\n"},
                 {"space before the colon", line + "X-User-Id : 42\r\n\r\n"},
                 {"obs-fold", line + "X-A: one\r\n two\r\n\r\n"},
                 {"NUL in a value", line + std::string("X-A: a\0b\r\n\r\n", 12)},
                 {"bare CR in a value", line + "X-A: a\rb\r\n\r\n"},
                 {"bare LF line end", line + "X-A: a\nX-B: b\r\n\r\n"},
                 {"non-ASCII field name", line + "X-\xc3\xa9: a\r\n\r\n"},
                 {"empty field name", line + ": v\r\n\r\n"},
                 {"empty Content-Length",
                  "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"},
                 {"double space in request line", "GET  " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"lower-case version", "GET " + path + " http/1.1\r\nHost: x\r\n\r\n"},
                 {"HTTP/2.0 version", "GET " + path + " HTTP/2.0\r\nHost: x\r\n\r\n"},
                 {"HTTP/1.2 version", "GET " + path + " HTTP/1.2\r\nHost: x\r\n\r\n"},
                 {"HTTP/0.9 style", "GET " + path + "\r\n\r\n"},
                 {"tab separators", "GET\t" + path + "\tHTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"control byte in target", "GET /hea\x01lth HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"DEL in target", "GET /hea\x7flth HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"lower-case method", "get " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"method with a separator", "G(T " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"GET with a body",
                  "GET " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"},
                 {"request line over 8 KiB",
                  "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                 {"binary garbage",
                  std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)},
                 {"TLS-looking junk line", "\x16\x03\x01 / HTTP/1.1\r\n\r\n"}}) {
            add("head: " + what, head);
        }
    }

    std::string service_;
    std::string token_;
    std::vector<MalformedRequest> out_;
};

/// The generated corpus of one service ("flight-service", "booking-service",
/// "payment-service"); `token` is the flight service's service token.
inline std::vector<MalformedRequest> malformed_corpus(std::string_view service,
                                                      std::string_view token) {
    return CorpusBuilder(service, token).build();
}

}  // namespace flightbook::testing::corpus
