#pragma once
// Private: cpp-httplib's Server with our own connection loop. cpp-httplib
// 0.11 reads each connection through a stream with per-call timeouts only,
// counts keep-alive in whole seconds and cannot close a connection after
// refusing a request whose body it did not read. Overriding
// process_and_close_socket() gives us all of that while reusing its request
// parser and response writer (process_request()).

#include <httplib.h>

#include <atomic>
#include <functional>

#include "detail/worker_pool.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/metrics/metric.hpp"

namespace flightbook::http::detail {

class HardenedServer final : public httplib::Server {
public:
    HardenedServer(const ServerOptions& options, metrics::Gauge& active_connections,
                   std::function<void(httplib::Request&)> setup_request);

    /// cpp-httplib listens with a backlog of 5, so bursts of connections
    /// overflow it and wait for SYN retransmits; call after binding.
    void widen_backlog() noexcept;

    /// From now on keep-alive connections close after their current request.
    void begin_drain() noexcept { draining_.store(true, std::memory_order_relaxed); }
    [[nodiscard]] bool draining() const noexcept {
        return draining_.load(std::memory_order_relaxed);
    }

private:
    bool process_and_close_socket(int sock) override;
    bool wait_for_next_request(class SocketStream& stream, bool first) const;
    /// Accepted connections are waiting for a worker thread.
    [[nodiscard]] bool crowded() const noexcept;

    const ServerOptions& options_;
    metrics::Gauge& active_connections_;
    std::function<void(httplib::Request&)> setup_request_;
    std::atomic<bool> draining_{false};
    std::atomic<WorkerPool*> pool_{nullptr};
};

}  // namespace flightbook::http::detail
