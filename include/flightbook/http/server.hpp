#pragma once
/// \file
/// `flightbook::http::Server`: the HTTP server every flightbook service is
/// built on. A route table over cpp-httplib (kept private) with the hardening
/// that cpp-httplib 0.11 lacks, JSON errors everywhere, and the built-in
/// operational routes `GET /health`, `GET /ready` and `GET /metrics`.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/http/log.hpp"
#include "flightbook/http/router.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/result.hpp"

namespace flightbook::http {

/// Server settings. Field names carry their unit.
struct ServerOptions {
    /// Name reported by /health and in every log line.
    std::string service_name = "flightbook";
    /// Interface to listen on; loopback unless deliberately widened.
    std::string bind_address = "127.0.0.1";
    /// TCP port; 0 picks a free port (see `Server::port()`).
    int port = 8080;
    /// Connections are served by this many threads; a connection holds a
    /// thread while a request of it is read, handled and written (and, with
    /// `park_idle_connections` off, also while it is idle between requests).
    std::size_t worker_threads = 16;
    /// Largest accepted request body (Content-Length); larger → 413.
    std::size_t max_body_bytes = std::size_t{1} << 20;
    /// Largest accepted request head (request line, header fields and the
    /// blank line); larger → 431. One line may in any case be at most 8 KiB
    /// (cpp-httplib's fixed limit): a longer request line → 414, a longer
    /// header field line → 431.
    std::size_t max_header_bytes = std::size_t{64} << 10;
    /// Most header field lines accepted in one request; more → 431.
    std::size_t max_header_count = 100;
    /// Time allowed to receive one whole request (line, headers and body)
    /// once its first byte arrived. Bounds slow senders ("slowloris").
    int read_timeout_ms = 5000;
    /// Time allowed to write one whole response.
    int write_timeout_ms = 5000;
    /// How long an idle keep-alive connection is kept open between requests.
    /// With `park_idle_connections` off, idle connections are also closed
    /// early when new connections wait for a worker thread.
    int idle_timeout_ms = 5000;
    /// Requests served on one connection before it is closed.
    std::size_t keep_alive_max_count = 10000;
    /// Keep-alive connections wait for their next request on one poller
    /// thread, not on a worker, so any number of them share the workers
    /// fairly. Off: each holds its worker while idle, answers carry
    /// `Connection: close` while connections wait for a worker, and idle
    /// ones are closed after 100 ms then (the model before issue 10).
    bool park_idle_connections = true;
    /// With parking on: after an answer, how long a worker waits on the same
    /// connection for its next request before parking it, as long as no
    /// other connection waits for a worker (0 = park at once). Saves the
    /// round trip through the poller for clients that ask again at once.
    int keep_alive_wait_us = 2000;
    /// Most connections waiting on the poller (for their first or next
    /// request head) at once; beyond it, connections wait on a worker.
    std::size_t max_parked_connections = 4096;
    /// Disable Nagle's algorithm on accepted sockets (small JSON answers).
    bool tcp_nodelay = true;
    /// One structured JSON line per request.
    bool access_log = true;
};

/// Checks one dependency for `/ready`; an error makes `/ready` answer 503.
/// Called from worker threads; must be thread-safe and quick.
using ReadinessCheck = std::function<Status()>;

/// An HTTP/1.1 server with a route table.
///
/// * Handlers get a `Request` view and return a `Response`; any exception
///   becomes a JSON 500 and is logged; the server keeps serving.
/// * Every error answer is `{"error":"<code>","message":"<text>"}`: unknown
///   path → 404, known path with another method → 405 with `Allow`.
/// * Hardening: Content-Length above `max_body_bytes` → 413; request bodies
///   with `Transfer-Encoding` → 411 and with `Content-Encoding` → 415 (neither
///   is read); duplicate or malformed Content-Length → 400; a GET/HEAD with a
///   body → 400; timeouts as in `ServerOptions`. Connections whose request
///   was rejected before its body was read are closed after the answer.
/// * Strict request heads (RFC 9112): every request head on a connection is
///   checked on the raw bytes before it is parsed; a malformed request line
///   or header field (no colon, whitespace before the colon, obs-fold, a
///   control character such as NUL or a bare CR/LF, a name that is not a
///   token) → 400; more than `max_header_count` fields or more than
///   `max_header_bytes` → 431. The connection is closed after the answer.
/// * `X-Request-Id` is echoed (or generated) on every answer.
/// * Metrics: `flightbook_http_requests_total{route,method,status}`,
///   `flightbook_http_request_duration_seconds{route,method}` (histogram) and
///   `flightbook_http_connections_active`.
///
/// Thread-safety: register routes and readiness checks before `start()`;
/// `stop()` may be called from any thread, also concurrently with requests.
class Server {
public:
    /// `registry` receives the HTTP metrics and is rendered by `/metrics`
    /// (a private one is created when null); `log_sink` receives the log lines
    /// (stderr when null).
    explicit Server(ServerOptions options, std::shared_ptr<metrics::Registry> registry = nullptr,
                    std::shared_ptr<LogSink> log_sink = nullptr);
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    /// Stops (draining) if still running.
    ~Server();

    /// Adds a route. Errors: kInvalidArgument (bad method/pattern),
    /// kAlreadyExists (same method and shape), kFailedPrecondition (after start).
    [[nodiscard]] Status route(std::string_view method, std::string_view pattern, Handler handler);
    [[nodiscard]] Status get(std::string_view pattern, Handler handler) {
        return route("GET", pattern, std::move(handler));
    }
    [[nodiscard]] Status post(std::string_view pattern, Handler handler) {
        return route("POST", pattern, std::move(handler));
    }
    [[nodiscard]] Status put(std::string_view pattern, Handler handler) {
        return route("PUT", pattern, std::move(handler));
    }
    [[nodiscard]] Status del(std::string_view pattern, Handler handler) {
        return route("DELETE", pattern, std::move(handler));
    }

    /// Every registered route in registration order, the built-in `GET
    /// /health`, `GET /ready` and `GET /metrics` first. For route listings
    /// (e.g. checking an API description against the table); not meant to
    /// be called concurrently with `route()`.
    [[nodiscard]] std::vector<RouteInfo> routes() const;

    /// Adds a named dependency check to `/ready`. Before `start()` only.
    void add_readiness_check(std::string name, ReadinessCheck check);

    /// Binds and starts serving on background threads. Returns the bound
    /// port. Errors: kUnavailable when the address cannot be bound,
    /// kFailedPrecondition when already started.
    [[nodiscard]] Result<int> start();

    /// Stops accepting, lets in-flight requests finish and closes idle
    /// keep-alive connections, then returns. Idempotent; thread-safe. While
    /// draining, `/ready` answers 503.
    void stop();

    /// Blocks until the server has stopped (after `stop()` from elsewhere).
    void wait();

    /// The bound port (0 before `start()`).
    [[nodiscard]] int port() const noexcept;
    [[nodiscard]] const ServerOptions& options() const noexcept;
    [[nodiscard]] metrics::Registry& registry() noexcept;
    [[nodiscard]] const Logger& logger() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::http
