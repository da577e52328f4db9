#include "detail/hardened_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "detail/connection_state.hpp"
#include "detail/request_head.hpp"
#include "detail/socket_stream.hpp"

namespace flightbook::http::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kEvictIdleAfter = std::chrono::milliseconds(100);

// After refusing a request whose body we did not read, closing at once could
// reset the connection before the client has read our answer (unread data
// makes the kernel send RST). Half-close, then discard a bounded amount of
// input for a bounded time.
void lingering_close_input(int sock) {
    ::shutdown(sock, SHUT_WR);
    SocketStream drain(sock, 0);
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(250);
    drain.begin_request(deadline, std::size_t{1} << 20);
    char sink[4096];
    while (drain.read(sink, sizeof(sink)) > 0) {
    }
}

// A head that has not arrived within this many bytes goes to a worker
// anyway (which applies max_header_bytes): the gate's peek stays cheap and
// within what the kernel buffers for one connection.
constexpr std::size_t kGatePeekBytes = 16 * 1024;
// Beyond this many parked connections, new ones are served as before.
constexpr std::size_t kGateMaxParked = 4096;

enum class HeadArrival { kWaiting, kReady };

// Whether a whole request head (or an end of stream, an error, or more bytes
// than the gate looks at) is in the socket's receive buffer. Peeks only: the
// bytes stay for the connection loop. A head ends at the first empty line;
// "\n\n" counts too, so that a head the strict check refuses is refused
// at once.
HeadArrival head_arrival(int sock) noexcept {
    thread_local char buffer[kGatePeekBytes];
    ssize_t n = 0;
    do {
        n = ::recv(sock, buffer, sizeof(buffer), MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? HeadArrival::kWaiting
                                                       : HeadArrival::kReady;
    }
    if (n == 0 || static_cast<std::size_t>(n) >= sizeof(buffer)) return HeadArrival::kReady;
    const std::string_view seen(buffer, static_cast<std::size_t>(n));
    return seen.find("\n\r\n") != std::string_view::npos ||
                   seen.find("\n\n") != std::string_view::npos
               ? HeadArrival::kReady
               : HeadArrival::kWaiting;
}

}  // namespace

// Connections whose request head has not fully arrived wait here, all on one
// poll() thread, instead of each on a worker thread. A client that sends its
// head a byte at a time then costs a file descriptor, not one of the few
// workers: without this, worker_threads such clients held every worker for
// read_timeout_ms each, and /health queued behind them for seconds. A parked
// connection goes to a worker once its head is in (`ready`), or is closed
// unanswered at its deadline, read_timeout_ms after it was accepted
// (`expired`); `release_all()` hands every parked connection to the workers
// and parks no more (the queue is shutting down). Each connection leaves the
// gate exactly once: both ways out run under the gate's mutex.
class HeadGate {
public:
    using Handoff = std::function<void(int sock)>;

    HeadGate(std::chrono::milliseconds timeout, Handoff ready, Handoff expired)
        : timeout_(timeout), ready_(std::move(ready)), expired_(std::move(expired)) {
        wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd_ >= 0) thread_ = std::thread([this] { run(); });
    }
    ~HeadGate() {
        stop_.store(true);
        wake();
        if (thread_.joinable()) thread_.join();
        if (wake_fd_ >= 0) ::close(wake_fd_);
        std::lock_guard lock(mutex_);
        for (const Parked& p : parked_) expired_(p.sock);
        parked_.clear();
    }
    HeadGate(const HeadGate&) = delete;
    HeadGate& operator=(const HeadGate&) = delete;

    /// Takes `sock` until its head is in; false (the caller serves it) when
    /// the gate is closed or full.
    bool park(int sock) {
        {
            std::lock_guard lock(mutex_);
            if (closed_ || !thread_.joinable() || parked_.size() >= kGateMaxParked) return false;
            parked_.push_back(Parked{sock, SteadyClock::now() + timeout_, next_id_++});
        }
        wake();
        return true;
    }

    void release_all() {
        std::lock_guard lock(mutex_);
        closed_ = true;
        for (const Parked& p : parked_) ready_(p.sock);
        parked_.clear();
    }

