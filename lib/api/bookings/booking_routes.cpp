#include "flightbook/api/booking_routes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "booking_json.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::api {
namespace {

using booking::BookingService;
using booking::CreateAnswer;
using booking::CreateOutcome;
using http::JsonObject;
using http::Request;
using http::Response;

std::optional<std::int64_t> parse_int(std::string_view text) {
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end) return std::nullopt;
    return v;
}

Result<std::int64_t> positive_id(std::string_view text, std::string_view what) {
    auto v = parse_int(text);
    if (!v || *v < 1) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be a positive integer", what));
    }
    return *v;
}

// The caller as set by the gateway: nullopt when absent; a malformed value
// is an error (400), never silently ignored.
Result<std::optional<UserId>> caller_of(const Request& req) {
    auto header = req.header("X-User-Id");
    if (!header) return std::optional<UserId>{};
    auto id = positive_id(*header, "X-User-Id");
    if (!id) return fail(std::move(id).error());
    return std::optional<UserId>{UserId{*id}};
}

// A caller is required: missing → 401, malformed → 400.
Result<UserId> required_caller(const Request& req) {
    auto caller = caller_of(req);
    if (!caller) return fail(std::move(caller).error());
    if (!*caller) return fail(ErrorCode::kUnauthenticated, "the X-User-Id header is required");
    return **caller;
}

Result<BookingId> booking_id_of(const Request& req) {
    auto raw = req.path_param("id");
    if (!raw) raw = req.query("id");
    if (!raw) return fail(ErrorCode::kInvalidArgument, "booking id is required");
    auto id = positive_id(*raw, "booking id");
    if (!id) return fail(std::move(id).error());
    return BookingId{*id};
}

Result<std::vector<FlightId>> flight_ids_of(const JsonObject& body) {
    const http::JsonValue* one = body.find("flight_id");
    const http::JsonValue* many = body.find("flight_ids");
    const bool has_one = one != nullptr && !one->is_null();
    const bool has_many = many != nullptr && !many->is_null();
    if (!has_one && !has_many) {
        return fail(ErrorCode::kInvalidArgument, "field 'flight_id' or 'flight_ids' is required");
    }
    std::vector<FlightId> ids;
    if (has_many) {
        auto list = body.get_array_int64("flight_ids", 1, std::numeric_limits<std::int64_t>::max());
        if (!list) return fail(std::move(list).error());
        for (std::int64_t v : *list) ids.push_back(FlightId{v});
    }
    if (has_one) {
        auto id = body.get_positive_int64("flight_id");
        if (!id) return fail(std::move(id).error());
        if (!has_many) {
            ids.push_back(FlightId{*id});
        } else if (ids.front() != FlightId{*id}) {
            return fail(ErrorCode::kInvalidArgument,
                        "field 'flight_id' must be the first of 'flight_ids' when both are sent");
        }
    }
    return ids;
}

Result<booking::CreateBookingRequest> parse_create(const Request& req) {
    auto body = http::parse_object(req.body());
    if (!body) return fail(std::move(body).error());
    booking::CreateBookingRequest r;
    auto user = body->get_positive_int64("user_id");
    if (!user) return fail(std::move(user).error());
    r.user_id = UserId{*user};
    auto ids = flight_ids_of(*body);
    if (!ids) return fail(std::move(ids).error());
    r.flight_ids = std::move(*ids);
    // Only the type is checked here; the range is a business rule (core).
    auto seats = body->get_int64("seats");
    if (!seats) return fail(std::move(seats).error());
    r.seats = *seats;
    auto date_text = body->get_string("date", 32);
    if (!date_text) return fail(std::move(date_text).error());
    auto date = parse_date(*date_text);
    if (!date) return fail(ErrorCode::kInvalidArgument, "field 'date' must be YYYY-MM-DD");
    r.date = *date;
    auto type = body->get_optional_string("payment_type", 64);
    if (!type) return fail(std::move(type).error());
    if (*type) {
        auto parsed = payment::parse_payment_type(**type);
        if (!parsed) return fail(std::move(parsed).error());
        r.payment_type = *parsed;
    }
    if (auto key = req.header("Idempotency-Key")) r.idempotency_key = std::string(*key);
    auto caller = caller_of(req);
    if (!caller) return fail(std::move(caller).error());
    r.caller = *caller;
    return r;
}

class BookingRoutes {
public:
    BookingRoutes(BookingService& service, BookingRoutesOptions options)
        : service_(service), options_(options) {}

