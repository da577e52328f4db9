#include "detail/socket_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace flightbook::http::detail {
namespace {

int poll_for(int fd, short events, int timeout_ms) noexcept {
    pollfd p{fd, events, 0};
    while (true) {
        const int rc = ::poll(&p, 1, std::max(0, timeout_ms));
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) return rc;
        // A hang-up with unread data still counts as readable.
        return (p.revents & (events | POLLHUP | POLLERR)) != 0 ? 1 : 0;
    }
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, &addr, sizeof(in));
        ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
        port = ntohs(in.sin_port);
    } else if (addr.ss_family == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, &addr, sizeof(in6));
        ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
        port = ntohs(in6.sin6_port);
    }
    ip = text;
}

}  // namespace

SocketStream::SocketStream(int fd, int write_timeout_ms)
    : fd_(fd), write_timeout_ms_(write_timeout_ms), read_deadline_(Clock::now()) {}

void SocketStream::begin_request(Clock::time_point deadline, std::size_t byte_budget) noexcept {
    read_deadline_ = deadline;
    byte_budget_ = byte_budget;
}

int SocketStream::remaining_read_ms() const noexcept {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(read_deadline_ - Clock::now());
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

bool SocketStream::wait_readable(int timeout_ms) const noexcept {
    return has_buffered() || poll_for(fd_, POLLIN, timeout_ms) > 0;
}

bool SocketStream::is_readable() const {
    return has_buffered() || poll_for(fd_, POLLIN, remaining_read_ms()) > 0;
}

bool SocketStream::is_writable() const { return poll_for(fd_, POLLOUT, write_timeout_ms_) > 0; }

ssize_t SocketStream::receive_into_tail() noexcept {
    // Tried without waiting first: a request's bytes are usually there
    // already (the server peeked at the head before serving it), and on a
    // virtual machine every system call counts. poll() only when they are not.
    // A passed deadline still ends the wait: poll() then gets 0 ms.
    for (bool waited = false;; waited = true) {
        ssize_t n = 0;
        do {
            n = ::recv(fd_, buffer_.data() + end_, buffer_.size() - end_, MSG_DONTWAIT);
        } while (n < 0 && errno == EINTR);
        if (n > 0) end_ += static_cast<std::size_t>(n);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return n;
        if (waited && remaining_read_ms() == 0) return -1;
        if (poll_for(fd_, POLLIN, remaining_read_ms()) <= 0) return -1;  // deadline passed
    }
}

ssize_t SocketStream::receive_more() {
    if (begin_ == end_) begin_ = end_ = 0;
    if (buffer_.size() - end_ < kReceiveBytes) {
        if (begin_ > 0) {
            // Move the unread bytes to the front before growing.
            std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
            end_ -= begin_;
            begin_ = 0;
        }
        if (buffer_.size() - end_ < kReceiveBytes) buffer_.resize(end_ + kReceiveBytes);
    }
    return receive_into_tail();
}

ssize_t SocketStream::read(char* ptr, std::size_t size) {
    if (byte_budget_ == 0) return -1;  // request larger than allowed
    if (!has_buffered()) {
        begin_ = end_ = 0;
        const ssize_t n = receive_into_tail();
        if (n <= 0) return n;
    }
    const std::size_t count = std::min({size, end_ - begin_, byte_budget_});
    std::memcpy(ptr, buffer_.data() + begin_, count);
    begin_ += count;
    byte_budget_ -= count;
    return static_cast<ssize_t>(count);
}

ssize_t SocketStream::write(const char* ptr, std::size_t size) {
    // cpp-httplib sometimes ignores short writes; always write everything.
    const auto deadline = Clock::now() + std::chrono::milliseconds(write_timeout_ms_);
    std::size_t done = 0;
    while (done < size) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (poll_for(fd_, POLLOUT, static_cast<int>(std::max<long>(0, left.count()))) <= 0) {
            return -1;
        }
        const ssize_t n = ::send(fd_, ptr + done, size - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return -1;
        }
        done += static_cast<std::size_t>(n);
    }
    return static_cast<ssize_t>(done);
}

void SocketStream::get_remote_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        address_of(addr, ip, port);
    }
}

void SocketStream::get_local_ip_and_port(std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        address_of(addr, ip, port);
    }
}

}  // namespace flightbook::http::detail
