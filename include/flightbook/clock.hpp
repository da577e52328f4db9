#pragma once
/// \file
/// The `Clock` port. Core code never calls `now()` on a std clock directly, so
/// expiry and TTLs are testable with `ManualClock`.

#include <atomic>
#include <chrono>

#include "flightbook/time.hpp"

namespace flightbook {

/// Source of the current time. Implementations are thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    /// Wall-clock time (UTC), for timestamps and expiry that outlive a process.
    [[nodiscard]] virtual UtcTime now() const = 0;
    /// Monotonic time, for latencies and timeouts inside one process.
    [[nodiscard]] virtual std::chrono::steady_clock::time_point steady_now() const = 0;
    /// Wall-clock time with sub-second precision, for log timestamps. The
    /// default is `now()` (whole seconds).
    [[nodiscard]] virtual std::chrono::system_clock::time_point precise_now() const {
        return std::chrono::system_clock::time_point(now().time_since_epoch());
    }
};

/// The real clocks. Thread-safe, stateless.
class SystemClock final : public Clock {
public:
    [[nodiscard]] UtcTime now() const override;
    [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const override;
    [[nodiscard]] std::chrono::system_clock::time_point precise_now() const override;
    /// A process-wide instance.
    [[nodiscard]] static const SystemClock& instance();
};

/// A clock that moves only when told to. Thread-safe (atomic). Both `now()`
/// and `steady_now()` move together.
class ManualClock final : public Clock {
public:
    explicit ManualClock(UtcTime start = UtcTime{std::chrono::seconds{1'700'000'000}});

    [[nodiscard]] UtcTime now() const override;
    [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const override;

    /// Moves both clocks forward by `d` (must be non-negative).
    void advance(std::chrono::seconds d);
    /// Sets the wall clock; the steady clock moves by the same amount if forward.
    void set(UtcTime t);

private:
    std::atomic<std::int64_t> unix_seconds_;
    std::atomic<std::int64_t> steady_seconds_{0};
};

}  // namespace flightbook
