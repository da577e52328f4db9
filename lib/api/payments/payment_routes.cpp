#include "flightbook/api/payment_routes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <memory>

#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::api {
namespace {

using http::JsonObject;
using http::parse_object;
using http::Request;
using http::Response;
using payment::ForcedOutcome;
using payment::Payment;
using payment::PaymentProcessor;
using payment::PaymentRequest;
using payment::PaymentStatus;

// Writes the members of a payment into an open object.
void write_payment_members(json::Writer& w, const Payment& p) {
    w.key("payment_id")
        .value(p.id)
        .key("booking_id")
        .value(p.booking_id.value())
        .key("user_id")
        .value(p.user_id.value())
        .key("amount")
        .value(p.amount)
        .key("payment_type")
        .value(payment::to_string(p.type))
        .key("status")
        .value(payment::to_string(p.status))
        .key("idempotency_key")
        .value(p.idempotency_key);
    if (!p.reason.empty()) w.key("reason").value(p.reason);
    w.key("created_at").value(format_rfc3339(p.created_at));
    if (p.refunded_at) w.key("refunded_at").value(format_rfc3339(*p.refunded_at));
}

std::string payment_json(const Payment& p) {
    json::Writer w;
    w.begin_object();
    write_payment_members(w, p);
    w.end_object();
    return w.take();
}

// Parses the body of process and simulate/*. The key comes from the
// Idempotency-Key header, else it is the booking's one charge.
Result<PaymentRequest> parse_payment_request(const JsonObject& body, const Request& req) {
    auto booking = body.get_positive_int64("booking_id");
    if (!booking) return fail(std::move(booking).error());
    auto user = body.get_positive_int64("user_id");
    if (!user) return fail(std::move(user).error());
    auto amount = body.get_money("amount");
    if (!amount) return fail(std::move(amount).error());
    if (amount->cents() <= 0 || amount->cents() > payment::kMaxPaymentAmountCents) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("field 'amount' must be greater than 0 and at most {}",
                                Money::from_cents(payment::kMaxPaymentAmountCents).to_string()));
    }
    // Old clients may send no payment_type: taken as a card (docs/payments.md).
    auto type_text = body.get_optional_string("payment_type", 64);
    if (!type_text) return fail(std::move(type_text).error());
    auto type = payment::parse_payment_type(type_text->value_or("credit_card"));
    if (!type) {
        return fail(ErrorCode::kInvalidArgument,
                    "field 'payment_type' must be one of credit_card, debit_card, upi, "
                    "net_banking");
    }
    PaymentRequest r{BookingId{*booking}, UserId{*user}, *amount, *type, {}};
    const std::string_view key = req.header("Idempotency-Key").value_or("");
    r.idempotency_key =
        key.empty() ? payment::default_idempotency_key(r.booking_id) : std::string(key);
    if (auto valid = payment::validate(r); !valid) {
        // Every field but the key was checked above with its own message.
        if (key.empty()) return fail(std::move(valid).error());
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("header 'Idempotency-Key' must be 1 to {} printable ASCII "
                                "characters",
                                payment::kMaxIdempotencyKeyLength));
    }
    return r;
}

// A processing failure: a reused key is 422 (the request is well-formed but
// cannot be honoured), the rest maps by code.
Response process_error(const Error& e) {
    if (e.code == ErrorCode::kConflict) {
        return Response::error(422, "idempotency_key_reused", e.message);
    }
    return Response::from_error(e);
}

// The answer to a payment made (or replayed). `simulated` answers a declined
// payment with 200, as the reference system's simulate endpoint did.
Response payment_answer(const payment::ProcessResult& r, bool simulated) {
    const Payment& p = r.payment;
    const std::string_view prefix = simulated ? "simulated " : "";
    const std::string_view replay =
        r.first ? "" : " (replay: the first outcome for this idempotency key)";
    const auto extra = [&](json::Writer& w) {
        write_payment_members(w, p);
        w.key("replayed").value(!r.first);
        if (simulated) w.key("simulated").value(true).key("recorded").value(true);
    };
    if (p.status == PaymentStatus::kTimeout) {
        return Response::json(
            408, http::error_body("payment_timeout",
                                  fmt::format("{}payment gateway timeout: nothing was charged{}",
                                              prefix, replay),
                                  extra));
    }
    if (p.status == PaymentStatus::kFailed && !simulated) {
        return Response::json(
            400, http::error_body("payment_declined",
                                  fmt::format("payment declined: {}{}", p.reason, replay), extra));
    }
    std::string message;
    switch (p.status) {
        case PaymentStatus::kSuccess:
            message = fmt::format("{}payment successful{}", prefix, replay);
            break;
        case PaymentStatus::kFailed:
            message = fmt::format("{}payment failure: {}{}", prefix, p.reason, replay);
            break;
        default:
            message = fmt::format("payment was refunded on {}{}",
                                  p.refunded_at ? format_rfc3339(*p.refunded_at) : "", replay);
            break;
    }
    json::Writer w;
    w.begin_object();
    extra(w);
    w.key("message").value(message).end_object();
    return Response::json(200, w.take());
}

