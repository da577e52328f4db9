#include "detail/request_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "flightbook/http/request.hpp"

namespace flightbook::http::detail {
namespace {

std::optional<std::uint64_t> parse_length(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

// Fields that say who is calling or which operation a retry repeats. A
// handler reads one value (Request::header gives the first), so a repeated
// field would let one copy win silently: behind a gateway that appends its
// X-User-Id instead of replacing the client's, the client's copy would be
// taken. None of them is a list (RFC 9110 §5.3), so a repeat is malformed.
constexpr std::string_view kSingletonFields[] = {"Authorization", "X-Service-Token", "X-User-Id",
                                                 "Idempotency-Key"};

bool safe_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
}

}  // namespace

bool reads_body(std::string_view method) noexcept {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_dispatchable(std::string_view method) noexcept {
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || reads_body(method);
}

std::optional<Rejection> check_framing(const httplib::Request& req, std::size_t max_body_bytes) {
    if (req.has_header("Transfer-Encoding")) {
        return Rejection{411, "length_required",
                         "request bodies with Transfer-Encoding are not accepted; send "
                         "Content-Length"};
    }
    if (req.has_header("Content-Encoding") &&
        !iequals(req.get_header_value("Content-Encoding"), "identity")) {
        return Rejection{415, "unsupported_media_type",
                         "compressed request bodies (Content-Encoding) are not accepted"};
    }
    for (const std::string_view name : kSingletonFields) {
        if (req.get_header_value_count(std::string(name)) > 1) {
            return Rejection{400, "invalid_argument",
                             fmt::format("header '{}' must not be repeated", name)};
        }
    }
    const auto lengths = req.get_header_value_count("Content-Length");
    if (lengths > 1) {
        return Rejection{400, "invalid_argument", "more than one Content-Length header"};
    }
    if (lengths == 1) {
        const auto length = parse_length(req.get_header_value("Content-Length"));
        if (!length) return Rejection{400, "invalid_argument", "invalid Content-Length header"};
        if (*length > max_body_bytes) {
            return Rejection{413, "payload_too_large",
                             fmt::format("request body of {} bytes exceeds the limit of {} bytes",
                                         *length, max_body_bytes)};
        }
        // cpp-httplib does not read bodies of other methods; the bytes
        // would be taken for the next request.
        if (*length > 0 && !reads_body(req.method)) {
            return Rejection{400, "invalid_argument",
                             fmt::format("{} requests must not have a body", req.method)};
        }
    }
    return std::nullopt;
}

std::string_view error_code_for_status(int status) noexcept {
    switch (status) {
        case 400: return "invalid_argument";
        case 401: return "unauthenticated";
        case 403: return "permission_denied";
        case 404: return "not_found";
        case 405: return "method_not_allowed";
        case 408: return "request_timeout";
        case 411: return "length_required";
        case 413: return "payload_too_large";
        case 414: return "uri_too_long";
        case 415: return "unsupported_media_type";
        case 416: return "range_not_satisfiable";
        case 417: return "expectation_failed";
        case 429: return "resource_exhausted";
        case 431: return "header_fields_too_large";
        case 503: return "unavailable";
        case 504: return "deadline_exceeded";
        default: return status >= 500 ? "internal" : "invalid_argument";
    }
}

std::string request_id_for(std::string_view incoming) {
    if (!incoming.empty() && incoming.size() <= 128 &&
        std::all_of(incoming.begin(), incoming.end(), safe_id_char)) {
        return std::string(incoming);
    }
    thread_local std::mt19937_64 rng([] {
        static std::atomic<std::uint64_t> counter{0};
        std::random_device device;
        return (static_cast<std::uint64_t>(device()) << 32) ^ device() ^
               (counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL);
    }());
    return fmt::format("{:016x}", rng());
}

void add_request_id(std::string& body, std::string_view request_id) {
    if (request_id.empty() || body.find("\"request_id\"") != std::string::npos) return;
    std::size_t end = body.size();
    if (end > 0 && body[end - 1] == '\n') --end;
    if (end < 2 || body[0] != '{' || body[end - 1] != '}') return;
    const bool empty_object = body.find_first_not_of(" \t\r\n", 1) == end - 1;
    body.insert(end - 1,
                fmt::format("{}\"request_id\":\"{}\"", empty_object ? "" : ",", request_id));
}

}  // namespace flightbook::http::detail
