#pragma once
/// \file
/// The three metric kinds flightbook exports: `Counter`, `Gauge`, `Histogram`.
/// Each instance is one labelled time series; families and the registry that
/// owns them live in `registry.hpp`. All operations are lock-free atomics, so
/// hot paths may update a cached reference without any registry lookup.

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace flightbook::metrics {

/// A monotonically increasing count (e.g. requests served). Thread-safe.
class Counter {
public:
    /// Adds `n` (default 1).
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    /// Current value.
    [[nodiscard]] std::uint64_t value() const noexcept {
        return value_.load(std::memory_order_relaxed);
    }

private:
    std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down (e.g. connections in use). Thread-safe.
class Gauge {
public:
    /// Replaces the value.
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    /// Adds `delta` (may be negative).
    void add(double delta) noexcept;
    /// Current value.
    [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

/// A distribution of observations over fixed upper bounds (Prometheus
/// cumulative buckets are computed when rendering). Thread-safe; `observe()` is
/// a binary search plus two relaxed atomic adds and one CAS loop for the sum.
class Histogram {
public:
    /// `upper_bounds` must be strictly increasing and finite; an implicit
    /// `+Inf` bucket is always present. Throws std::invalid_argument otherwise
    /// (a programming error at registration time).
    explicit Histogram(std::span<const double> upper_bounds);

    /// Records one observation (in the metric's base unit, e.g. seconds).
    void observe(double v) noexcept;

    /// Snapshot of the histogram. `bucket_counts` are per bucket (not
    /// cumulative), one more than `upper_bounds` (the last is +Inf).
    struct Snapshot {
        std::vector<double> upper_bounds;
        std::vector<std::uint64_t> bucket_counts;
        std::uint64_t count = 0;
        double sum = 0.0;
    };
    /// A consistent-enough copy for rendering (individual fields are atomic).
    [[nodiscard]] Snapshot snapshot() const;

private:
    std::vector<double> upper_bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0.0};
};

/// Default latency buckets in seconds: 1 ms … 10 s.
[[nodiscard]] std::span<const double> default_latency_buckets_seconds() noexcept;

}  // namespace flightbook::metrics
