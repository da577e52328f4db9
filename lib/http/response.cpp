#include "flightbook/http/response.hpp"

#include "flightbook/http/status.hpp"

namespace flightbook::http {

std::string error_body(std::string_view code, std::string_view message) {
    return error_body(code, message, {});
}

std::string error_body(std::string_view code, std::string_view message,
                       const std::function<void(json::Writer&)>& extra) {
    json::Writer w;
    w.begin_object().key("error").value(code).key("message").value(message);
    if (extra) extra(w);
    w.end_object();
    std::string body = w.take();
    body.push_back('\n');
    return body;
}

std::string_view public_message(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kUnavailable:
            return "a dependency of this service is unavailable; retry later";
        case ErrorCode::kDeadlineExceeded:
            return "the operation timed out and its outcome is unknown; retrying with the same "
                   "reservation_id or Idempotency-Key is safe";
        case ErrorCode::kInDoubt:
            return "the outcome is unknown (the commit was not acknowledged); retrying with the "
                   "same reservation_id or Idempotency-Key is safe and tells which";
        default: return "internal error";
    }
}

Response Response::json(int status, std::string body) {
    Response r;
    r.status = status;
    if (body.empty() || body.back() != '\n') body.push_back('\n');
    r.body = std::move(body);
    return r;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
    return json(status, error_body(code, message));
}

Response Response::from_error(const Error& error) {
    const int status = status_for(error.code);
    if (status < 500) return Response::error(status, to_string(error.code), error.message);
    Response r = Response::error(status, to_string(error.code), public_message(error.code));
    r.internal_detail = error.message;
    return r;
}

}  // namespace flightbook::http
