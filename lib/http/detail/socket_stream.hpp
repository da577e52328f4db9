#pragma once
// Private: the byte stream cpp-httplib reads requests from and writes answers
// to, with the limits its own SocketStream lacks: a deadline for a whole
// request, a byte budget per request, and complete writes under a deadline.
// Received bytes are buffered, and the server may look at them (a request
// head) before cpp-httplib reads them.

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

    /// The bytes received but not yet read.
    [[nodiscard]] std::string_view buffered() const noexcept {
        return {buffer_.data() + begin_, end_ - begin_};
    }

    /// Receives more bytes and appends them to `buffered()` without reading
    /// them, waiting until the request deadline at most. Returns the count
    /// received, 0 at end of stream, -1 on error or when the deadline passed.
    /// The buffer grows with what is received: bound it by the caller.
    ssize_t receive_more();

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
    static constexpr std::size_t kReceiveBytes = 4096;

    [[nodiscard]] int remaining_read_ms() const noexcept;
    /// recv() into buffer_[end_, size()), waiting for bytes until the read
    /// deadline at most; retries on EINTR. -1 also when the deadline passed.
    ssize_t receive_into_tail() noexcept;

    int fd_;
    int write_timeout_ms_;
    Clock::time_point read_deadline_;
    std::size_t byte_budget_ = 0;
    std::vector<char> buffer_ = std::vector<char>(kReceiveBytes);
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

}  // namespace flightbook::http::detail
