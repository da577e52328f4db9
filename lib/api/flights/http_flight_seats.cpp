#include "flightbook/api/http_flight_seats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <thread>

#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::api {
namespace {

constexpr std::string_view kService = "flight-service";

// The flight service's error body {"error","message"}; falls back to the
// status line when the body is not ours (a proxy's HTML page).
struct RemoteError {
    std::string code;
    std::string message;
};

RemoteError remote_error(const http::ClientResponse& r) {
    RemoteError e{"", fmt::format("flight-service answered HTTP {}", r.status)};
    auto body = http::parse_object(r.body);
    if (!body) return e;
    if (auto code = body->get_string("error", 128)) e.code = *code;
    if (auto message = body->get_string("message", 1024)) {
        e.message = fmt::format("flight-service: {}", *message);
    }
    return e;
}

Error error_for(const http::ClientResponse& r) {
    RemoteError e = remote_error(r);
    switch (r.status) {
        case 404: return Error{ErrorCode::kNotFound, std::move(e.message)};
        case 401: return Error{ErrorCode::kUnauthenticated, std::move(e.message)};
        case 403: return Error{ErrorCode::kPermissionDenied, std::move(e.message)};
        case 409:
            if (e.code == "insufficient_seats" || e.code == "hold_not_active") {
                return Error{ErrorCode::kFailedPrecondition, std::move(e.message)};
            }
            return Error{ErrorCode::kConflict, std::move(e.message)};
        default: break;
    }
    return Error{ErrorCode::kInvalidArgument, std::move(e.message)};
}

bool is_transient_status(int status) { return status == 429 || status >= 500; }

Error bad_answer(std::string_view what, const Error& cause) {
    return Error{ErrorCode::kInternal,
                 fmt::format("flight-service sent an unexpected {} ({})", what, cause.message)};
}

Result<Reservation> parse_reservation(std::string_view text) {
    auto body = http::parse_object(text);
    if (!body) return bad_answer("reservation", body.error());
    auto id_text = body->get_string("reservation_id", 64);
    if (!id_text) return bad_answer("reservation", id_text.error());
    auto id = ReservationId::parse(*id_text);
    if (!id) return bad_answer("reservation", id.error());
    auto state_text = body->get_string("status", 32);
    if (!state_text) return bad_answer("reservation", state_text.error());
    auto state = parse_reservation_state(*state_text);
    if (!state) return bad_answer("reservation", state.error());
    auto expires_text = body->get_string("expires_at", 64);
    if (!expires_text) return bad_answer("reservation", expires_text.error());
    auto expires = parse_rfc3339(*expires_text);
    if (!expires) return bad_answer("reservation", expires.error());
    auto applied = body->get_optional_bool("applied");
    if (!applied) return bad_answer("reservation", applied.error());

    Reservation r;
    r.id = std::move(*id);
    r.state = *state;
    r.expires_at = *expires;
    r.applied = applied->value_or(false);
    const http::JsonValue* legs = body->find("legs");
    const http::JsonValue::Array* array = legs != nullptr ? legs->as_array() : nullptr;
    if (array == nullptr) {
        return bad_answer("reservation", Error{ErrorCode::kInvalidArgument, "no legs"});
    }
    for (const http::JsonValue& v : *array) {
        const http::JsonObject* leg = v.as_object();
        if (leg == nullptr) {
            return bad_answer("reservation", Error{ErrorCode::kInvalidArgument, "bad leg"});
        }
        auto flight = leg->get_positive_int64("flight_id");
        if (!flight) return bad_answer("reservation", flight.error());
        auto seats = leg->get_int64("seats", 1, rules::kMaxSeatsPerRequest);
        if (!seats) return bad_answer("reservation", seats.error());
        r.legs.push_back(SeatLeg{FlightId{*flight}, static_cast<std::int32_t>(*seats)});
    }
    return r;
}

Result<Flight> parse_flight(std::string_view text) {
    auto body = http::parse_object(text);
    if (!body) return bad_answer("flight", body.error());
    Flight f;
    auto id = body->get_positive_int64("id");
    if (!id) return bad_answer("flight", id.error());
    f.id = FlightId{*id};
    auto number = body->get_string("flight_number", 64);
    if (!number) return bad_answer("flight", number.error());
    f.flight_number = std::move(*number);
    for (auto [key, target] : {std::pair{"source", &f.source}, {"destination", &f.destination}}) {
        auto code_text = body->get_string(key, 8);
        if (!code_text) return bad_answer("flight", code_text.error());
        auto code = AirportCode::parse(*code_text);
        if (!code) return bad_answer("flight", code.error());
        *target = *code;
    }
    for (auto [key, target] :
         {std::pair{"departure_time", &f.departure_time}, {"arrival_time", &f.arrival_time}}) {
        auto time_text = body->get_string(key, 64);
        if (!time_text) return bad_answer("flight", time_text.error());
        auto t = parse_rfc3339(*time_text);
        if (!t) return bad_answer("flight", t.error());
        *target = *t;
    }
    constexpr std::int64_t kMaxSeats = 1'000'000;
    auto total = body->get_int64("total_seats", 0, kMaxSeats);
    if (!total) return bad_answer("flight", total.error());
    auto booked = body->get_int64("booked_seats", 0, kMaxSeats);
    if (!booked) return bad_answer("flight", booked.error());
    f.total_seats = static_cast<std::int32_t>(*total);
    f.booked_seats = static_cast<std::int32_t>(*booked);
    auto price = body->get_money("price");
    if (!price) return bad_answer("flight", price.error());
    f.price = *price;
    return f;
}

std::string reservation_body(const ReservationId& id) {
    json::Writer w;
    w.begin_object().key("reservation_id").value(id.str()).end_object();
    return w.take();
}

}  // namespace

