// The JSON request bodies of every POST endpoint of the three services.
// The first input byte picks the endpoint ('0' validate, '1' decrement,
// '2' increment, '3' hold, '4' confirm/release, '5' bookings, '6' and '7'
// payments process/simulate), the rest is the body. Each
// endpoint's body is read as its route does (lib/api/*/…_routes.cpp keep
// their readers private, so the field reads are repeated here, call for
// call, over the same public codec: http::parse_object, the JsonObject
// accessors, ReservationId::parse, parse_payment_type, rules::check_seats).
// Properties:
//   * any body: a parsed document written back by write_json parses again to
//     an equal document, and writing that again is a fixed point;
//   * every refusal is kInvalidArgument with a message naming the field
//     ("field 'seats' …"), i.e. a clear 400, never anything else;
//   * every accepted value is inside its documented range.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "flightbook/http/json.hpp"
#include "flightbook/payment/payment.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/seats/reservation.hpp"
#include "flightbook/time.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;
using http::JsonObject;
using http::JsonValue;

namespace {

constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();

// Equal as JSON documents: an integer and a double of the same value are
// the same number (the writer prints 7.0 as 7, which reads back as an integer).
bool same_json(const JsonValue& a, const JsonValue& b) {
    auto number = [](const JsonValue& v, double& out) {
        if (const auto* n = v.as_int64()) {
            out = static_cast<double>(*n);
            return true;
        }
        if (const auto* d = v.as_double()) {
            out = std::isfinite(*d) ? *d : 0.0;  // written as null; see below
            return std::isfinite(*d);
        }
        return false;
    };
    double x = 0;
    double y = 0;
    if (number(a, x) && number(b, y)) return x == y;
    if (a.type() != b.type()) return false;
    if (const auto* s = a.as_string()) return *s == *b.as_string();
    if (const auto* t = a.as_bool()) return *t == *b.as_bool();
    if (const auto* arr = a.as_array()) {
        const auto& other = *b.as_array();
        if (arr->size() != other.size()) return false;
        for (std::size_t i = 0; i < arr->size(); ++i) {
            if (!same_json((*arr)[i], other[i])) return false;
        }
        return true;
    }
    if (const auto* obj = a.as_object()) {
        const auto& other = b.as_object()->members();
        if (obj->members().size() != other.size()) return false;
        for (std::size_t i = 0; i < other.size(); ++i) {
            if (obj->members()[i].first != other[i].first) return false;
            if (!same_json(obj->members()[i].second, other[i].second)) return false;
        }
        return true;
    }
    return a.is_null() && b.is_null();
}

std::string written(const JsonValue& v) {
    json::Writer w;
    http::write_json(w, v);
    return w.take();
}

void check_document(std::string_view body) {
    auto doc = http::parse_json(body);
    if (!doc) {
        FUZZ_CHECK(doc.error().code == ErrorCode::kInvalidArgument && !doc.error().message.empty());
        FUZZ_CHECK(!http::parse_object(body).has_value());
        return;
    }
    FUZZ_CHECK(http::parse_object(body).has_value() == (doc->as_object() != nullptr));
    const std::string once = written(*doc);
    auto again = http::parse_json(once);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(same_json(*doc, *again));
    // The second writing is a fixed point. Not the first: -0.0 (e.g. from
    // -26E-22222) is written "-0", which reads back as the integer 0.
    const std::string twice = written(*again);
    auto third = http::parse_json(twice);
    FUZZ_CHECK(third.has_value() && written(*third) == twice);
}

// A refusal must be a 400 that names what was wrong.
template <typename T>
bool refused_naming(const Result<T>& r, std::string_view field) {
    if (r) return false;
    FUZZ_CHECK(r.error().code == ErrorCode::kInvalidArgument);
    FUZZ_CHECK(r.error().message.find(field) != std::string::npos);
    return true;
}

// Each reader returns at the first refusal, as the routes do.

// flight_routes.cpp reservation_id_of: a string, or a number from old clients.
bool reservation_id(const JsonObject& body) {
    const JsonValue* v = body.find("reservation_id");
    if (v == nullptr || v->is_null()) return false;
    Result<ReservationId> id = fail(ErrorCode::kInvalidArgument, "reservation_id");
    if (const auto* n = v->as_int64()) id = ReservationId::parse(std::to_string(*n));
    if (const auto* s = v->as_string()) id = ReservationId::parse(*s);
    if (refused_naming(id, "reservation_id")) return false;
    FUZZ_CHECK(!id->str().empty() && id->str().size() <= 64);
    return true;
}

bool seats(const JsonObject& body) {
    auto n = body.get_int64("seats");
    if (refused_naming(n, "'seats'")) return false;
    // The routes clamp to int32 and leave the range to core's rule.
    const auto clamped = static_cast<std::int32_t>(std::clamp<std::int64_t>(
        *n, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
    const bool in_rules = rules::check_seats(clamped).has_value();
    FUZZ_CHECK(in_rules == (*n >= rules::kMinSeatsPerRequest && *n <= rules::kMaxSeatsPerRequest));
    return true;
}

bool positive(const JsonObject& body, std::string_view field) {
    auto n = body.get_positive_int64(field);
    if (refused_naming(n, field)) return false;
    FUZZ_CHECK(*n >= 1);
    return true;
}

bool date(const JsonObject& body, std::size_t max_length) {
    auto text = body.get_string("date", max_length);
    if (refused_naming(text, "'date'")) return false;
    FUZZ_CHECK(text->size() <= max_length);
    if (auto d = parse_date(*text)) FUZZ_CHECK(format_date(*d) == *text);
    return true;
}

bool payment_type(const JsonObject& body) {
    auto text = body.get_optional_string("payment_type", 64);
    if (refused_naming(text, "'payment_type'")) return false;
    if (*text) {
        auto type = payment::parse_payment_type(**text);
        if (type) FUZZ_CHECK(payment::to_string(*type) == **text);
    }
    return true;
}

// POST /api/flights/validate {"flight_id","seats","date"}
void validate_body(const JsonObject& b) {
    if (!refused_naming(b.get_int64("flight_id"), "'flight_id'") && seats(b)) date(b, 64);
}

// POST /api/flights/seats/decrement and /increment
void seat_change_body(const JsonObject& b, bool date_required) {
    if (!reservation_id(b) || !positive(b, "flight_id") || !seats(b)) return;
    if (date_required || b.contains("date")) date(b, 32);
}

// POST /api/flights/seats/hold {"reservation_id","legs":[{"flight_id","seats"}],"ttl_seconds"?}
void hold_body(const JsonObject& b) {
    if (!reservation_id(b)) return;
    const JsonValue* legs = b.find("legs");
    const JsonValue::Array* items = legs ? legs->as_array() : nullptr;
    if (items == nullptr || items->empty() || items->size() > rules::kMaxReservationFlights) return;
    for (const JsonValue& v : *items) {
        const JsonObject* leg = v.as_object();
        if (leg == nullptr || !positive(*leg, "flight_id") || !seats(*leg)) return;
    }
    auto ttl = b.get_optional_int64("ttl_seconds", std::numeric_limits<int>::min(),
                                    std::numeric_limits<int>::max());
    if (refused_naming(ttl, "'ttl_seconds'")) return;
    if (*ttl) {
        FUZZ_CHECK(**ttl >= std::numeric_limits<int>::min() &&
                   **ttl <= std::numeric_limits<int>::max());
        const bool in_rules = rules::check_hold_ttl(std::chrono::seconds{**ttl}).has_value();
        FUZZ_CHECK(in_rules == (std::chrono::seconds{**ttl} >= rules::kMinHoldTtl &&
                                std::chrono::seconds{**ttl} <= rules::kMaxHoldTtl));
    }
}

// POST /api/bookings {"user_id","flight_id"|"flight_ids","seats","date","payment_type"?}
void booking_body(const JsonObject& b) {
    if (!positive(b, "user_id")) return;
    const JsonValue* many = b.find("flight_ids");
    if (many != nullptr && !many->is_null()) {
        auto ids = b.get_array_int64("flight_ids", 1, kI64Max);
        if (refused_naming(ids, "'flight_ids")) return;  // also names flight_ids[i]
        FUZZ_CHECK(!ids->empty() && ids->size() <= 100);
        for (std::int64_t id : *ids) FUZZ_CHECK(id >= 1);
    }
    const JsonValue* one = b.find("flight_id");
    if (one != nullptr && !one->is_null() && !positive(b, "flight_id")) return;
    if (!refused_naming(b.get_int64("seats"), "'seats'") && date(b, 32)) payment_type(b);
}

// POST /api/payments/process and /simulate/* {"booking_id","user_id","amount","payment_type"?}
void payment_body(const JsonObject& b) {
    if (!positive(b, "booking_id") || !positive(b, "user_id")) return;
    auto amount = b.get_money("amount");
    if (refused_naming(amount, "'amount'")) return;
    FUZZ_CHECK(amount->cents() >= 0);
    auto again = Money::parse(amount->to_string());
    FUZZ_CHECK(again.has_value() && *again == *amount);
    payment_type(b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view body = fuzz::as_text(data + 1, size - 1);
    check_document(body);
    auto object = http::parse_object(body);
    if (!object) return 0;
    // '0'..'7' (mod 8) name the endpoints, so that seeds stay readable.
    switch (data[0] % 8) {
        case 0: validate_body(*object); break;
        case 1: seat_change_body(*object, /*date_required=*/true); break;
        case 2: seat_change_body(*object, /*date_required=*/false); break;
        case 3: hold_body(*object); break;
        case 4: reservation_id(*object); break;  // confirm, release
        case 5: booking_body(*object); break;
        default: payment_body(*object); break;  // process, simulate/*
    }
    return 0;
}
