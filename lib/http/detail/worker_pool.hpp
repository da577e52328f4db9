#pragma once
// Private: the task queue cpp-httplib hands accepted connections to, and the
// ConnectionGate connections whose next request has arrived. Like
// httplib::ThreadPool, sized from configuration, but it also reports how many
// connections wait for a thread: a worker then parks its connection at once
// instead of waiting on it for a moment (or, with parking off, idle
// keep-alive connections make room).

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace flightbook::http::detail {

class WorkerPool final : public httplib::TaskQueue {
public:
    explicit WorkerPool(std::size_t threads);
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool() override;

    void enqueue(std::function<void()> fn) override;
    /// Runs every queued task, then joins the threads.
    void shutdown() override;

    /// Tasks waiting for a thread.
    [[nodiscard]] std::size_t waiting() const noexcept {
        return waiting_.load(std::memory_order_relaxed);
    }

private:
    void run();

    std::vector<std::thread> threads_;
    std::deque<std::function<void()>> jobs_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::atomic<std::size_t> waiting_{0};
    bool shutdown_ = false;
};

}  // namespace flightbook::http::detail
