#pragma once
/// \file
/// The read-only view of an HTTP request that route handlers receive.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace flightbook::http {

/// A list of name/value pairs viewed from storage owned elsewhere.
using FieldList = std::vector<std::pair<std::string_view, std::string_view>>;

/// What a handler sees of a request: method, decoded path, `{name}` path
/// parameters of the matched route, decoded query parameters, headers and the
/// raw body. A cheap view: every string is owned by the server (or by the
/// test that built it) and is valid only while the handler runs. Not
/// thread-safe to share beyond the handler call.
class Request {
public:
    /// Everything a Request views; filled by the server, or by tests.
    struct Parts {
        std::string_view method;
        std::string_view path;
        std::string_view body;
        std::string_view request_id;
        const FieldList* path_params = nullptr;
        const FieldList* query_params = nullptr;
        const FieldList* headers = nullptr;
    };

    explicit Request(Parts parts) noexcept : parts_(parts) {}

    /// Upper-case method, e.g. "GET".
    [[nodiscard]] std::string_view method() const noexcept { return parts_.method; }
    /// Percent-decoded path without the query string.
    [[nodiscard]] std::string_view path() const noexcept { return parts_.path; }
    /// Raw request body (empty when there is none).
    [[nodiscard]] std::string_view body() const noexcept { return parts_.body; }
    /// The request id (from `X-Request-Id` or generated), echoed in the answer.
    [[nodiscard]] std::string_view request_id() const noexcept { return parts_.request_id; }

    /// Value of path parameter `{name}` of the matched route.
    [[nodiscard]] std::optional<std::string_view> path_param(std::string_view name) const noexcept;
    /// First value of query parameter `name`.
    [[nodiscard]] std::optional<std::string_view> query(std::string_view name) const noexcept;
    /// First value of header `name` (case-insensitive).
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept;

    /// All query parameters, sorted by name (repeated names repeat in order).
    [[nodiscard]] const FieldList& query_params() const noexcept;

private:
    Parts parts_;
};

/// ASCII case-insensitive comparison (header names).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace flightbook::http
