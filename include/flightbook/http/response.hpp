#pragma once
/// \file
/// What a route handler returns, and the one JSON error format:
/// `{"error":"<machine_code>","message":"<human text>"}`. Every JSON body
/// ends with a newline (SPEC §4: clients read `curl -w` output line by line).

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flightbook/error.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::http {

/// Content type of every JSON answer.
inline constexpr std::string_view kJsonContentType = "application/json";

/// An HTTP answer: status, body, content type and extra headers. A plain value.
struct Response {
    int status = 200;
    std::string body;
    std::string content_type = std::string(kJsonContentType);
    std::vector<std::pair<std::string, std::string>> headers;
    /// Why a 5xx happened, in the words of whatever failed (a libpq message,
    /// a host name): logged by the server with the request id, never sent.
    std::string internal_detail;

    /// A JSON answer with an already-encoded body (a newline is appended
    /// when missing).
    [[nodiscard]] static Response json(int status, std::string body);
    /// A JSON error answer `{"error":code,"message":message}` with `status`.
    [[nodiscard]] static Response error(int status, std::string_view code,
                                        std::string_view message);
    /// The JSON error answer for a flightbook::Error: status from
    /// `status_for(error.code)`, `error` = `to_string(error.code)`. Below 500
    /// the message is the error's own; at 500 and above it is a fixed text
    /// per code that tells the client what to do next, and the error's
    /// message goes to `internal_detail` (the server adds `request_id`).
    [[nodiscard]] static Response from_error(const Error& error);

    /// Adds a header (no validation; names and values must be valid HTTP).
    Response& with_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

/// The JSON error body `{"error":code,"message":message}\n`, correctly
/// escaped. The one place error JSON is built.
[[nodiscard]] std::string error_body(std::string_view code, std::string_view message);

/// `error_body` with extra members written after `message` (e.g. `status`,
/// `request_id`).
[[nodiscard]] std::string error_body(std::string_view code, std::string_view message,
                                     const std::function<void(json::Writer&)>& extra);

/// What a client should do after a 5xx of `code` (the public message).
[[nodiscard]] std::string_view public_message(ErrorCode code) noexcept;

}  // namespace flightbook::http
