#pragma once
/// \file
/// HTTP client for service-to-service calls (booking → flight, booking →
/// payment). cpp-httplib stays private.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flightbook/result.hpp"

namespace flightbook::http {

/// Client settings. Field names carry their unit.
struct ClientOptions {
    /// Scheme, host and port, e.g. "http://127.0.0.1:8080".
    std::string base_url;
    int connect_timeout_ms = 1000;
    /// Per read from the socket while waiting for and reading the answer.
    int read_timeout_ms = 5000;
    int write_timeout_ms = 5000;
    /// Reuse one connection for consecutive requests.
    bool keep_alive = true;
    /// Larger answers fail with kResourceExhausted.
    std::size_t max_response_bytes = std::size_t{8} << 20;
    /// Sent with every request (e.g. a service token); never logged.
    std::vector<std::pair<std::string, std::string>> default_headers;
};

/// An answer. Any status is a successful exchange; map statuses yourself.
struct ClientResponse {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    /// First value of header `name` (case-insensitive).
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept;
};

/// Extra request headers.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A keep-alive HTTP/1.1 client bound to one base URL. Thread-safe, but
/// requests on one Client are serialized (one connection); use one Client per
/// concurrent caller for parallelism.
///
/// Errors: kUnavailable when the server cannot be reached (connection
/// refused, connect timeout, write failure: the request was not processed, a
/// retry is safe); kDeadlineExceeded when no complete answer arrived in time
/// (the request may have been processed: resolve before retrying);
/// kResourceExhausted when the answer exceeds `max_response_bytes`;
/// kInvalidArgument for a bad base URL.
class Client {
public:
    /// Errors: kInvalidArgument when `base_url` is not http(s)://host[:port].
    [[nodiscard]] static Result<Client> create(ClientOptions options);

    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    /// Sends `method path` with an optional JSON body.
    [[nodiscard]] Result<ClientResponse> send(std::string_view method, std::string_view path,
                                              std::string_view body = {},
                                              const HeaderList& headers = {});
    [[nodiscard]] Result<ClientResponse> get(std::string_view path,
                                             const HeaderList& headers = {}) {
        return send("GET", path, {}, headers);
    }
    [[nodiscard]] Result<ClientResponse> post(std::string_view path, std::string_view body,
                                              const HeaderList& headers = {}) {
        return send("POST", path, body, headers);
    }
    [[nodiscard]] Result<ClientResponse> put(std::string_view path, std::string_view body,
                                             const HeaderList& headers = {}) {
        return send("PUT", path, body, headers);
    }
    [[nodiscard]] Result<ClientResponse> del(std::string_view path,
                                             const HeaderList& headers = {}) {
        return send("DELETE", path, {}, headers);
    }

    [[nodiscard]] const ClientOptions& options() const noexcept;

private:
    struct Impl;
    explicit Client(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::http
