#pragma once
/// \file
/// Graceful shutdown on SIGTERM/SIGINT without signal handlers: the signals
/// are blocked and collected synchronously with sigtimedwait(), so nothing
/// runs in signal context.

#include <atomic>
#include <csignal>
#include <functional>

#include "flightbook/http/log.hpp"
#include "flightbook/http/server.hpp"

namespace flightbook::app {

/// Blocks SIGTERM and SIGINT in the constructing thread and ignores SIGPIPE.
/// Construct it first in main(), before any thread starts, so that every
/// thread inherits the mask and the signals can only be taken by `wait()`.
/// The destructor restores the previous mask.
class ShutdownSignals {
public:
    ShutdownSignals();
    ShutdownSignals(const ShutdownSignals&) = delete;
    ShutdownSignals& operator=(const ShutdownSignals&) = delete;
    ~ShutdownSignals();

    /// Blocks until SIGTERM or SIGINT arrives (returns its number) or
    /// `request_stop()` is called (returns 0). Call from one thread.
    int wait();

    /// Wakes `wait()` as if a signal had arrived. Thread-safe.
    void request_stop() noexcept { stop_requested_.store(true); }

private:
    sigset_t previous_mask_{};
    std::atomic<bool> stop_requested_{false};
};

/// Starts `server`, calls `on_started(port)`, waits for a shutdown signal,
/// stops the server (draining) and returns the exit code for main(): 0 after
/// a clean stop, 1 when the server could not start. Logs with `logger`.
[[nodiscard]] int serve_until_signal(http::Server& server, ShutdownSignals& signals,
                                     const http::Logger& logger,
                                     const std::function<void(int port)>& on_started = {});

}  // namespace flightbook::app
