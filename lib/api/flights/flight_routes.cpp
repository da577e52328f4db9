#include "flightbook/api/flight_routes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "flightbook/domain/flight_json.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/search/query.hpp"

namespace flightbook::api {
namespace {

using http::JsonObject;
using http::JsonValue;
using http::parse_object;
using http::Request;
using http::Response;
using http::Server;

using flights::FlightService;
using flights::SeatChange;

Result<FlightId> parse_flight_id(std::string_view text) {
    std::int64_t v = 0;
    const auto* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end || v < 1) {
        return fail(ErrorCode::kInvalidArgument, "flight id must be a positive integer");
    }
    return FlightId{v};
}

// reservation_id may be sent as a string or, by older clients, a number.
Result<ReservationId> reservation_id_of(const JsonObject& body) {
    const JsonValue* v = body.find("reservation_id");
    if (v == nullptr || v->is_null()) {
        return fail(ErrorCode::kInvalidArgument, "field 'reservation_id' is required");
    }
    if (const auto* n = v->as_int64()) return ReservationId::parse(std::to_string(*n));
    if (const auto* s = v->as_string()) {
        auto id = ReservationId::parse(*s);
        if (!id) {
            return fail(ErrorCode::kInvalidArgument,
                        "field 'reservation_id' must be 1 to 64 characters of [A-Za-z0-9._:-]");
        }
        return id;
    }
    return fail(ErrorCode::kInvalidArgument, "field 'reservation_id' must be a string");
}

Result<UtcDate> date_field(const JsonObject& body) {
    auto text = body.get_string("date", 32);
    if (!text) return fail(std::move(text).error());
    auto date = parse_date(*text);
    if (!date) return fail(ErrorCode::kInvalidArgument, "field 'date' must be YYYY-MM-DD");
    return date;
}

// Seats are range-checked by core (rules::check_seats), which owns the rule
// and its wording; here only the type is checked.
Result<std::int32_t> seats_field(const JsonObject& body) {
    auto seats = body.get_int64("seats");
    if (!seats) return fail(std::move(seats).error());
    // Beyond int32 is out of every rule's range anyway; clamp, keep the sign.
    return static_cast<std::int32_t>(
        std::clamp<std::int64_t>(*seats, std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int32_t>::max()));
}

// The body of decrement/increment: {"flight_id","seats","date","reservation_id"}.
struct SeatRequest {
    ReservationId reservation;
    FlightId flight;
    std::int32_t seats = 0;
    std::optional<UtcDate> date;  // checked when present
};

Result<SeatRequest> parse_seat_request(std::string_view text, bool date_required) {
    auto body = parse_object(text);
    if (!body) return fail(std::move(body).error());
    auto rid = reservation_id_of(*body);
    if (!rid) return fail(std::move(rid).error());
    auto id = body->get_positive_int64("flight_id");
    if (!id) return fail(std::move(id).error());
    auto seats = seats_field(*body);
    if (!seats) return fail(std::move(seats).error());
    SeatRequest r{std::move(*rid), FlightId{*id}, *seats, std::nullopt};
    if (date_required || body->contains("date")) {
        auto date = date_field(*body);
        if (!date) return fail(std::move(date).error());
        r.date = *date;
    }
    return r;
}

// A seat operation's refusal gets its own machine code because callers act
// on it (offer another flight, start over) rather than retry.
Response seat_error(const Error& e, std::string_view precondition_code = "insufficient_seats") {
    if (e.code == ErrorCode::kFailedPrecondition) {
        return Response::error(409, precondition_code, e.message);
    }
    return Response::from_error(e);
}

std::string seat_change_json(const SeatChange& change, std::string_view message) {
    json::Writer w;
    const Reservation& r = change.reservation;
    w.begin_object()
        .key("success")
        .value(true)
        .key("message")
        .value(message)
        .key("reservation_id")
        .value(r.id.str())
        .key("status")
        .value(to_string(r.state))
        .key("applied")
        .value(r.applied)
        .key("expires_at")
        .value(format_rfc3339(r.expires_at));
    // Single-leg answers also carry the leg's fields at top level, as the
    // decrement/increment endpoints always did.
    if (r.legs.size() == 1) {
        w.key("flight_id").value(r.legs[0].flight_id.value()).key("seats").value(r.legs[0].seats);
        if (!change.counts.empty()) w.key("available_seats").value(change.counts[0].available);
    }
    w.key("legs").begin_array();
    for (std::size_t i = 0; i < r.legs.size(); ++i) {
        w.begin_object()
            .key("flight_id")
            .value(r.legs[i].flight_id.value())
            .key("seats")
            .value(r.legs[i].seats);
        if (i < change.counts.size()) {
            w.key("available_seats").value(change.counts[i].available);
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.take();
}

// Constant-time comparison so the token cannot be guessed byte by byte.
bool same_token(std::string_view a, std::string_view b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto ca = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
        const auto cb = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
        diff = static_cast<unsigned char>(diff | (ca ^ cb));
    }
    return diff == 0;
}

class FlightRoutes {
public:
    FlightRoutes(FlightService& service, FlightRoutesOptions options)
        : service_(service), options_(std::move(options)) {}

    Response search(const Request& req) const {
        auto query =
            search::parse_search_query([&](std::string_view name) { return req.query(name); });
        if (!query) return Response::from_error(query.error());
        auto answer = service_.search(*query);
        if (!answer) return Response::from_error(answer.error());
        return Response::json(200, answer->to_json());
    }

    Response get_flight(const Request& req) const {
        auto raw = req.path_param("id");
        if (!raw) raw = req.query("id");
        if (!raw) return Response::error(400, "invalid_argument", "flight id is required");
        auto id = parse_flight_id(*raw);
        if (!id) return Response::from_error(id.error());
        auto flight = service_.get_flight(*id);
        if (!flight) return Response::from_error(flight.error());
        json::Writer w;
        write_flight_json(w, *flight);
        return Response::json(200, w.take());
    }

    // SPEC §4: a well-formed body (an object with the three fields of the
    // right types) always gets 200; an unknown flight, a seat count outside
    // the rules or a date that is not the flight's is `valid: false`.
    Response validate(const Request& req) const {
        auto body = parse_object(req.body());
        if (!body) return Response::from_error(body.error());
        auto id = body->get_int64("flight_id");
        if (!id) return Response::from_error(id.error());
        auto seats = seats_field(*body);
        if (!seats) return Response::from_error(seats.error());
        auto date_text = body->get_string("date", 64);
        if (!date_text) return Response::from_error(date_text.error());
        Result<flights::Validation> v = flights::Validation{};
        if (auto date = parse_date(*date_text); !date) {
            v = flights::Validation{false, "date must be YYYY-MM-DD", Money{}, 0};
        } else if (*id < 1) {
            v = flights::Validation{false, fmt::format("flight {} not found", *id), Money{}, 0};
        } else {
            v = service_.validate(FlightId{*id}, *seats, *date);
        }
        if (!v) return Response::from_error(v.error());
        json::Writer w;
        w.begin_object()
            .key("valid")
            .value(v->valid)
            .key("message")
            .value(v->message)
            .key("price")
            .value(v->price)
            .key("available_seats")
            .value(v->available_seats)
            .end_object();
        return Response::json(200, w.take());
    }

    Response decrement(const Request& req) const {
        if (auto denied = authorize(req)) return *denied;
        auto r = parse_seat_request(req.body(), /*date_required=*/true);
        if (!r) return Response::from_error(r.error());
        auto change = service_.decrement(r->reservation, r->flight, r->seats, *r->date);
        if (!change) return seat_error(change.error());
        return Response::json(
            200, seat_change_json(
                     *change, change->reservation.applied ? "seats sold" : "already sold (retry)"));
    }

    Response increment(const Request& req) const {
        if (auto denied = authorize(req)) return *denied;
        auto r = parse_seat_request(req.body(), /*date_required=*/false);
        if (!r) return Response::from_error(r.error());
        auto change = service_.increment(r->reservation, r->flight, r->seats, r->date);
        if (!change) return seat_error(change.error());
        return Response::json(200, seat_change_json(*change, change->reservation.applied
                                                                 ? "seats given back"
                                                                 : "already given back (retry)"));
    }

    Response hold(const Request& req) const {
        if (auto denied = authorize(req)) return *denied;
        auto body = parse_object(req.body());
        if (!body) return Response::from_error(body.error());
        auto rid = reservation_id_of(*body);
        if (!rid) return Response::from_error(rid.error());
        const JsonValue* legs_value = body->find("legs");
        const JsonValue::Array* legs_array = legs_value ? legs_value->as_array() : nullptr;
        if (legs_array == nullptr || legs_array->empty() ||
            legs_array->size() > rules::kMaxReservationFlights) {
            return Response::error(400, "invalid_argument",
                                   fmt::format("field 'legs' must be an array of 1 to {} objects",
                                               rules::kMaxReservationFlights));
        }
        std::vector<SeatLeg> legs;
        for (const JsonValue& v : *legs_array) {
            const JsonObject* leg = v.as_object();
            if (leg == nullptr) {
                return Response::error(400, "invalid_argument",
                                       "each leg must be an object {\"flight_id\",\"seats\"}");
            }
            auto id = leg->get_positive_int64("flight_id");
            if (!id) return Response::from_error(id.error());
            auto seats = seats_field(*leg);
            if (!seats) return Response::from_error(seats.error());
            legs.push_back(SeatLeg{FlightId{*id}, *seats});
        }
        // Range checked by core (rules::check_hold_ttl); the default is asked
        // for by leaving the field out.
        auto ttl = body->get_optional_int64("ttl_seconds", std::numeric_limits<int>::min(),
                                            std::numeric_limits<int>::max());
        if (!ttl) return Response::from_error(ttl.error());
        std::optional<std::chrono::seconds> life;
        if (*ttl) life = std::chrono::seconds{**ttl};
        auto change = service_.hold(*rid, std::move(legs), life);
        if (!change) return seat_error(change.error());
        return Response::json(200, seat_change_json(*change, "seats held"));
    }

    Response confirm(const Request& req) const {
        return by_reservation(
            req, [&](const ReservationId& id) { return service_.confirm(id); }, "seats confirmed",
            "hold_not_active");
    }

    Response release(const Request& req) const {
        return by_reservation(
            req, [&](const ReservationId& id) { return service_.release(id); }, "seats released",
            "hold_not_active");
    }

    Response reservation(const Request& req) const {
        if (auto denied = authorize(req)) return *denied;
        auto id = ReservationId::parse(req.path_param("id").value_or(""));
        if (!id) return Response::from_error(id.error());
        auto change = service_.reservation(*id);
        if (!change) return Response::from_error(change.error());
        return Response::json(200, seat_change_json(*change, "reservation"));
    }

private:
    template <typename Op>
    Response by_reservation(const Request& req, Op op, std::string_view message,
                            std::string_view precondition_code) const {
        if (auto denied = authorize(req)) return *denied;
        auto body = parse_object(req.body());
        if (!body) return Response::from_error(body.error());
        auto rid = reservation_id_of(*body);
        if (!rid) return Response::from_error(rid.error());
        auto change = op(*rid);
        if (!change) return seat_error(change.error(), precondition_code);
        return Response::json(200, seat_change_json(*change, message));
    }

    // `X-Service-Token: <token>`, else `Authorization: Bearer <token>` (the
    // scheme is case-insensitive, RFC 7235 §2.1). A wrong X-Service-Token is
    // not rescued by a right bearer token.
    std::optional<Response> authorize(const Request& req) const {
        if (options_.service_token.empty()) return std::nullopt;
        std::string_view presented = req.header("X-Service-Token").value_or("");
        if (presented.empty()) {
            constexpr std::string_view kBearer = "Bearer ";
            std::string_view auth = req.header("Authorization").value_or("");
            if (auth.size() > kBearer.size() &&
                http::iequals(auth.substr(0, kBearer.size()), kBearer)) {
                presented = auth.substr(kBearer.size());
            }
        }
        if (!presented.empty() && same_token(presented, options_.service_token)) {
            return std::nullopt;
        }
        // RFC 7235 §3.1: a 401 names the scheme it wants.
        Response denied =
            Response::error(401, "unauthenticated", "a valid service token is required");
        denied.with_header("WWW-Authenticate", "Bearer");
        return denied;
    }

    FlightService& service_;
    FlightRoutesOptions options_;
};

}  // namespace

Status register_flight_routes(Server& server, flights::FlightService& service,
                              FlightRoutesOptions options) {
    auto routes = std::make_shared<const FlightRoutes>(service, std::move(options));
    auto bind = [routes](Response (FlightRoutes::*fn)(const Request&) const) {
        return [routes, fn](const Request& req) { return ((*routes).*fn)(req); };
    };
    FLIGHTBOOK_TRY_STATUS(server.get("/api/flights/search", bind(&FlightRoutes::search)));
    FLIGHTBOOK_TRY_STATUS(server.get("/api/flights/{id}", bind(&FlightRoutes::get_flight)));
    FLIGHTBOOK_TRY_STATUS(server.get("/api/flights", bind(&FlightRoutes::get_flight)));
    FLIGHTBOOK_TRY_STATUS(server.post("/api/flights/validate", bind(&FlightRoutes::validate)));
    FLIGHTBOOK_TRY_STATUS(
        server.post("/api/flights/seats/decrement", bind(&FlightRoutes::decrement)));
    FLIGHTBOOK_TRY_STATUS(
        server.post("/api/flights/seats/increment", bind(&FlightRoutes::increment)));
    FLIGHTBOOK_TRY_STATUS(server.post("/api/flights/seats/hold", bind(&FlightRoutes::hold)));
    FLIGHTBOOK_TRY_STATUS(server.post("/api/flights/seats/confirm", bind(&FlightRoutes::confirm)));
    FLIGHTBOOK_TRY_STATUS(server.post("/api/flights/seats/release", bind(&FlightRoutes::release)));
    FLIGHTBOOK_TRY_STATUS(
        server.get("/api/flights/seats/reservations/{id}", bind(&FlightRoutes::reservation)));
    return ok();
}

}  // namespace flightbook::api
