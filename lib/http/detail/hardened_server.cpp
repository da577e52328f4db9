#include "detail/hardened_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "detail/connection_gate.hpp"
#include "detail/connection_state.hpp"
#include "detail/request_head.hpp"
#include "detail/socket_stream.hpp"

namespace flightbook::http::detail {
namespace {

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

// Waits up to `timeout` for `sock` to become readable; poll() would round
// the fast path's sub-millisecond wait to whole milliseconds.
bool wait_readable_for(int sock, std::chrono::microseconds timeout) noexcept {
    pollfd p{sock, POLLIN, 0};
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    const timespec ts{static_cast<time_t>(ns / 1'000'000'000),
                      static_cast<long>(ns % 1'000'000'000)};
    return ::ppoll(&p, 1, &ts, nullptr) > 0;
}

// The task queue handed to cpp-httplib: our WorkerPool, except that shutting
// it down first empties the ConnectionGate into it, so a parked connection is
// always either served or closed, and the gate never hands one to a pool
// that is gone.
class GatedQueue final : public httplib::TaskQueue {
public:
    GatedQueue(WorkerPool& pool, ConnectionGate& gate) : pool_(pool), gate_(gate) {}
    void enqueue(std::function<void()> fn) override { pool_.enqueue(std::move(fn)); }
    void shutdown() override {
        gate_.release_all();
        pool_.shutdown();
    }

private:
    WorkerPool& pool_;
    ConnectionGate& gate_;
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
      refuse_head_(std::move(refuse_head)),
      park_(options.park_idle_connections),
      keep_alive_wait_(std::max(0, options.keep_alive_wait_us)) {
    gate_ = std::make_unique<ConnectionGate>(
        std::max<std::size_t>(1, options_.max_parked_connections),
        std::chrono::milliseconds(options_.read_timeout_ms),
        [this](Connection conn) {
            WorkerPool* pool = pool_.load();
            pool->enqueue([this, conn] { serve_connection(conn); });
        },
        [this](Connection conn) { close_unserved(conn.sock); });
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

std::size_t HardenedServer::parked_connections() const { return gate_->parked(); }

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

HardenedServer::Next HardenedServer::next_request(SocketStream& stream, Connection& conn) const {
    if (stream.has_buffered() || conn.head_ready) return Next::kServe;
    if (conn.served == 0) {
        // Draining (parked connections are handed back by stop(), new ones
        // are not parked any more): a connection without a whole head has no
        // request to finish, and waiting read_timeout_ms for it would hold
        // stop() that long.
        if (draining()) {
            return head_arrival(conn.sock) == HeadArrival::kReady ? Next::kServe : Next::kClose;
        }
        // A new connection that the gate did not take (full).
        return stream.wait_readable(options_.read_timeout_ms) ? Next::kServe : Next::kClose;
    }
    if (!park_) {
        return wait_for_next_request(stream, false) ? Next::kServe : Next::kClose;
    }
    if (draining()) {
        return head_arrival(conn.sock) == HeadArrival::kReady ? Next::kServe : Next::kClose;
    }
    // The fast path: a client that answers at once (a benchmark, a pipeline
    // of calls) is served on without a round trip through the gate, but only
    // while no other connection waits for a worker.
    if (keep_alive_wait_.count() > 0 && !crowded())
        (void)wait_readable_for(conn.sock, keep_alive_wait_);
    const auto arrival = head_arrival(conn.sock);
    if (arrival == HeadArrival::kReady) return Next::kServe;
    const auto now = SteadyClock::now();
    auto deadline = now + std::chrono::milliseconds(options_.idle_timeout_ms);
    if (arrival == HeadArrival::kPartial) {
        // The next request has begun and arrives slowly: it is parked too,
        // under its whole-request deadline.
        conn.request_started = now;
        conn.request_started_known = true;
        deadline = now + std::chrono::milliseconds(options_.read_timeout_ms);
    }
    if (gate_->park(conn, deadline)) return Next::kParked;
    // The gate is full or closed: wait here, as before the gate existed.
    conn.request_started_known = false;
    return wait_for_next_request(stream, false) ? Next::kServe : Next::kClose;
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
    Connection conn;
    conn.sock = sock;
    if (!draining()) {
        const auto accepted = SteadyClock::now();
        const auto arrival = head_arrival(sock);
        if (arrival == HeadArrival::kReady) {
            conn.head_ready = true;
        } else {
            if (arrival == HeadArrival::kPartial) {
                conn.request_started = accepted;
                conn.request_started_known = true;
            }
            if (gate_->park(conn, accepted + std::chrono::milliseconds(options_.read_timeout_ms))) {
                return true;
            }
            conn.request_started_known = false;
        }
    }
    return serve_connection(conn);
}

void HardenedServer::close_unserved(int sock) noexcept {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    active_connections_.add(-1);
}

bool HardenedServer::serve_connection(Connection conn) {
    const int sock = conn.sock;
    if (options_.tcp_nodelay && !conn.configured) {
        int one = 1;
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    conn.configured = true;
    SocketStream stream(sock, options_.write_timeout_ms);
    RequestState state;
    current_request() = &state;

    bool ok = true;
    bool linger = false;
    bool parked = false;
    const auto max_requests = std::max<std::size_t>(1, options_.keep_alive_max_count);
    while (conn.served < max_requests) {
        const Next next = next_request(stream, conn);
        if (next == Next::kParked) {
            parked = true;  // the gate owns the socket now: do not touch it
            break;
        }
        if (next == Next::kClose) break;
        const auto now = SteadyClock::now();
        const auto started = conn.request_started_known ? conn.request_started : now;
        conn.request_started_known = false;
        conn.head_ready = false;
        state.reset(now);
        stream.begin_request(started + std::chrono::milliseconds(options_.read_timeout_ms),
                             options_.max_header_bytes + options_.max_body_bytes);
        // Every request of the connection, not only the first, is checked
        // before cpp-httplib parses it; nothing after a refused head is read.
        if (!check_head(stream, state)) {
            refuse_head_(stream, stream.buffered());
            linger = true;
            break;
        }
        // Without parking, while connections wait for a thread, answer with
        // "Connection: close" so that busy keep-alive clients take turns
        // without any race. With parking they take turns through the gate.
        const bool last = conn.served + 1 == max_requests || draining() || (!park_ && crowded());
        bool connection_closed = false;
        ok = process_request(stream, last, connection_closed, setup_request_);
        ++conn.served;
        if (state.close_after) linger = true;
        if (!ok || connection_closed || last || state.close_after) break;
    }
    current_request() = nullptr;
    if (parked) return true;

    if (linger) lingering_close_input(sock);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    active_connections_.add(-1);
    return ok;
}

}  // namespace flightbook::http::detail
