#pragma once
// Private: cpp-httplib's Server with our own connection loop. cpp-httplib
// 0.11 reads each connection through a stream with per-call timeouts only,
// counts keep-alive in whole seconds and cannot close a connection after
// refusing a request whose body it did not read. Overriding
// process_and_close_socket() gives us all of that while reusing its request
// parser and response writer (process_request()). It also lets us check each
// request head strictly on the raw bytes before cpp-httplib parses it
// (detail/request_head.hpp), and serve requests rather than connections: a
// connection whose next request is not there waits in the ConnectionGate,
// not on a worker thread (detail/connection_gate.hpp, docs/http.md).

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "detail/worker_pool.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/metrics/metric.hpp"

namespace flightbook::http::detail {

class SocketStream;
struct RequestState;
struct Connection;
class ConnectionGate;

class HardenedServer final : public httplib::Server {
public:
    /// Answers a request whose head failed the strict check (the rejection
    /// is in the current RequestState): writes the whole answer to the
    /// stream. `head` is what was received of the refused head.
    using RefuseHead = std::function<void(httplib::Stream& stream, std::string_view head)>;

    HardenedServer(const ServerOptions& options, metrics::Gauge& active_connections,
                   std::function<void(httplib::Request&)> setup_request, RefuseHead refuse_head);
    ~HardenedServer() override;
    HardenedServer(const HardenedServer&) = delete;
    HardenedServer& operator=(const HardenedServer&) = delete;

    /// cpp-httplib listens with a backlog of 5, so bursts of connections
    /// overflow it and wait for SYN retransmits; call after binding.
    void widen_backlog() noexcept;

    /// From now on keep-alive connections close after their current request.
    void begin_drain() noexcept { draining_.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool draining() const noexcept {
        return draining_.load(std::memory_order_relaxed);
    }

    /// Connections parked in the gate now (no worker holds them).
    [[nodiscard]] std::size_t parked_connections() const;

private:
    enum class Next { kServe, kParked, kClose };

    /// A new connection: served at once when its request head has arrived,
    /// else parked in the ConnectionGate until it has (see there).
    bool process_and_close_socket(int sock) override;
    /// The connection loop proper, on a worker thread: serves requests while
    /// the next one is ready, then parks the connection in the gate (or
    /// closes it) and returns the thread to the pool.
    bool serve_connection(Connection conn);
    /// Closes a connection that the gate gives up on (no head in time, or
    /// idle too long between requests), silently.
    void close_unserved(int sock) noexcept;
    /// What to do after a request: serve the next one on this thread, park
    /// the connection (its socket then belongs to the gate), or close it.
    Next next_request(SocketStream& stream, Connection& conn) const;
    /// Waits on this thread for the next request (parking off, or the gate
    /// full or closed), closing idle connections early when others wait.
    bool wait_for_next_request(SocketStream& stream, bool first) const;
    /// Receives the next request head and checks it; false when it was
    /// refused (the rejection is recorded in `state`). An incomplete head at
    /// the deadline or end of stream passes: cpp-httplib then fails on it.
    bool check_head(SocketStream& stream, RequestState& state) const;
    /// Accepted connections are waiting for a worker thread.
    [[nodiscard]] bool crowded() const noexcept;

    const ServerOptions& options_;
    metrics::Gauge& active_connections_;
    std::function<void(httplib::Request&)> setup_request_;
    RefuseHead refuse_head_;
    bool park_;  // ServerOptions::park_idle_connections
    // How long a worker waits on its connection for the next request before
    // parking it, when no other connection waits for a worker.
    std::chrono::microseconds keep_alive_wait_;
    std::atomic<bool> draining_{false};
    std::atomic<WorkerPool*> pool_{nullptr};
    // Owned here, not by cpp-httplib, so that the gate can hand connections
    // to it until cpp-httplib shuts the queue down (GatedQueue); the gate is
    // declared last so that it goes first.
    std::unique_ptr<WorkerPool> pool_owner_;
    std::unique_ptr<ConnectionGate> gate_;
};

}  // namespace flightbook::http::detail
