#pragma once
// Private: checks on a request's framing headers, made before its body is
// read (cpp-httplib 0.11 has no limit on chunked or compressed bodies).

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "detail/connection_state.hpp"

namespace flightbook::http::detail {

/// The refusal for a request whose body must not be read, or nullopt.
/// `max_body_bytes` bounds Content-Length.
[[nodiscard]] std::optional<Rejection> check_framing(const httplib::Request& req,
                                                     std::size_t max_body_bytes);

/// True for methods whose body cpp-httplib reads (POST, PUT, PATCH, DELETE).
[[nodiscard]] bool reads_body(std::string_view method) noexcept;

/// True for methods cpp-httplib dispatches to registered handlers.
[[nodiscard]] bool is_dispatchable(std::string_view method) noexcept;

/// Machine error code for an HTTP status produced outside our handlers.
[[nodiscard]] std::string_view error_code_for_status(int status) noexcept;

/// A request id from `X-Request-Id` when it is safe to echo, else a new one.
[[nodiscard]] std::string request_id_for(std::string_view incoming);

/// Adds `"request_id":id` as the last member of a JSON object body (one
/// ending in `}` or `}\n`); leaves any other body alone. Request ids are
/// safe to embed (request_id_for admits only [A-Za-z0-9._:-]).
void add_request_id(std::string& body, std::string_view request_id);

}  // namespace flightbook::http::detail
