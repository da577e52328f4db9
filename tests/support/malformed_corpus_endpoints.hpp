#pragma once
// The per-endpoint part of the malformed corpus (malformed_corpus.hpp): for
// every endpoint with a JSON body, its fields with wrong values of every
// kind; for the GET endpoints, bad query parameters; and the identity
// headers each service reads (service token, X-User-Id, Idempotency-Key).
//
// Each endpoint has a *valid* body (never sent as is: it would succeed) and a
// *refused* body (well-formed, but refused before any side effect: an
// unknown flight, the wrong date, a zero amount). A mutation that makes the
// request malformed by itself (a wrong value, a bad identity header) is
// applied to the valid body, so the mutation alone must get it refused; one
// that a service may accept (an unknown field) to the refused body.

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "malformed_corpus.hpp"
#include "malformed_corpus_values.hpp"

namespace flightbook::testing::corpus {

struct Field {
    std::string name;
    std::string good;  ///< JSON literal of the valid body
    bool required = true;
    std::vector<BadValue> bad;
};

struct BodyEndpoint {
    std::string path;
    Headers headers;            ///< sent with every request of the endpoint
    std::vector<Field> fields;  ///< the valid body, in order
    std::vector<std::pair<std::string, std::string>> refused;  ///< overrides of the valid body
    bool validate_semantics = false;  ///< POST /api/flights/validate (SPEC §4)
};

/// `{"a":1,...}` from the fields, with `overrides` replacing values and
/// `omit` left out.
inline std::string object_of(const std::vector<Field>& fields,
                             const std::vector<std::pair<std::string, std::string>>& overrides,
                             std::string_view omit = {}, std::string_view extra = {}) {
    std::string out = "{";
    for (const Field& f : fields) {
        if (f.name == omit) continue;
        std::string value = f.good;
        for (const auto& [name, v] : overrides) {
            if (name == f.name) value = v;
        }
        if (out.size() > 1) out += ",";
        out += fmt::format("\"{}\":{}", f.name, value);
    }
    if (!extra.empty()) out += std::string(out.size() > 1 ? "," : "") + std::string(extra);
    return out + "}";
}

/// Every body endpoint of `service`; `token` is the service token the
/// flight service was started with (so that its bodies are parsed at all).
inline std::vector<BodyEndpoint> body_endpoints(std::string_view service, std::string_view token) {
    const Field flight{"flight_id", "1", true, bad_ids()};
    const Field seats{"seats", "2", true, bad_seats()};
    const Field reservation{"reservation_id", R"("corpus-r1")", true, bad_reservation_ids()};
    std::vector<BodyEndpoint> out;
    if (service == "flight-service") {
        const Headers auth = {{"X-Service-Token", std::string(token)}};
        out.push_back({"/api/flights/validate",
                       {},
                       {flight, seats, {"date", R"("2024-02-15")", true, bad_dates(64)}},
                       {{"flight_id", "999"}, {"seats", "1000"}},
                       true});
        for (const char* op : {"decrement", "increment"}) {
            const bool decrement = std::string_view(op) == "decrement";
            out.push_back({fmt::format("/api/flights/seats/{}", op),
                           auth,
                           {flight,
                            seats,
                            {"date", R"("2024-02-15")", decrement, bad_dates(32)},
                            reservation},
                           {{"flight_id", "999999"}}});
        }
        out.push_back({"/api/flights/seats/hold",
                       auth,
                       {reservation,
                        {"legs", R"([{"flight_id":1,"seats":2}])", true, bad_legs()},
                        {"ttl_seconds", "60", false, bad_ttls()}},
                       {{"legs", R"([{"flight_id":999999,"seats":2}])"}}});
        for (const char* op : {"confirm", "release"}) {
            out.push_back({fmt::format("/api/flights/seats/{}", op), auth, {reservation}, {}});
        }
    } else if (service == "booking-service") {
        const Headers user = {{"X-User-Id", "42"}};
        const Field user_id{"user_id", "42", true, bad_ids()};
        const Field date{"date", R"("2024-02-15")", true, bad_dates(32)};
        const Field type{"payment_type", R"("upi")", false, bad_payment_types()};
        out.push_back({"/api/bookings",
                       user,
                       {user_id, flight, seats, date, type},
                       {{"date", R"("2024-02-16")"}}});
        out.push_back(
            {"/api/bookings",
             user,
             {user_id, {"flight_ids", "[8,9]", true, bad_flight_id_lists()}, seats, date, type},
             {{"date", R"("2024-02-16")"}}});
    } else if (service == "payment-service") {
        for (const char* path :
             {"/api/payments/process", "/api/payments/simulate/success",
              "/api/payments/simulate/failure", "/api/payments/simulate/timeout"}) {
            out.push_back({path,
                           {},
                           {{"booking_id", "1", true, bad_ids()},
                            {"user_id", "42", true, bad_ids()},
                            {"amount", "100.00", true, bad_amounts()},
                            {"payment_type", R"("upi")", false, bad_payment_types()}},
                           {{"amount", "0"}}});
        }
    }
    return out;
}

/// Header variants that must be refused on a body endpoint's *valid* body:
/// the identity of the caller is missing, wrong or ambiguous.
inline std::vector<std::pair<std::string, Headers>> identity_attacks(std::string_view service,
                                                                     std::string_view token) {
    const std::string t(token);
    std::vector<std::pair<std::string, Headers>> v;
    if (service == "flight-service") {
        v = {{"no service token", {}},
             {"wrong token", {{"X-Service-Token", "wrong"}}},
             {"token prefix", {{"X-Service-Token", t.substr(0, t.size() - 1)}}},
             {"token with suffix", {{"X-Service-Token", t + "x"}}},
             {"token upper-cased", {{"X-Service-Token", "SYSTEM-TEST-TOKEN"}}},
             {"token percent-encoded NUL", {{"X-Service-Token", t + "%00"}}},
             {"huge token", {{"X-Service-Token", std::string(8000, 't')}}},
             {"wrong bearer", {{"Authorization", "Bearer wrong"}}},
             {"bearer without token", {{"Authorization", "Bearer"}}},
             {"bearer with two spaces", {{"Authorization", "Bearer  " + t}}},
             {"basic scheme", {{"Authorization", "Basic " + t}}},
             {"token as a different scheme", {{"Authorization", t}}},
             {"wrong X-Service-Token beside a right bearer",
              {{"X-Service-Token", "wrong"}, {"Authorization", "Bearer " + t}}},
             {"repeated X-Service-Token, wrong first",
              {{"X-Service-Token", "wrong"}, {"X-Service-Token", t}}},
             {"repeated Authorization, right first",
              {{"Authorization", "Bearer " + t}, {"Authorization", "Bearer wrong"}}}};
    } else if (service == "booking-service") {
        v = {{"X-User-Id of another user", {{"X-User-Id", "43"}}},
             {"X-User-Id not a number", {{"X-User-Id", "abc"}}},
             {"X-User-Id zero", {{"X-User-Id", "0"}}},
             {"X-User-Id negative", {{"X-User-Id", "-42"}}},
             {"X-User-Id with junk", {{"X-User-Id", "42abc"}}},
             {"X-User-Id with inner space", {{"X-User-Id", "4 2"}}},
             {"X-User-Id as a decimal", {{"X-User-Id", "42.0"}}},
             {"X-User-Id in hex", {{"X-User-Id", "0x2a"}}},
             {"X-User-Id beyond int64", {{"X-User-Id", "99999999999999999999"}}},
             {"X-User-Id percent-encoded NUL", {{"X-User-Id", "42%00"}}},
             {"X-User-Id of 8000 digits", {{"X-User-Id", std::string(8000, '4')}}},
             {"repeated X-User-Id", {{"X-User-Id", "42"}, {"X-User-Id", "43"}}},
             {"Idempotency-Key over 128 bytes",
              {{"X-User-Id", "42"}, {"Idempotency-Key", std::string(129, 'k')}}},
             {"Idempotency-Key of 8000 bytes",
              {{"X-User-Id", "42"}, {"Idempotency-Key", std::string(8000, 'k')}}},
             {"Idempotency-Key with obs-text",
              {{"X-User-Id", "42"}, {"Idempotency-Key", "caf\xc3\xa9"}}},
             {"Idempotency-Key percent-encoded NUL",
              {{"X-User-Id", "42"}, {"Idempotency-Key", "key%00"}}},
             {"Idempotency-Key with a tab inside",
              {{"X-User-Id", "42"}, {"Idempotency-Key", "a\tb"}}},
             {"repeated Idempotency-Key",
              {{"X-User-Id", "42"}, {"Idempotency-Key", "k1"}, {"Idempotency-Key", "k2"}}}};
    } else if (service == "payment-service") {
        v = {{"Idempotency-Key over 128 bytes", {{"Idempotency-Key", std::string(129, 'k')}}},
             {"Idempotency-Key of 8000 bytes", {{"Idempotency-Key", std::string(8000, 'k')}}},
             {"Idempotency-Key with obs-text", {{"Idempotency-Key", "caf\xc3\xa9"}}},
             {"Idempotency-Key percent-encoded NUL", {{"Idempotency-Key", "key%00"}}},
             {"Idempotency-Key with a tab inside", {{"Idempotency-Key", "a\tb"}}},
             {"repeated Idempotency-Key", {{"Idempotency-Key", "k1"}, {"Idempotency-Key", "k2"}}}};
    }
    return v;
}

/// A GET endpoint with query parameters: a valid set and, per parameter,
/// values that make it malformed.
struct QueryEndpoint {
    std::string path;
    Headers headers;
    std::vector<std::pair<std::string, std::string>> valid;  ///< name, value
    std::vector<std::pair<std::string, std::vector<std::string>>> bad;
    std::vector<std::string> required;  ///< removing one of these is malformed
};

inline std::vector<QueryEndpoint> query_endpoints(std::string_view service) {
    const std::vector<std::string> codes = {"",
                                            "DE",
                                            "DELH",
                                            "D1L",
                                            "%00EL",
                                            "DE%0A",
                                            "D%20L",
                                            "%C3%89LD",
                                            "DEL%2CBOM",
                                            "*",
                                            "D_L",
                                            "%25%25%25",
                                            std::string(5000, 'D')};
    const std::vector<std::string> dates = {
        "",           "2024-02-30",     "2024-13-01",           "2024-2-15",
        "15-02-2024", "2024%2F02%2F15", "2024-02-15T00:00:00Z", "today",
        "%00",        "2024-02-15%00",  std::string(3000, '2')};
    std::vector<std::string> counts = bad_numbers();
    counts.insert(counts.end(), {"0", "101", "1000"});
    std::vector<std::string> optional_counts = bad_numbers();
    optional_counts.erase(optional_counts.begin());  // "" means "the default" there
    std::vector<QueryEndpoint> out;
    if (service == "flight-service") {
        out.push_back(
            {"/api/flights/search",
             {},
             {{"source", "DEL"}, {"destination", "BOM"}, {"date", "2024-02-15"}, {"seats", "2"}},
             {{"source", codes},
              {"destination", codes},
              {"date", dates},
              {"seats", counts},
              {"sort_by", {"price", "cheapest%00", "1", "CHEAPEST%20"}},
              {"max_stops", {"-1", "4", "x", "1.5", "99999999999999999999"}},
              {"limit", {"0", "101", "-1", "x", "99999999999999999999"}},
              {"offset", {"-1", "1000", "981", "x", "99999999999999999999"}}},
             {"source", "destination", "date", "seats"}});
        out.push_back({"/api/flights", {}, {}, {{"id", bad_path_ids()}}, {}});
    } else if (service == "booking-service") {
        out.push_back({"/api/bookings",
                       {{"X-User-Id", "42"}},
                       {},
                       {{"user_id", optional_counts},
                        {"limit", optional_counts},
                        {"offset", optional_counts},
                        {"id", bad_path_ids()}},
                       {}});
    } else if (service == "payment-service") {
        // Any positive booking id is well-formed (an empty list), so only non-ids.
        out.push_back({"/api/payments",
                       {},
                       {},
                       {{"booking_id", bad_numbers()}, {"id", bad_path_ids()}},
                       {"booking_id"}});
    }
    return out;
}

}  // namespace flightbook::testing::corpus