private:
    struct Parked {
        int sock;
        SteadyClock::time_point deadline;
        std::uint64_t id;  // fds are reused: an id names one connection
    };

    void wake() noexcept {
        if (wake_fd_ < 0) return;
        const std::uint64_t one = 1;
        (void)!::write(wake_fd_, &one, sizeof(one));
    }

    void run() {
        std::vector<Parked> watched;
        std::vector<pollfd> fds;
        std::vector<std::pair<std::uint64_t, bool>> leaving;  // id, head ready
        while (!stop_.load()) {
            {
                std::lock_guard lock(mutex_);
                watched = parked_;
            }
            fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
            auto wait = std::chrono::milliseconds(100);
            const auto now = SteadyClock::now();
            for (const Parked& p : watched) {
                fds.push_back(pollfd{p.sock, POLLIN, 0});
                wait = std::min(
                    wait, std::chrono::duration_cast<std::chrono::milliseconds>(p.deadline - now) +
                              std::chrono::milliseconds(1));
            }
            const int timeout_ms = static_cast<int>(std::max<std::int64_t>(0, wait.count()));
            if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) break;
            if ((fds[0].revents & POLLIN) != 0) {
                std::uint64_t count = 0;
                (void)!::read(wake_fd_, &count, sizeof(count));
            }
            leaving.clear();
            const auto after = SteadyClock::now();
            for (std::size_t i = 0; i < watched.size(); ++i) {
                if (fds[i + 1].revents != 0 &&
                    head_arrival(watched[i].sock) == HeadArrival::kReady) {
                    leaving.emplace_back(watched[i].id, true);
                } else if (after >= watched[i].deadline) {
                    leaving.emplace_back(watched[i].id, false);
                }
            }
            if (leaving.empty()) continue;
            std::lock_guard lock(mutex_);
            for (const auto& [id, ready] : leaving) {
                const auto it = std::find_if(parked_.begin(), parked_.end(),
                                             [id = id](const Parked& p) { return p.id == id; });
                if (it == parked_.end()) continue;  // released meanwhile
                const int sock = it->sock;
                parked_.erase(it);
                if (ready) {
                    ready_(sock);
                } else {
                    expired_(sock);
                }
            }
        }
    }

    std::chrono::milliseconds timeout_;
    Handoff ready_;
    Handoff expired_;
    int wake_fd_ = -1;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;  // guards parked_, closed_, next_id_
    std::vector<Parked> parked_;
    bool closed_ = false;
    std::uint64_t next_id_ = 0;
    std::thread thread_;
};

namespace {

// The task queue handed to cpp-httplib: our WorkerPool, except that shutting
// it down first empties the HeadGate into it, so a parked connection is
// always either served or closed, and the gate never hands one to a pool
// that is gone.
class GatedQueue final : public httplib::TaskQueue {
public:
    GatedQueue(WorkerPool& pool, HeadGate& gate) : pool_(pool), gate_(gate) {}
    void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
    void shutdown() override {
        gate_.release_all();
        pool_.shutdown();
    }

private:
    WorkerPool& pool_;
    HeadGate& gate_;
};

}  // namespace

RequestState*& current_request() noexcept {
    thread_local RequestState* state = nullptr;
    return state;
}

