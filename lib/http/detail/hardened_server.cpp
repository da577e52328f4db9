#include "detail/hardened_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

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
    new_task_queue = [this] {
        auto* pool = new WorkerPool(std::max<std::size_t>(1, options_.worker_threads));
        pool_.store(pool);
        return pool;
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