Status validate(const HttpFlightSeatsOptions& o) {
    if (o.connect_timeout_ms < 1 || o.read_timeout_ms < 1) {
        return fail(ErrorCode::kInvalidArgument, "flight-service client timeouts must be positive");
    }
    if (o.max_attempts < 1 || o.max_attempts > 10) {
        return fail(ErrorCode::kInvalidArgument,
                    "flight-service client attempts must be between 1 and 10");
    }
    if (o.backoff_ms < 0 || o.max_backoff_ms < o.backoff_ms || o.max_backoff_ms > 60'000) {
        return fail(ErrorCode::kInvalidArgument,
                    "flight-service client backoff must satisfy 0 <= backoff <= max backoff <= "
                    "60000 ms");
    }
    http::ClientOptions probe;
    probe.base_url = o.base_url;
    if (auto client = http::Client::create(probe); !client) return fail(client.error());
    return ok();
}

std::chrono::milliseconds worst_case_call_time(const HttpFlightSeatsOptions& o) {
    std::int64_t total = 0;
    std::int64_t pause = std::max(o.backoff_ms, 0);
    for (int i = 0; i < o.max_attempts; ++i) {
        total += std::int64_t{o.connect_timeout_ms} + o.read_timeout_ms;
        if (i + 1 < o.max_attempts) {
            total += pause;
            pause = std::min<std::int64_t>(pause * 2, o.max_backoff_ms);
        }
    }
    return std::chrono::milliseconds{total};
}

Result<std::unique_ptr<HttpFlightSeats>> HttpFlightSeats::create(
    HttpFlightSeatsOptions options, std::shared_ptr<metrics::Registry> registry) {
    FLIGHTBOOK_TRY_STATUS(validate(options));
    return std::unique_ptr<HttpFlightSeats>(
        new HttpFlightSeats(std::move(options), std::move(registry)));
}

HttpFlightSeats::HttpFlightSeats(HttpFlightSeatsOptions options,
                                 std::shared_ptr<metrics::Registry> registry)
    : options_(std::move(options)), registry_(std::move(registry)) {
    client_options_.base_url = options_.base_url;
    client_options_.connect_timeout_ms = options_.connect_timeout_ms;
    client_options_.read_timeout_ms = options_.read_timeout_ms;
    client_options_.write_timeout_ms = options_.read_timeout_ms;
    if (!options_.service_token.empty()) {
        client_options_.default_headers = {{"X-Service-Token", options_.service_token}};
    }
    if (registry_) {
        requests_ = &registry_->counter("flightbook_outbound_requests_total",
                                        "Calls to other services, by outcome",
                                        {"service", "operation", "outcome"});
        durations_ = &registry_->histogram("flightbook_outbound_request_duration_seconds",
                                           "Duration of calls to other services, retries included",
                                           {"service", "operation"});
    }
}

HttpFlightSeats::~HttpFlightSeats() = default;