HardenedServer::HardenedServer(const ServerOptions& options, metrics::Gauge& active_connections,
                               std::function<void(httplib::Request&)> setup_request,
                               RefuseHead refuse_head)
    : options_(options),
      active_connections_(active_connections),
      setup_request_(std::move(setup_request)),
      refuse_head_(std::move(refuse_head)) {
    gate_ = std::make_unique<HeadGate>(
        std::chrono::milliseconds(options_.read_timeout_ms),
        [this](int sock) {
            WorkerPool* pool = pool_.load();
            pool->enqueue([this, sock] { serve_connection(sock); });
        },
        [this](int sock) { close_unserved(sock); });
    new_task_queue = [this] {
        pool_owner_ =
            std::make_unique<WorkerPool>(std::max<std::size_t>(1, options_.worker_threads));
        pool_.store(pool_owner_.get());
        return new GatedQueue(*pool_owner_, *gate_);
    };
    // cpp-httplib's default also sets SO_REUSEPORT, which lets a second
    // process bind the same port and silently share its traffic.
    set_socket_options([](int sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    set_payload_max_length(options_.max_body_bytes);
    set_tcp_nodelay(options_.tcp_nodelay);
    set_keep_alive_max_count(std::max<std::size_t>(1, options_.keep_alive_max_count));
    // Only advertised in the Keep-Alive header; our loop enforces milliseconds.
    set_keep_alive_timeout(std::max<time_t>(1, options_.idle_timeout_ms / 1000));
}

HardenedServer::~HardenedServer() { gate_.reset(); }

bool HardenedServer::crowded() const noexcept {
    const auto* pool = pool_.load(std::memory_order_relaxed);
    return pool != nullptr && pool->waiting() > 0;
}

void HardenedServer::widen_backlog() noexcept {
    const int sock = svr_sock_.load();
    if (sock >= 0) ::listen(sock, SOMAXCONN);  // re-listening only updates the backlog
}

bool HardenedServer::wait_for_next_request(SocketStream& stream, bool first) const {
    if (stream.has_buffered()) return true;
    if (first) return stream.wait_readable(options_.read_timeout_ms);
    const auto idle_since = SteadyClock::now();
    const auto deadline = idle_since + std::chrono::milliseconds(options_.idle_timeout_ms);
    constexpr int kSliceMs = 50;
    while (true) {
        if (stream.wait_readable(0)) return true;
        if (draining()) return false;
        // New connections are queued for a thread: free this one once it
        // has been idle for a moment (closing an idle connection races with
        // a client that is just sending, as any idle timeout does).
        if (crowded() && SteadyClock::now() - idle_since >= kEvictIdleAfter) return false;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now())
                .count();
        if (left <= 0) return false;
        if (stream.wait_readable(static_cast<int>(std::min<long>(left, kSliceMs)))) return true;
    }
}

bool HardenedServer::check_head(SocketStream& stream, RequestState& state) const {
    HeadScanner scanner(HeadLimits{options_.max_header_bytes, options_.max_header_count});
    std::size_t scanned = 0;
    while (true) {
        const auto buffered = stream.buffered();
        const auto verdict = scanner.feed(buffered.substr(scanned));
        scanned = buffered.size();
        if (verdict.complete()) return true;
        if (verdict.rejected()) {
            state.rejection = Rejection{verdict.status,
                                        verdict.status == 431   ? "header_fields_too_large"
                                        : verdict.status == 414 ? "uri_too_long"
                                                                : "invalid_argument",
                                        std::string(verdict.reason)};
            state.close_after = true;
            return false;
        }
        // The scanner stops at the end of the head, so this reads at most
        // max_header_bytes plus one receive.
        if (stream.receive_more() <= 0) return true;
    }
}

bool HardenedServer::process_and_close_socket(int sock) {
    active_connections_.add(1);
    if (!draining() && head_arrival(sock) == HeadArrival::kWaiting && gate_->park(sock)) {
        return true;
    }
    return serve_connection(sock);
}

void HardenedServer::close_unserved(int sock) noexcept {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    active_connections_.add(-1);
}

bool HardenedServer::serve_connection(int sock) {
    if (options_.tcp_nodelay) {
        int one = 1;
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    SocketStream stream(sock, options_.write_timeout_ms);
    RequestState state;
    current_request() = &state;

    bool ok = true;
    bool linger = false;
    const auto max_requests = std::max<std::size_t>(1, options_.keep_alive_max_count);
    for (std::size_t served = 0; served < max_requests; ++served) {
        if (!wait_for_next_request(stream, served == 0)) break;
        const auto now = SteadyClock::now();
        state.reset(now);
        stream.begin_request(now + std::chrono::milliseconds(options_.read_timeout_ms),
                             options_.max_header_bytes + options_.max_body_bytes);
        // Every request of the connection, not only the first, is checked
        // before cpp-httplib parses it; nothing after a refused head is read.
        if (!check_head(stream, state)) {
            refuse_head_(stream, stream.buffered());
            linger = true;
            break;
        }
        // While connections wait for a thread, answer with "Connection: close"
        // so that busy keep-alive clients take turns without any race.
        const bool last = served + 1 == max_requests || draining() || crowded();
        bool connection_closed = false;
        ok = process_request(stream, last, connection_closed, setup_request_);
        if (state.close_after) linger = true;
        if (!ok || connection_closed || last || state.close_after) break;
    }
    current_request() = nullptr;

    if (linger) lingering_close_input(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    active_connections_.add(-1);
    return ok;
}

}  // namespace flightbook::http::detail
