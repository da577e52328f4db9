#pragma once
// Measuring instruments for the fault scenarios (tests/stress/
// fault_scenarios_test.cpp): per-operation latencies with percentiles, a tally
// of answers by class, and a crowd of slow clients that send a request head a
// byte at a time over raw sockets. Every wait is bounded.

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "flightbook/http/client.hpp"

namespace flightbook::testing {

/// True in the AddressSanitizer and ThreadSanitizer builds, where everything
/// runs several times slower: scenarios shrink their counts and widen their
/// latency bounds there (the bounds say so where they are used).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

/// Latencies of one kind of operation, thread-safe.
class LatencyLog {
public:
    void add(std::chrono::steady_clock::duration d) {
        const double ms = std::chrono::duration<double, std::milli>(d).count();
        std::lock_guard lock(mutex_);
        ms_.push_back(ms);
    }
    [[nodiscard]] std::size_t count() const {
        std::lock_guard lock(mutex_);
        return ms_.size();
    }
    /// The `p`-th percentile (0..100, nearest rank), 0 when empty.
    [[nodiscard]] double percentile(double p) const {
        std::lock_guard lock(mutex_);
        if (ms_.empty()) return 0;
        std::vector<double> sorted = ms_;
        std::sort(sorted.begin(), sorted.end());
        const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()));
        return sorted[std::min(rank, sorted.size() - 1)];
    }
    [[nodiscard]] double max() const { return percentile(100); }
    /// "n=200 p50=1.2 p90=2.0 p99=3.1 max=4.0 ms", for the test's output.
    [[nodiscard]] std::string summary() const {
        char text[160];
        std::snprintf(text, sizeof(text), "n=%zu p50=%.1f p90=%.1f p99=%.1f max=%.1f ms", count(),
                      percentile(50), percentile(90), percentile(99), max());
        return text;
    }

private:
    mutable std::mutex mutex_;
    std::vector<double> ms_;
};

/// Answers counted by class: an HTTP status, or "transport" when no answer
/// came (refused, reset, timed out) — nothing goes uncounted.
class Tally {
public:
    void add(const Result<http::ClientResponse>& r) {
        std::lock_guard lock(mutex_);
        ++total_;
        if (r) {
            ++by_status_[r->status];
        } else {
            ++transport_;
        }
    }
    [[nodiscard]] int total() const {
        std::lock_guard lock(mutex_);
        return total_;
    }
    [[nodiscard]] int status(int code) const {
        std::lock_guard lock(mutex_);
        const auto it = by_status_.find(code);
        return it == by_status_.end() ? 0 : it->second;
    }
    [[nodiscard]] int transport() const {
        std::lock_guard lock(mutex_);
        return transport_;
    }
    /// Answers with a status in [lo, hi].
    [[nodiscard]] int in_range(int lo, int hi) const {
        std::lock_guard lock(mutex_);
        int n = 0;
        for (const auto& [code, count] : by_status_) {
            if (code >= lo && code <= hi) n += count;
        }
        return n;
    }
    /// "200:12 202:1 503:4 transport:0".
    [[nodiscard]] std::string summary() const {
        std::lock_guard lock(mutex_);
        std::string s;
        for (const auto& [code, count] : by_status_) {
            s += std::to_string(code) + ":" + std::to_string(count) + " ";
        }
        return s + "transport:" + std::to_string(transport_);
    }

private:
    mutable std::mutex mutex_;
    std::map<int, int> by_status_;
    int transport_ = 0;
    int total_ = 0;
};

/// Runs `fn()` and records how long it took in `log`; returns its result.
template <typename Fn>
auto timed(LatencyLog& log, Fn&& fn) {
    const auto start = std::chrono::steady_clock::now();
    auto r = fn();
    log.add(std::chrono::steady_clock::now() - start);
    return r;
}

/// `count` clients per port that each send a request head one byte at a
/// time, a byte every `gap` to every connection in turn, and never finish it.
/// A connection the server closes is opened again, so the pressure stays on
/// for as long as the crowd lives. One thread drives every socket.
class SlowClients {
public:
    SlowClients(std::vector<int> ports, int count, std::chrono::milliseconds gap)
        : ports_(std::move(ports)), gap_(gap) {
        for (int port : ports_) {
            for (int i = 0; i < count; ++i) conns_.push_back(Conn{port, -1, 0});
        }
        for (Conn& c : conns_) open(c);
        driver_ = std::thread([this] { drive(); });
    }
    ~SlowClients() {
        stop_ = true;
        driver_.join();
        for (Conn& c : conns_) {
            if (c.fd >= 0) ::close(c.fd);
        }
    }
    SlowClients(const SlowClients&) = delete;
    SlowClients& operator=(const SlowClients&) = delete;

    /// Bytes sent so far, over every connection.
    [[nodiscard]] std::int64_t bytes_sent() const { return bytes_.load(); }
    /// Times a connection was found closed by the server and opened again.
    [[nodiscard]] int reopened() const { return reopened_.load(); }
    /// Connections currently open.
    [[nodiscard]] int open_now() const { return open_.load(); }

private:
    struct Conn {
        int port;
        int fd;
        std::size_t at;  // next byte of kHead to send
    };

    // A valid, ever-growing head: the request line, then one header field
    // value that never ends (the server's header limit is far away).
    static char byte_at(std::size_t i) {
        static constexpr std::string_view kStart =
            "POST /api/bookings HTTP/1.1\r\nHost: slow\r\nX-Slow: ";
        return i < kStart.size() ? kStart[i] : 'a';
    }

    void open(Conn& c) {
        c.at = 0;
        c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c.fd < 0) return;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(c.port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        // Non-blocking: on loopback the handshake completes at once or is
        // seen as a failed send below (then the connection is opened again).
        (void)::connect(c.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
        ++open_;
    }

    void close_conn(Conn& c) {
        ::close(c.fd);
        c.fd = -1;
        --open_;
    }

    // True if the server closed the connection (EOF or reset); drains
    // whatever it answered.
    static bool peer_closed(int fd) {
        char sink[512];
        for (int i = 0; i < 64; ++i) {
            const auto n = ::recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
            if (n == 0) return true;
            if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
        }
        return false;
    }

    void drive() {
        while (!stop_.load()) {
            for (Conn& c : conns_) {
                if (stop_.load()) break;
                if (c.fd >= 0 && peer_closed(c.fd)) {
                    close_conn(c);
                    ++reopened_;
                }
                if (c.fd < 0) open(c);
                if (c.fd < 0) continue;
                const char b = byte_at(c.at);
                const auto n = ::send(c.fd, &b, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n == 1) {
                    ++c.at;
                    ++bytes_;
                } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINPROGRESS) {
                    close_conn(c);
                    ++reopened_;
                }
            }
            // Bounded sleep in slices so that the destructor returns promptly.
            const auto until = std::chrono::steady_clock::now() + gap_;
            while (!stop_.load() && std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        }
    }

    std::vector<int> ports_;
    std::chrono::milliseconds gap_;
    std::vector<Conn> conns_;
    std::thread driver_;
    std::atomic<bool> stop_{false};
    std::atomic<std::int64_t> bytes_{0};
    std::atomic<int> reopened_{0};
    std::atomic<int> open_{0};
};

}  // namespace flightbook::testing
