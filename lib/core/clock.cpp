#include "flightbook/clock.hpp"

namespace flightbook {

UtcTime SystemClock::now() const {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::chrono::steady_clock::time_point SystemClock::steady_now() const {
    return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point SystemClock::precise_now() const {
    return std::chrono::system_clock::now();
}

const SystemClock& SystemClock::instance() {
    static const SystemClock clock;
    return clock;
}

ManualClock::ManualClock(UtcTime start) : unix_seconds_(to_unix_seconds(start)) {}

UtcTime ManualClock::now() const { return from_unix_seconds(unix_seconds_.load()); }

std::chrono::steady_clock::time_point ManualClock::steady_now() const {
    return std::chrono::steady_clock::time_point{std::chrono::seconds{steady_seconds_.load()}};
}

void ManualClock::advance(std::chrono::seconds d) {
    if (d.count() < 0) return;
    unix_seconds_ += d.count();
    steady_seconds_ += d.count();
}

void ManualClock::set(UtcTime t) {
    const std::int64_t next = to_unix_seconds(t);
    const std::int64_t prev = unix_seconds_.exchange(next);
    if (next > prev) steady_seconds_ += next - prev;
}

}  // namespace flightbook
