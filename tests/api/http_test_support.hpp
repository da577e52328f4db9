#pragma once
// Helpers for black-box tests of flightbook::http::Server on 127.0.0.1:
// a server on a free port, a capturing log sink and a raw-socket client for
// requests no well-behaved client would send.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/http/client.hpp"
#include "flightbook/http/log.hpp"
#include "flightbook/http/server.hpp"

namespace flightbook::http::testing {

/// Keeps every log line in memory.
class CapturingSink final : public LogSink {
public:
    void write(std::string_view line) override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(line);
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// Options for a test server: any free port, small pool, short timeouts.
inline ServerOptions test_options() {
    ServerOptions o;
    o.service_name = "test-service";
    o.port = 0;
    o.worker_threads = 8;
    o.max_body_bytes = 1024;
    o.read_timeout_ms = 1000;
    o.write_timeout_ms = 1000;
    o.idle_timeout_ms = 1000;
    return o;
}

inline Client client_for(int port, int read_timeout_ms = 3000) {
    ClientOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port);
    o.read_timeout_ms = read_timeout_ms;
    auto c = Client::create(std::move(o));
    if (!c) throw std::runtime_error(c.error().message);
    return std::move(c).value();
}

/// A raw TCP connection to 127.0.0.1:port. Every wait is bounded.
class RawConnection {
public:
    explicit RawConnection(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;
    ~RawConnection() {
        if (fd_ >= 0) ::close(fd_);
    }

    bool connected() const { return connected_; }

    bool send_all(std::string_view data) {
        std::size_t done = 0;
        while (done < data.size()) {
            const auto n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    /// Reads until the peer closes or `timeout` passes; returns what arrived.
    std::string read_until_close(std::chrono::milliseconds timeout) {
        closed_ = false;
        return read_while([](const std::string&) { return true; }, timeout);
    }

    /// Reads until `needle` has arrived (or close/timeout).
    std::string read_until(std::string_view needle, std::chrono::milliseconds timeout) {
        return read_while(
            [needle](const std::string& out) { return out.find(needle) == std::string::npos; },
            timeout);
    }

    /// True when the last read saw the peer close the connection.
    bool peer_closed() const { return closed_; }

private:
    // Appends whatever arrives while `more(out)` holds, until close or timeout.
    template <typename More>
    std::string read_while(More more, std::chrono::milliseconds timeout) {
        std::string out;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (more(out)) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
            char buf[4096];
            const auto n = ::recv(fd_, buf, sizeof(buf), 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }

    int fd_ = -1;
    bool connected_ = false;
    bool closed_ = false;
};

/// The status code of a raw HTTP answer ("HTTP/1.1 413 …"), or 0.
inline int status_of(std::string_view raw) {
    if (raw.size() < 12 || !raw.starts_with("HTTP/1.")) return 0;
    return std::stoi(std::string(raw.substr(9, 3)));
}

/// The body of a raw HTTP answer (after the blank line).
inline std::string body_of(std::string_view raw) {
    const auto pos = raw.find("\r\n\r\n");
    return pos == std::string_view::npos ? std::string() : std::string(raw.substr(pos + 4));
}

/// The value of one series in Prometheus text, e.g.
/// `metric_value(text, R"(flightbook_holds_expired_total)")` or with labels
/// `metric_value(text, R"(x_total{outcome="repaired"})")`; -1 when absent.
/// Tests assert values: a series that exists after `inc(0)` proves nothing.
inline double metric_value(std::string_view text, std::string_view series) {
    std::size_t at = 0;
    while ((at = text.find(series, at)) != std::string_view::npos) {
        const bool line_start = at == 0 || text[at - 1] == '\n';
        const std::size_t after = at + series.size();
        if (line_start && after < text.size() && text[after] == ' ') {
            const auto end = text.find('\n', after);
            return std::stod(std::string(text.substr(after + 1, end - after - 1)));
        }
        at = after;
    }
    return -1;
}

}  // namespace flightbook::http::testing
