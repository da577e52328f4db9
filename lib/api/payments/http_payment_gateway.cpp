#include "flightbook/api/http_payment_gateway.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "flightbook/http/client.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/payment/payment_processor.hpp"

namespace flightbook::api {

namespace {

using payment::Payment;
using Outcome = ChargeResult::Outcome;

constexpr std::string_view kService = "payment-service";

// Reads the payment JSON the payment service writes (docs/payments.md).
Result<Payment> payment_from_json(const http::JsonObject& o) {
    Payment p;
    auto id = o.get_string("payment_id", 64);
    auto key = o.get_optional_string("idempotency_key", payment::kMaxIdempotencyKeyLength);
    auto booking = o.get_positive_int64("booking_id");
    auto user = o.get_positive_int64("user_id");
    auto amount = o.get_money("amount");
    auto type_text = o.get_string("payment_type", 64);
    auto status_text = o.get_string("status", 64);
    auto reason = o.get_optional_string("reason");
    auto created = o.get_string("created_at", 64);
    auto refunded = o.get_optional_string("refunded_at", 64);
    if (!id || !key || !booking || !user || !amount || !type_text || !status_text || !reason ||
        !created || !refunded) {
        return fail(ErrorCode::kUnavailable, "payment service answered an unreadable payment");
    }
    auto type = payment::parse_payment_type(*type_text);
    auto status = payment::parse_payment_status(*status_text);
    auto created_at = parse_rfc3339(*created);
    if (!type || !status || !created_at) {
        return fail(ErrorCode::kUnavailable, "payment service answered an unreadable payment");
    }
    p.id = std::move(*id);
    p.idempotency_key = key->value_or("");
    p.booking_id = BookingId{*booking};
    p.user_id = UserId{*user};
    p.amount = *amount;
    p.type = *type;
    p.status = *status;
    p.reason = reason->value_or("");
    p.created_at = *created_at;
    if (refunded->has_value()) {
        auto at = parse_rfc3339(**refunded);
        if (!at) return fail(ErrorCode::kUnavailable, "payment service answered a bad refunded_at");
        p.refunded_at = *at;
    }
    return p;
}

// The body's "message" (or the status line) for error texts.
std::string message_of(const http::ClientResponse& r) {
    if (auto body = http::parse_object(r.body)) {
        if (auto m = body->get_string("message")) return std::move(m).value();
    }
    return fmt::format("payment service answered HTTP {}", r.status);
}

std::string request_body(const payment::PaymentRequest& r) {
    json::Writer w;
    w.begin_object()
        .key("booking_id")
        .value(r.booking_id.value())
        .key("user_id")
        .value(r.user_id.value())
        .key("amount")
        .value(r.amount)
        .key("payment_type")
        .value(payment::to_string(r.type))
        .end_object();
    return w.take();
}

}  // namespace

struct HttpPaymentGateway::Impl {
    HttpPaymentGatewayOptions options;
    http::ClientOptions client_options;
    std::mutex mutex;
    std::vector<http::Client> idle;               // guarded by mutex
    std::shared_ptr<metrics::Registry> registry;  // keeps the families below alive
    metrics::CounterFamily* requests = nullptr;
    metrics::HistogramFamily* durations = nullptr;

