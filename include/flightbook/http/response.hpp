#pragma once
/// \file
/// What a route handler returns, and the one JSON error format:
/// `{"error":"<machine_code>","message":"<human text>"}`.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flightbook/error.hpp"

namespace flightbook::http {

/// Content type of every JSON answer.
inline constexpr std::string_view kJsonContentType = "application/json";

/// An HTTP answer: status, body, content type and extra headers. A plain value.
struct Response {
    int status = 200;
    std::string body;
    std::string content_type = std::string(kJsonContentType);
    std::vector<std::pair<std::string, std::string>> headers;

    /// A JSON answer with an already-encoded body.
    [[nodiscard]] static Response json(int status, std::string body);
    /// A JSON error answer `{"error":code,"message":message}` with `status`.
    [[nodiscard]] static Response error(int status, std::string_view code,
                                        std::string_view message);
    /// The JSON error answer for a flightbook::Error: status from
    /// `status_for(error.code)`, `error` = `to_string(error.code)`.
    [[nodiscard]] static Response from_error(const Error& error);

    /// Adds a header (no validation; names and values must be valid HTTP).
    Response& with_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

/// The JSON error body `{"error":code,"message":message}`, correctly escaped.
[[nodiscard]] std::string error_body(std::string_view code, std::string_view message);

}  // namespace flightbook::http
