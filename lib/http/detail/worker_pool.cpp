#include "detail/worker_pool.hpp"

namespace flightbook::http::detail {

WorkerPool::WorkerPool(std::size_t threads) {
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> fn) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(fn));
        waiting_.fetch_add(1, std::memory_order_relaxed);
    }
    cv_.notify_one();
}

void WorkerPool::shutdown() {
    {
        std::lock_guard lock(mutex_);
        if (shutdown_ && threads_.empty()) return;
        shutdown_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
}

void WorkerPool::run() {
    while (true) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // shut down and drained
            job = std::move(jobs_.front());
            jobs_.pop_front();
            waiting_.fetch_sub(1, std::memory_order_relaxed);
        }
        job();
    }
}

}  // namespace flightbook::http::detail