    // An idle client, or a new one: one Client serializes its requests, so
    // concurrent callers each get their own.
    Result<http::Client> take() {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                http::Client c = std::move(idle.back());
                idle.pop_back();
                return c;
            }
        }
        return http::Client::create(client_options);
    }

    void give_back(http::Client client) {
        std::lock_guard lock(mutex);
        if (idle.size() < options.max_idle_connections) idle.push_back(std::move(client));
    }

    // One request, timed and counted.
    Result<http::ClientResponse> send(std::string_view operation, std::string_view method,
                                      const std::string& path, std::string_view body,
                                      const http::HeaderList& headers) {
        auto client = take();
        if (!client) return fail(std::move(client).error());
        const auto started = std::chrono::steady_clock::now();
        auto answer = client->send(method, path, body, headers);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        std::string_view outcome = "ok";
        if (!answer) {
            outcome =
                answer.error().code == ErrorCode::kDeadlineExceeded ? "timeout" : "unavailable";
        } else if (answer->status >= 500) {
            outcome = "server_error";
        }
        if (requests != nullptr) {
            requests->with({kService, operation, outcome}).inc();
            durations->with({kService, operation}).observe(took.count());
        }
        // After a transport failure the connection's state is unknown (a late
        // answer may still arrive on it): drop it rather than reuse it.
        if (answer) give_back(std::move(client).value());
        return answer;
    }

    void backoff(int attempt) const {
        const auto shift = std::min(attempt - 1, 16);
        const auto ms = std::min<std::int64_t>(
            static_cast<std::int64_t>(options.backoff_ms) << shift, options.max_backoff_ms);
        if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds{ms});
    }

    // An idempotent call: retried on transport failures and 5xx answers.
    Result<http::ClientResponse> send_idempotent(std::string_view operation,
                                                 std::string_view method, const std::string& path) {
        Error last{ErrorCode::kUnavailable, "payment service not asked"};
        for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
            if (attempt > 1) backoff(attempt - 1);
            auto answer = send(operation, method, path, {}, {});
            if (answer && answer->status < 500) return answer;
            last = answer ? Error{ErrorCode::kUnavailable, message_of(*answer)}
                          : std::move(answer).error();
        }
        return fail(ErrorCode::kUnavailable,
                    fmt::format("payment service unavailable after {} attempts: {}",
                                options.max_attempts, last.message));
    }
};

Result<std::unique_ptr<HttpPaymentGateway>> HttpPaymentGateway::create(
    HttpPaymentGatewayOptions options, std::shared_ptr<metrics::Registry> registry) {
    if (options.max_attempts < 1 || options.connect_timeout_ms < 1 || options.read_timeout_ms < 1 ||
        options.backoff_ms < 0 || options.max_backoff_ms < 0) {
        return fail(ErrorCode::kInvalidArgument,
                    "payment gateway: attempts and timeouts must be positive, backoff not "
                    "negative");
    }
    auto impl = std::make_unique<Impl>();
    impl->client_options.base_url = options.base_url;
    impl->client_options.connect_timeout_ms = options.connect_timeout_ms;
    impl->client_options.read_timeout_ms = options.read_timeout_ms;
    impl->client_options.write_timeout_ms = options.read_timeout_ms;
    impl->client_options.default_headers = options.default_headers;
    impl->options = std::move(options);
    // Checks the URL once; later clients are made with the same options.
    auto first = http::Client::create(impl->client_options);
    if (!first) return fail(std::move(first).error());
    impl->give_back(std::move(first).value());
    if (registry) {
        impl->registry = std::move(registry);
        impl->requests =
            &impl->registry->counter("flightbook_outbound_requests_total",
                                     "Requests to other services, per attempt, by outcome",
                                     {"service", "operation", "outcome"});
        impl->durations = &impl->registry->histogram("flightbook_outbound_request_duration_seconds",
                                                     "Time of one request to another service",
                                                     {"service", "operation"});
    }
    return std::unique_ptr<HttpPaymentGateway>(new HttpPaymentGateway(std::move(impl)));
}

HttpPaymentGateway::HttpPaymentGateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpPaymentGateway::~HttpPaymentGateway() = default;

const HttpPaymentGatewayOptions& HttpPaymentGateway::options() const noexcept {
    return impl_->options;
}

