#pragma once
// Private: the byte stream cpp-httplib reads requests from and writes answers
// to, with the limits its own SocketStream lacks: a deadline for a whole
// request, a byte budget per request, and complete writes under a deadline.

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>

namespace flightbook::http::detail {

class SocketStream final : public httplib::Stream {
public:
    using Clock = std::chrono::steady_clock;

    SocketStream(int fd, int write_timeout_ms);

    /// Starts a new request: reads must finish by `deadline` and may deliver
    /// at most `byte_budget` bytes.
    void begin_request(Clock::time_point deadline, std::size_t byte_budget) noexcept;

    /// Bytes already received but not yet consumed (pipelined requests).
    [[nodiscard]] bool has_buffered() const noexcept { return begin_ < end_; }

    /// Waits up to `timeout_ms` for the socket to become readable.
    [[nodiscard]] bool wait_readable(int timeout_ms) const noexcept;

    bool is_readable() const override;
    bool is_writable() const override;
    ssize_t read(char* ptr, std::size_t size) override;
    ssize_t write(const char* ptr, std::size_t size) override;
    void get_remote_ip_and_port(std::string& ip, int& port) const override;
    void get_local_ip_and_port(std::string& ip, int& port) const override;
    int socket() const override { return fd_; }

private:
    [[nodiscard]] int remaining_read_ms() const noexcept;

    int fd_;
    int write_timeout_ms_;
    Clock::time_point read_deadline_;
    std::size_t byte_budget_ = 0;
    std::array<char, 4096> buffer_{};
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

}  // namespace flightbook::http::detail
