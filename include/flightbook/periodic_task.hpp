#pragma once
/// \file
/// `PeriodicTask`: runs a function on a background thread every interval
/// until stopped (schedule reloads, housekeeping).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace flightbook {

/// A background thread that calls `fn` every `interval` (first call after
/// one interval). `stop()` wakes the thread at once and joins it; a call in
/// progress finishes first. `fn` must not throw (an exception terminates, as
/// for any thread). Thread-safe: start/stop may be called from any thread.
class PeriodicTask {
public:
    PeriodicTask(std::chrono::milliseconds interval, std::function<void()> fn);
    /// Stops and joins.
    ~PeriodicTask();
    PeriodicTask(const PeriodicTask&) = delete;
    PeriodicTask& operator=(const PeriodicTask&) = delete;

    /// Starts the thread (no-op if running).
    void start();
    /// Stops and joins the thread; returns promptly. Idempotent.
    void stop();

private:
    void run();

    std::chrono::milliseconds interval_;
    std::function<void()> fn_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace flightbook
