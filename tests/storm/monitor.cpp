#include "monitor.hpp"

#include <chrono>
#include <utility>

namespace flightbook::storm {

Monitor::Monitor(SystemReader& reader, std::vector<std::int64_t> flights, int interval_ms,
                 const History& clock)
    : reader_(reader), flights_(std::move(flights)), interval_ms_(interval_ms), clock_(clock) {
    thread_ = std::thread([this] { loop(); });
}

Monitor::~Monitor() { stop(); }

void Monitor::stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

std::vector<SeatSample> Monitor::samples() const {
    std::lock_guard lock(mutex_);
    return samples_;
}

void Monitor::loop() {
    while (!stop_.load()) {
        std::vector<SeatSample> got;
        auto pg = reader_.postgres_seats(flights_, clock_.now_ns());
        if (pg) {
            got.insert(got.end(), pg->begin(), pg->end());
        } else {
            ++failed_reads_;
        }
        auto redis = reader_.redis_seats(flights_, clock_.now_ns());
        if (redis) {
            got.insert(got.end(), redis->begin(), redis->end());
        } else {
            ++failed_reads_;
        }
        auto api = reader_.api_seats(flights_, clock_.now_ns());
        got.insert(got.end(), api.begin(), api.end());
        ++reads_;
        {
            std::lock_guard lock(mutex_);
            samples_.insert(samples_.end(), got.begin(), got.end());
        }
        // Sleep in short slices so that stop() is prompt.
        for (int waited = 0; waited < interval_ms_ && !stop_.load(); waited += 10) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
}

}  // namespace flightbook::storm