Result<http::ClientResponse> HttpFlightSeats::attempt(std::string_view method,
                                                      const std::string& path,
                                                      const std::string& body) {
    std::optional<http::Client> client;
    {
        std::lock_guard lock(idle_mutex_);
        if (!idle_.empty()) {
            client.emplace(std::move(idle_.back()));
            idle_.pop_back();
        }
    }
    if (!client) {
        auto created = http::Client::create(client_options_);
        if (!created) return fail(std::move(created).error());
        client.emplace(std::move(*created));
    }
    auto answer = client->send(method, path, body);
    // A connection that failed mid-exchange is in an unknown state: drop it.
    if (answer) {
        std::lock_guard lock(idle_mutex_);
        if (idle_.size() < options_.max_idle_connections) idle_.push_back(std::move(*client));
    }
    return answer;
}

Result<http::ClientResponse> HttpFlightSeats::call(std::string_view operation,
                                                   std::string_view method, const std::string& path,
                                                   const std::string& body) {
    const auto started = std::chrono::steady_clock::now();
    std::int64_t pause_ms = options_.backoff_ms;
    bool timed_out = false;
    Error last{ErrorCode::kUnavailable, "no attempt"};
    std::optional<Result<http::ClientResponse>> final_answer;
    for (int i = 0; i < options_.max_attempts && !final_answer; ++i) {
        if (i > 0 && pause_ms > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds{pause_ms});
            pause_ms = std::min<std::int64_t>(pause_ms * 2, options_.max_backoff_ms);
        }
        auto answer = attempt(method, path, body);
        if (!answer) {
            const ErrorCode code = answer.error().code;
            if (code != ErrorCode::kUnavailable && code != ErrorCode::kDeadlineExceeded) {
                final_answer = std::move(answer);
            } else {
                timed_out = timed_out || code == ErrorCode::kDeadlineExceeded;
                last = std::move(answer).error();
            }
        } else if (is_transient_status(answer->status)) {
            last = Error{ErrorCode::kUnavailable, remote_error(*answer).message};
        } else if (answer->status >= 200 && answer->status < 300) {
            final_answer = std::move(answer);
        } else {
            final_answer = Result<http::ClientResponse>(error_for(*answer));
        }
    }
    // Every attempt failed transiently: say whether one of them may have landed.
    Result<http::ClientResponse> outcome =
        final_answer ? std::move(*final_answer)
                     : Result<http::ClientResponse>(
                           Error{timed_out ? ErrorCode::kDeadlineExceeded : ErrorCode::kUnavailable,
                                 fmt::format("{} failed after {} attempts: {}", operation,
                                             options_.max_attempts, last.message)});
    if (requests_ != nullptr) {
        const std::string_view label = outcome ? "ok" : to_string(outcome.error().code);
        requests_->with({kService, operation, label}).inc();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        durations_->with({kService, operation}).observe(took.count());
    }
    return outcome;
}

Result<Flight> HttpFlightSeats::get_flight(FlightId id) {
    auto answer = call("get_flight", "GET", fmt::format("/api/flights/{}", id.value()), {});
    if (!answer) return fail(std::move(answer).error());
    return parse_flight(answer->body);
}

Result<Reservation> HttpFlightSeats::hold(const ReservationId& id, std::vector<SeatLeg> legs,
                                          std::chrono::seconds ttl) {
    json::Writer w;
    w.begin_object().key("reservation_id").value(id.str()).key("legs").begin_array();
    for (const SeatLeg& leg : legs) {
        w.begin_object()
            .key("flight_id")
            .value(leg.flight_id.value())
            .key("seats")
            .value(leg.seats)
            .end_object();
    }
    w.end_array().key("ttl_seconds").value(static_cast<std::int64_t>(ttl.count())).end_object();
    auto answer = call("hold", "POST", "/api/flights/seats/hold", w.take());
    if (!answer) return fail(std::move(answer).error());
    return parse_reservation(answer->body);
}

Result<Reservation> HttpFlightSeats::seat_call(std::string_view operation, std::string_view path,
                                               const ReservationId& id) {
    auto answer = call(operation, "POST", std::string(path), reservation_body(id));
    if (!answer) return fail(std::move(answer).error());
    return parse_reservation(answer->body);
}

Result<Reservation> HttpFlightSeats::confirm(const ReservationId& id) {
    return seat_call("confirm", "/api/flights/seats/confirm", id);
}

Result<Reservation> HttpFlightSeats::release(const ReservationId& id) {
    return seat_call("release", "/api/flights/seats/release", id);
}

Result<Reservation> HttpFlightSeats::get(const ReservationId& id) {
    auto answer = call("get_reservation", "GET", "/api/flights/seats/reservations/" + id.str(), {});
    if (!answer) return fail(std::move(answer).error());
    return parse_reservation(answer->body);
}

}  // namespace flightbook::api