Result<ChargeResult> HttpPaymentGateway::charge(const payment::PaymentRequest& request) {
    FLIGHTBOOK_TRY_STATUS(payment::validate(request));
    const std::string body = request_body(request);
    const http::HeaderList headers{{"Idempotency-Key", request.idempotency_key}};
    Result<http::ClientResponse> answer =
        fail(ErrorCode::kUnavailable, "payment service not asked");
    for (int attempt = 1; attempt <= impl_->options.max_attempts; ++attempt) {
        if (attempt > 1) impl_->backoff(attempt - 1);
        answer = impl_->send("charge", "POST", "/api/payments/process", body, headers);
        // Only an undelivered request is retried here: anything else may have
        // been processed, and the key makes the caller's own retry safe.
        if (answer || answer.error().code != ErrorCode::kUnavailable) break;
    }
    if (!answer) {
        return ChargeResult{Outcome::kUnknown, "",
                            fmt::format("payment outcome unknown: {}", answer.error().message)};
    }
    const http::ClientResponse& r = *answer;
    auto json = http::parse_object(r.body);
    std::string payment_id;
    std::string reason;
    std::string status;
    if (json) {
        payment_id = json->get_string("payment_id", 64).value_or("");
        reason = json->get_string("reason").value_or("");
        status = json->get_string("status", 64).value_or("");
    }
    if (r.status == 200 && status == "success" && !payment_id.empty()) {
        return ChargeResult{Outcome::kCharged, payment_id, ""};
    }
    if ((r.status == 200 && status == "refunded") || (r.status == 400 && status == "failed")) {
        if (reason.empty()) reason = status == "refunded" ? "payment was refunded" : "declined";
        return ChargeResult{Outcome::kDeclined, payment_id, reason};
    }
    if (r.status == 400 || r.status == 422) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("payment service refused the request: {}", message_of(r)));
    }
    if (r.status == 408) {
        return ChargeResult{Outcome::kUnknown, payment_id,
                            reason.empty() ? "payment gateway timeout" : reason};
    }
    // A 5xx, or an answer this client does not know: something may have been
    // charged, and a lookup will tell.
    return ChargeResult{
        Outcome::kUnknown, payment_id,
        fmt::format("payment outcome unknown: HTTP {}: {}", r.status, message_of(r))};
}

Result<std::optional<Payment>> HttpPaymentGateway::find_by_booking(BookingId booking) {
    // No payment can exist for an id the payment service refuses.
    if (booking.value() <= 0) return std::optional<Payment>{};
    auto answer = impl_->send_idempotent(
        "find_by_booking", "GET", fmt::format("/api/payments?booking_id={}", booking.value()));
    if (!answer) return fail(std::move(answer).error());
    if (answer->status != 200) {
        return fail(ErrorCode::kUnavailable, fmt::format("payment lookup failed: HTTP {}: {}",
                                                         answer->status, message_of(*answer)));
    }
    auto json = http::parse_object(answer->body);
    const http::JsonValue* list = json ? json->find("payments") : nullptr;
    const http::JsonValue::Array* payments = list != nullptr ? list->as_array() : nullptr;
    if (payments == nullptr) {
        return fail(ErrorCode::kUnavailable, "payment service answered an unreadable list");
    }
    if (payments->empty()) return std::optional<Payment>{};
    const http::JsonObject* newest = payments->front().as_object();
    if (newest == nullptr) {
        return fail(ErrorCode::kUnavailable, "payment service answered an unreadable list");
    }
    auto p = payment_from_json(*newest);
    if (!p) return fail(std::move(p).error());
    return std::optional<Payment>{std::move(p).value()};
}

Result<Payment> HttpPaymentGateway::refund(const std::string& payment_id) {
    // Also keeps anything but a well-formed id out of the request path.
    if (!payment::is_payment_id(payment_id)) {
        return fail(ErrorCode::kNotFound, "payment not found");
    }
    auto answer = impl_->send_idempotent("refund", "POST",
                                         fmt::format("/api/payments/{}/refund", payment_id));
    if (!answer) return fail(std::move(answer).error());
    switch (answer->status) {
        case 200: {
            auto json = http::parse_object(answer->body);
            if (!json) {
                return fail(ErrorCode::kUnavailable, "payment service answered unreadable JSON");
            }
            return payment_from_json(*json);
        }
        case 404: return fail(ErrorCode::kNotFound, message_of(*answer));
        case 409: return fail(ErrorCode::kFailedPrecondition, message_of(*answer));
        default:
            return fail(ErrorCode::kUnavailable, fmt::format("refund failed: HTTP {}: {}",
                                                             answer->status, message_of(*answer)));
    }
}

}  // namespace flightbook::api
