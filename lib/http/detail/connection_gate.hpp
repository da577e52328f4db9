#pragma once
// Private: the poller that owns every connection no worker is serving. A
// worker thread serves a connection only while one of its requests is ready;
// in between, the socket waits here, on one epoll thread, instead of on a
// worker. That covers a new connection whose request head has not arrived
// yet and a keep-alive connection between two requests (including one whose
// next head is arriving slowly). Without it, each keep-alive client held a
// worker while idle, and with more connections than workers the server had
// to close connections to let others in (issue 10).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flightbook::http::detail {

using SteadyClock = std::chrono::steady_clock;

/// One client connection and what must survive while it is parked. Owned by
/// exactly one place at a time: a worker or the gate.
struct Connection {
    int sock = -1;
    /// Requests answered so far (keep_alive_max_count counts across parks).
    std::size_t served = 0;
    /// When the first byte of the next request was seen, if it was: the
    /// request's read deadline counts from there.
    SteadyClock::time_point request_started{};
    bool request_started_known = false;
    /// The next request's head is known to be complete (checked by a peek).
    bool head_ready = false;
    /// TCP_NODELAY was set on the socket.
    bool configured = false;
};

/// How much of the next request has reached the socket's receive buffer.
enum class HeadArrival { kNothing, kPartial, kReady };

/// Peeks (without consuming) at the socket: kReady when a whole request head
/// is in (or the peer closed, an error, or more bytes than the gate looks
/// at: the worker then refuses or fails the request as it would anyway).
[[nodiscard]] HeadArrival head_arrival(int sock) noexcept;

/// The epoll thread that holds parked connections. `park()` hands a
/// connection in with a deadline; the gate hands it to `ready` once a whole
/// head has arrived, or to `expired` at the deadline (the callee closes it).
/// `release_all()` hands every parked connection to `ready` and parks no
/// more (the server is shutting down). Each connection leaves exactly once:
/// every way out removes it from the table under the gate's mutex, and the
/// callbacks run under that mutex too, so `release_all()` returning means no
/// hand-off is in flight.
///
/// File descriptors are reused as soon as a worker closes one, so the gate
/// names connections by a private id (the epoll user data), never by fd: an
/// event for an id that has left is ignored. A parked socket is registered
/// with EPOLLONESHOT, so after it fires it stays disarmed until it is parked
/// again; a worker holding it never races with the gate's events.
class ConnectionGate {
public:
    using Handoff = std::function<void(Connection)>;

    /// `max_parked`: beyond this many, `park()` refuses (the worker then
    /// keeps the connection, as before the gate). `read_timeout`: once a
    /// parked keep-alive connection shows the first byte of its next request,
    /// that request must be whole within this time.
    ConnectionGate(std::size_t max_parked, std::chrono::milliseconds read_timeout, Handoff ready,
                   Handoff expired);
    /// Stops the thread; connections still parked go to `expired`.
    ~ConnectionGate();
    ConnectionGate(const ConnectionGate&) = delete;
    ConnectionGate& operator=(const ConnectionGate&) = delete;

    /// Takes `conn` until its head is in or `deadline` passes; false (the
    /// caller keeps `conn`) when the gate is closed, full or failed. On true
    /// the caller must not touch the socket again.
    [[nodiscard]] bool park(const Connection& conn, SteadyClock::time_point deadline);

    /// Hands every parked connection to `ready`; later `park()`s fail.
    void release_all();

    /// Connections parked now (for tests and metrics).
    [[nodiscard]] std::size_t parked() const;

private:
    struct Entry {
        Connection conn;
        SteadyClock::time_point deadline;
        bool partial = false;  // the first byte of the next request was seen
    };

    void run();
    void wake() noexcept;
    /// Arms the one-shot read event of `sock`, naming it `id`.
    bool arm(int sock, std::uint64_t id) const noexcept;
    /// Removes `id` from the tables; the caller hands the connection on.
    Connection take(std::unordered_map<std::uint64_t, Entry>::iterator it);
    [[nodiscard]] int wait_ms(SteadyClock::time_point now) const;

    const std::size_t max_parked_;
    const std::chrono::milliseconds read_timeout_;
    Handoff ready_;
    Handoff expired_;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    bool stop_ = false;  // guarded by mutex_

    mutable std::mutex mutex_;  // guards everything below and the handoffs
    std::unordered_map<std::uint64_t, Entry> parked_;
    std::set<std::pair<SteadyClock::time_point, std::uint64_t>> deadlines_;
    std::set<std::uint64_t> rearm_;  // partial heads waiting for the next tick
    SteadyClock::time_point next_rearm_{};
    bool closed_ = true;         // until the thread runs; again after release_all()
    std::uint64_t next_id_ = 1;  // 0 is the wake-up eventfd
    std::thread thread_;
};

}  // namespace flightbook::http::detail
