#pragma once
// A TCP forwarder on 127.0.0.1 for fault tests: a service pointed at the
// proxy instead of a shared server (PostgreSQL) loses that server when the
// proxy stops, and gets it back on the same port when it starts again,
// without the shared server being touched.

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "test_env.hpp"

namespace flightbook::testing {

/// Forwards every connection to 127.0.0.1:<proxy port> to
/// 127.0.0.1:<upstream port>. `stop()` closes the listening socket and every
/// forwarded connection (both sides): the service sees its connections drop
/// and new ones refused. Every wait inside is a poll with a short timeout, so
/// `stop()` returns promptly.
class TcpProxy {
public:
    explicit TcpProxy(int upstream_port) : upstream_port_(upstream_port), port_(free_port()) {
        start();
    }
    ~TcpProxy() { stop(); }
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;

    [[nodiscard]] int port() const { return port_; }

    /// Listens on the proxy's port (the same one after a `stop()`).
    void start() {
        REQUIRE(listen_fd_ < 0);
        stopping_ = false;
        // Close-on-exec everywhere: a service forked after this would
        // otherwise keep the listening socket open (and accepting into its
        // backlog) after stop().
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(listen_fd_ >= 0);
        const int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        const sockaddr_in addr = loopback(port_);
        REQUIRE_MESSAGE(
            ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0,
            "cannot bind the proxy to port " << port_);
        REQUIRE(::listen(listen_fd_, 64) == 0);
        acceptor_ = std::thread([this] { accept_loop(); });
    }

    /// Refuses new connections and cuts every forwarded one. Idempotent.
    void stop() {
        if (listen_fd_ < 0) return;
        stopping_ = true;
        acceptor_.join();
        ::close(listen_fd_);
        listen_fd_ = -1;
        std::vector<std::thread> pumps;
        {
            std::lock_guard lock(mutex_);
            for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
            pumps.swap(pumps_);
        }
        for (auto& t : pumps) t.join();
    }

    /// Connections forwarded so far.
    [[nodiscard]] int forwarded() const { return forwarded_.load(); }

private:
    static sockaddr_in loopback(int port) {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return addr;
    }

    void accept_loop() {
        while (!stopping_.load()) {
            pollfd p{listen_fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) continue;
            const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            const sockaddr_in addr = loopback(upstream_port_);
            if (upstream < 0 ||
                ::connect(upstream, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
                if (upstream >= 0) ::close(upstream);
                ::close(client);
                continue;
            }
            ++forwarded_;
            std::lock_guard lock(mutex_);
            open_fds_.insert(client);
            open_fds_.insert(upstream);
            pumps_.emplace_back([this, client, upstream] { pump(client, upstream); });
        }
    }

    // Copies bytes both ways until either side closes or the proxy stops.
    void pump(int a, int b) {
        char buffer[16 * 1024];
        bool open = true;
        while (open && !stopping_.load()) {
            pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
            if (::poll(p, 2, 50) <= 0) continue;
            for (int i = 0; i < 2 && open; ++i) {
                if ((p[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
                const int from = i == 0 ? a : b;
                const int to = i == 0 ? b : a;
                const auto n = ::recv(from, buffer, sizeof(buffer), 0);
                open = n > 0 && send_all(to, buffer, static_cast<std::size_t>(n));
            }
        }
        std::lock_guard lock(mutex_);
        open_fds_.erase(a);
        open_fds_.erase(b);
        ::close(a);
        ::close(b);
    }

    static bool send_all(int fd, const char* data, std::size_t size) {
        std::size_t done = 0;
        while (done < size) {
            const auto n = ::send(fd, data + done, size - done, MSG_NOSIGNAL);
            if (n <= 0) return false;
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    int upstream_port_;
    int port_;
    int listen_fd_ = -1;
    std::atomic<bool> stopping_{false};
    std::atomic<int> forwarded_{0};
    std::thread acceptor_;
    std::mutex mutex_;  // guards open_fds_ and pumps_
    std::set<int> open_fds_;
    std::vector<std::thread> pumps_;
};

/// The port of a libpq key=value DSN ("... port=5432 ..."), or 5432.
inline int dsn_port(const std::string& dsn) {
    int port = 5432;
    for (std::size_t at = dsn.find("port="); at != std::string::npos;
         at = dsn.find("port=", at + 5)) {
        if (at == 0 || dsn[at - 1] == ' ') port = std::stoi(dsn.substr(at + 5));
    }
    return port;
}

}  // namespace flightbook::testing
