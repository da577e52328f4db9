#include "detail/connection_gate.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string_view>

namespace flightbook::http::detail {
namespace {

// A head that has not arrived within this many bytes goes to a worker
// anyway (which applies max_header_bytes): the peek stays cheap and within
// what the kernel buffers for one connection.
constexpr std::size_t kPeekBytes = std::size_t{16} * 1024;

// The gate wakes at least this often to close connections at their
// deadline, so deadlines are kept to within this much; parking a connection
// then needs no wake-up of the gate thread (one system call less per park).
constexpr int kMaxWaitMs = 50;

// A socket holding part of a head stays readable: re-arming it at once would
// fire again at once and spin. Partial heads are re-armed on this tick, so a
// client sending a byte at a time costs at most one peek per tick.
constexpr auto kRearmTick = std::chrono::milliseconds(10);

constexpr std::uint64_t kWakeId = 0;

}  // namespace

HeadArrival head_arrival(int sock) noexcept {
    thread_local char buffer[kPeekBytes];
    ssize_t n = 0;
    do {
        n = ::recv(sock, buffer, sizeof(buffer), MSG_PEEK | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK ? HeadArrival::kNothing
                                                       : HeadArrival::kReady;
    }
    if (n == 0 || static_cast<std::size_t>(n) >= sizeof(buffer)) return HeadArrival::kReady;
    // A head ends at the first empty line; "\n\n" counts too, so that a head
    // the strict check refuses is refused at once.
    const std::string_view seen(buffer, static_cast<std::size_t>(n));
    return seen.find("\n\r\n") != std::string_view::npos ||
                   seen.find("\n\n") != std::string_view::npos
               ? HeadArrival::kReady
               : HeadArrival::kPartial;
}

ConnectionGate::ConnectionGate(std::size_t max_parked, std::chrono::milliseconds read_timeout,
                               Handoff ready, Handoff expired)
    : max_parked_(max_parked),
      read_timeout_(read_timeout),
      ready_(std::move(ready)),
      expired_(std::move(expired)) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd_ < 0 || wake_fd_ < 0) return;  // park() then always refuses
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) return;
    closed_ = false;
    thread_ = std::thread([this] { run(); });
}

ConnectionGate::~ConnectionGate() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake();
    if (thread_.joinable()) thread_.join();
    {
        std::lock_guard lock(mutex_);
        while (!parked_.empty()) expired_(take(parked_.begin()));
    }
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

bool ConnectionGate::arm(int sock, std::uint64_t id) const noexcept {
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    ev.data.u64 = id;
    // A socket parked before stays in the epoll set, disarmed, while a worker
    // serves it (closing it removes it), so re-parking is one MOD. ENOENT:
    // first park of this connection.
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, sock, &ev) == 0) return true;
    return errno == ENOENT && ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, sock, &ev) == 0;
}

bool ConnectionGate::park(const Connection& conn, SteadyClock::time_point deadline) {
    std::lock_guard lock(mutex_);
    if (closed_ || stop_ || parked_.size() >= max_parked_) return false;
    const std::uint64_t id = next_id_++;
    parked_.emplace(id, Entry{conn, deadline, false});
    deadlines_.emplace(deadline, id);
    // Armed under the mutex: an event that fires at once waits for it and
    // then finds the entry.
    if (!arm(conn.sock, id)) {
        (void)take(parked_.find(id));
        return false;
    }
    return true;
}

void ConnectionGate::release_all() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    while (!parked_.empty()) ready_(take(parked_.begin()));
}

std::size_t ConnectionGate::parked() const {
    std::lock_guard lock(mutex_);
    return parked_.size();
}

Connection ConnectionGate::take(std::unordered_map<std::uint64_t, Entry>::iterator it) {
    Connection conn = it->second.conn;
    deadlines_.erase({it->second.deadline, it->first});
    rearm_.erase(it->first);
    parked_.erase(it);
    return conn;
}

void ConnectionGate::wake() noexcept {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof(one));
}

int ConnectionGate::wait_ms(SteadyClock::time_point now) const {
    auto wait = std::chrono::milliseconds(kMaxWaitMs);
    const auto until = [&](SteadyClock::time_point t) {
        return std::chrono::ceil<std::chrono::milliseconds>(t - now);
    };
    if (!deadlines_.empty()) wait = std::min(wait, until(deadlines_.begin()->first));
    if (!rearm_.empty()) wait = std::min(wait, until(next_rearm_));
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, wait.count()));
}

void ConnectionGate::run() {
    std::array<epoll_event, 256> events{};
    while (true) {
        int timeout_ms = 0;
        {
            std::lock_guard lock(mutex_);
            if (stop_) return;
            timeout_ms = wait_ms(SteadyClock::now());
        }
        const int n =
            ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), timeout_ms);
        if (n < 0 && errno != EINTR) {
            // A broken epoll set cannot watch anything: the workers take
            // every parked connection back and wait on them themselves.
            release_all();
            return;
        }
        const auto now = SteadyClock::now();
        // Everything below runs under the mutex, the peeks too: a connection
        // that release_all() hands to a worker may be closed there at once
        // and its fd number reused, so no system call on a parked socket may
        // run unless the socket is still parked (and the mutex orders the
        // gate's use of the fd before the worker's close for the sanitizers).
        // A peek is one recv(MSG_PEEK) of a few hundred bytes.
        std::lock_guard lock(mutex_);
        for (int i = 0; i < n; ++i) {
            const std::uint64_t id = events[static_cast<std::size_t>(i)].data.u64;
            if (id == kWakeId) {
                std::uint64_t count = 0;
                (void)!::read(wake_fd_, &count, sizeof(count));
                continue;
            }
            const auto it = parked_.find(id);
            if (it == parked_.end()) continue;  // left meanwhile (released on stop)
            const HeadArrival arrival = head_arrival(it->second.conn.sock);
            Entry& entry = it->second;
            if (arrival == HeadArrival::kReady) {
                Connection conn = take(it);
                conn.head_ready = true;
                ready_(conn);
                continue;
            }
            if (arrival == HeadArrival::kPartial && !entry.partial) {
                // The next request has begun: its whole-request deadline
                // (read_timeout_ms from its first byte) replaces the idle one.
                entry.partial = true;
                entry.conn.request_started = now;
                entry.conn.request_started_known = true;
                const auto deadline = entry.conn.served == 0
                                          ? std::min(entry.deadline, now + read_timeout_)
                                          : now + read_timeout_;
                deadlines_.erase({entry.deadline, id});
                entry.deadline = deadline;
                deadlines_.emplace(deadline, id);
            }
            if (arrival == HeadArrival::kPartial) {
                if (rearm_.empty()) next_rearm_ = now + kRearmTick;
                rearm_.insert(id);
            } else if (!arm(entry.conn.sock, id)) {
                expired_(take(it));  // cannot watch it any more
            }
        }
        while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
            expired_(take(parked_.find(deadlines_.begin()->second)));
        }
        if (!rearm_.empty() && now >= next_rearm_) {
            for (auto id_it = rearm_.begin(); id_it != rearm_.end();) {
                const auto it = parked_.find(*id_it);
                id_it = rearm_.erase(id_it);
                if (it != parked_.end() && !arm(it->second.conn.sock, it->first)) {
                    expired_(take(it));
                }
            }
        }
    }
}

}  // namespace flightbook::http::detail
