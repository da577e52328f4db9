#pragma once
// A thread that reads the seat counts of the storm's flights every few
// hundred milliseconds, from PostgreSQL (the truth), Redis (the counters) and
// flight-service's API, and keeps every read for the checker.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "history.hpp"
#include "reader.hpp"
#include "state.hpp"

namespace flightbook::storm {

class Monitor {
public:
    /// Starts reading at once; `reader` is used by the monitor thread only
    /// until stop().
    Monitor(SystemReader& reader, std::vector<std::int64_t> flights, int interval_ms,
            const History& clock);
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    /// Ends the thread (after at most one read and one interval).
    void stop();
    [[nodiscard]] std::vector<SeatSample> samples() const;
    /// Reads that failed (a dependency down or slow): counted, not judged.
    [[nodiscard]] int failed_reads() const { return failed_reads_.load(); }
    [[nodiscard]] int reads() const { return reads_.load(); }

private:
    void loop();

    SystemReader& reader_;
    std::vector<std::int64_t> flights_;
    int interval_ms_;
    const History& clock_;
    std::atomic<bool> stop_{false};
    std::atomic<int> failed_reads_{0};
    std::atomic<int> reads_{0};
    mutable std::mutex mutex_;
    std::vector<SeatSample> samples_;
    std::thread thread_;
};

}  // namespace flightbook::storm