    Response create(const Request& req) const {
        auto request = parse_create(req);
        if (!request) return Response::from_error(request.error());
        auto answer = service_.create(*request);
        if (!answer) return Response::from_error(answer.error());
        switch (answer->outcome) {
            case CreateOutcome::kReplay: {
                Response r = Response::json(answer->replay->status, answer->replay->body);
                if (options_.mark_replays) r.with_header("Idempotent-Replayed", "true");
                return r;
            }
            case CreateOutcome::kKeyReused:
                return Response::error(422, answer->code, answer->message);
            case CreateOutcome::kKeyInUse:
                return Response::error(409, answer->code, answer->message);
            case CreateOutcome::kConfirmed:
            case CreateOutcome::kPending:
            case CreateOutcome::kFailed: break;
        }
        auto rendered = bookings_json::render_create_answer(*answer);
        if (!answer->booking) return Response::json(rendered.status, std::move(rendered.body));
        // The first answer saved wins; sending what was saved keeps every
        // repeat of this request byte-identical to it. If it cannot be saved,
        // a repeat answers from the booking's state instead.
        auto stored = service_.save_response(
            answer->booking->id, booking::StoredResponse{rendered.status, rendered.body});
        if (!stored) return Response::json(rendered.status, std::move(rendered.body));
        return Response::json(stored->status, std::move(stored->body));
    }

    Response get_or_list(const Request& req) const {
        if (req.path_param("id") || req.query("id")) return get(req);
        return list(req);
    }

    Response get(const Request& req) const {
        auto caller = required_caller(req);
        if (!caller) return Response::from_error(caller.error());
        auto id = booking_id_of(req);
        if (!id) return Response::from_error(id.error());
        auto b = service_.get(*id, *caller);
        if (!b) return Response::from_error(b.error());
        return Response::json(200, bookings_json::booking_json(*b));
    }

    Response list(const Request& req) const {
        auto caller = required_caller(req);
        if (!caller) return Response::from_error(caller.error());
        UserId user = *caller;
        if (auto raw = req.query("user_id"); raw && !raw->empty()) {
            auto id = positive_id(*raw, "user_id");
            if (!id) return Response::from_error(id.error());
            user = UserId{*id};
        }
        std::int64_t limit = rules::kDefaultPageLimit;
        std::int64_t offset = 0;
        for (auto [name, target] : {std::pair{"limit", &limit}, {"offset", &offset}}) {
            auto raw = req.query(name);
            if (!raw || raw->empty()) continue;
            auto v = parse_int(*raw);
            if (!v) {
                return Response::error(400, "invalid_argument",
                                       fmt::format("{} must be an integer", name));
            }
            *target = *v;
        }
        auto bookings = service_.list(user, *caller, limit, offset);
        if (!bookings) return Response::from_error(bookings.error());
        json::Writer w;
        w.begin_object().key("bookings").begin_array();
        for (const booking::Booking& b : *bookings) {
            w.begin_object();
            bookings_json::write_booking_fields(w, b);
            w.end_object();
        }
        w.end_array()
            .key("count")
            .value(static_cast<std::int64_t>(bookings->size()))
            .key("limit")
            .value(limit)
            .key("offset")
            .value(offset)
            .end_object();
        return Response::json(200, w.take());
    }

    Response cancel(const Request& req) const {
        auto caller = required_caller(req);
        if (!caller) return Response::from_error(caller.error());
        auto id = booking_id_of(req);
        if (!id) return Response::from_error(id.error());
        auto cancelled = service_.cancel(*id, *caller);
        if (!cancelled) {
            if (cancelled.error().code == ErrorCode::kConflict) {
                return Response::error(409, "booking_not_cancellable", cancelled.error().message);
            }
            return Response::from_error(cancelled.error());
        }
        return Response::json(200, bookings_json::cancel_json(*cancelled));
    }

private:
    BookingService& service_;
    BookingRoutesOptions options_;
};

}  // namespace

Status register_booking_routes(http::Server& server, BookingService& service,
                               BookingRoutesOptions options) {
    auto routes = std::make_shared<const BookingRoutes>(service, options);
    auto bind = [routes](Response (BookingRoutes::*fn)(const Request&) const) {
        return [routes, fn](const Request& req) { return ((*routes).*fn)(req); };
    };
    FLIGHTBOOK_TRY_STATUS(server.post("/api/bookings", bind(&BookingRoutes::create)));
    FLIGHTBOOK_TRY_STATUS(server.get("/api/bookings", bind(&BookingRoutes::get_or_list)));
    FLIGHTBOOK_TRY_STATUS(server.get("/api/bookings/{id}", bind(&BookingRoutes::get)));
    FLIGHTBOOK_TRY_STATUS(server.put("/api/bookings/{id}/cancel", bind(&BookingRoutes::cancel)));
    FLIGHTBOOK_TRY_STATUS(server.post("/api/bookings/{id}/cancel", bind(&BookingRoutes::cancel)));
    return ok();
}

}  // namespace flightbook::api