// simulate/* with no payment in the body: the outcome's status and shape,
// nothing recorded (clients that only poke the endpoint).
Response unrecorded_simulation(ForcedOutcome forced) {
    const auto extra = [](json::Writer& w, std::string_view status) {
        w.key("status").value(status).key("simulated").value(true).key("recorded").value(false);
    };
    constexpr std::string_view kNothing =
        " (nothing recorded: send booking_id, user_id and amount to record a payment)";
    if (forced == ForcedOutcome::kTimeout) {
        return Response::json(
            408, http::error_body("payment_timeout",
                                  fmt::format("simulated payment gateway timeout{}", kNothing),
                                  [&](json::Writer& w) { extra(w, "timeout"); }));
    }
    const bool success = forced == ForcedOutcome::kSuccess;
    json::Writer w;
    w.begin_object();
    extra(w, success ? "success" : "failed");
    if (!success) w.key("reason").value("card declined (simulated)");
    w.key("message")
        .value(fmt::format("simulated payment {}{}", success ? "success" : "failure", kNothing))
        .end_object();
    return Response::json(200, w.take());
}

bool is_blank(std::string_view text) {
    return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Result<BookingId> parse_booking_id(std::string_view text) {
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (text.empty() || ec != std::errc{} || p != end || v < 1) {
        return fail(ErrorCode::kInvalidArgument,
                    "query parameter 'booking_id' must be a positive integer");
    }
    return BookingId{v};
}

class PaymentRoutes {
public:
    explicit PaymentRoutes(PaymentProcessor& processor) : processor_(processor) {}

    Response process(const Request& req) const {
        auto body = parse_object(req.body());
        if (!body) return Response::from_error(body.error());
        auto request = parse_payment_request(*body, req);
        if (!request) return Response::from_error(request.error());
        auto result = processor_.process(*request);
        if (!result) return process_error(result.error());
        return payment_answer(*result, false);
    }

    Response simulate(const Request& req, ForcedOutcome forced) const {
        if (is_blank(req.body())) return unrecorded_simulation(forced);
        auto body = parse_object(req.body());
        if (!body) return Response::from_error(body.error());
        if (body->size() == 0) return unrecorded_simulation(forced);
        auto request = parse_payment_request(*body, req);
        if (!request) return Response::from_error(request.error());
        auto result = processor_.process(*request, forced);
        if (!result) return process_error(result.error());
        return payment_answer(*result, true);
    }

    Response get_payment(const Request& req) const {
        const std::string_view id = req.path_param("payment_id").value_or("");
        return one_payment(id);
    }

    // GET /api/payments?booking_id=N (or ?id= for old clients).
    Response list(const Request& req) const {
        if (auto id = req.query("id")) return one_payment(*id);
        auto raw = req.query("booking_id");
        if (!raw) {
            return Response::error(400, "invalid_argument",
                                   "query parameter 'booking_id' is required");
        }
        auto booking = parse_booking_id(*raw);
        if (!booking) return Response::from_error(booking.error());
        auto payments = processor_.find_by_booking(*booking);
        if (!payments) return Response::from_error(payments.error());
        json::Writer w;
        w.begin_object().key("payments").begin_array();
        for (const Payment& p : *payments) {
            w.begin_object();
            write_payment_members(w, p);
            w.end_object();
        }
        w.end_array()
            .key("count")
            .value(static_cast<std::int64_t>(payments->size()))
            .key("booking_id")
            .value(booking->value())
            .end_object();
        return Response::json(200, w.take());
    }

    Response refund(const Request& req) const {
        const std::string_view id = req.path_param("payment_id").value_or("");
        auto refunded = processor_.refund(id);
        if (!refunded) {
            if (refunded.error().code == ErrorCode::kFailedPrecondition) {
                return Response::error(409, "not_refundable", refunded.error().message);
            }
            return Response::from_error(refunded.error());
        }
        json::Writer w;
        w.begin_object();
        write_payment_members(w, refunded->payment);
        w.key("applied")
            .value(refunded->applied)
            .key("message")
            .value(refunded->applied ? "payment refunded"
                                     : "payment was already refunded (nothing moved)")
            .end_object();
        return Response::json(200, w.take());
    }

private:
    Response one_payment(std::string_view id) const {
        auto p = processor_.get(id);
        if (!p) return Response::from_error(p.error());
        return Response::json(200, payment_json(*p));
    }

    PaymentProcessor& processor_;
};

}  // namespace

Status register_payment_routes(http::Server& server, PaymentProcessor& processor,
                               PaymentRoutesOptions options) {
    auto routes = std::make_shared<const PaymentRoutes>(processor);
    auto bind = [routes](Response (PaymentRoutes::*fn)(const Request&) const) {
        return [routes, fn](const Request& req) { return ((*routes).*fn)(req); };
    };
    auto forced = [routes](ForcedOutcome outcome) {
        return [routes, outcome](const Request& req) { return routes->simulate(req, outcome); };
    };
    FLIGHTBOOK_TRY_STATUS(server.post("/api/payments/process", bind(&PaymentRoutes::process)));
    if (options.simulate_endpoints) {
        FLIGHTBOOK_TRY_STATUS(
            server.post("/api/payments/simulate/success", forced(ForcedOutcome::kSuccess)));
        FLIGHTBOOK_TRY_STATUS(
            server.post("/api/payments/simulate/failure", forced(ForcedOutcome::kFailure)));
        FLIGHTBOOK_TRY_STATUS(
            server.post("/api/payments/simulate/timeout", forced(ForcedOutcome::kTimeout)));
    }
    FLIGHTBOOK_TRY_STATUS(
        server.get("/api/payments/{payment_id}", bind(&PaymentRoutes::get_payment)));
    FLIGHTBOOK_TRY_STATUS(server.get("/api/payments", bind(&PaymentRoutes::list)));
    FLIGHTBOOK_TRY_STATUS(
        server.post("/api/payments/{payment_id}/refund", bind(&PaymentRoutes::refund)));
    return ok();
}

}  // namespace flightbook::api
