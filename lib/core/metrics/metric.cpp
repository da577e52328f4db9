#include "flightbook/metrics/metric.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace flightbook::metrics {
namespace {

void atomic_add(std::atomic<double>& target, double delta) noexcept {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
    }
}

constexpr std::array<double, 14> kLatencyBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                    0.25,  0.5,    1.0,   2.5,  5.0,   7.5,  10.0};

}  // namespace

void Gauge::add(double delta) noexcept { atomic_add(value_, delta); }

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds.begin(), upper_bounds.end()),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {
    for (std::size_t i = 0; i < upper_bounds_.size(); ++i) {
        if (!std::isfinite(upper_bounds_[i]) ||
            (i > 0 && upper_bounds_[i] <= upper_bounds_[i - 1])) {
            throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
        }
    }
    for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
        buckets_[i].store(0, std::memory_order_relaxed);
    }
}

void Histogram::observe(double v) noexcept {
    // Prometheus buckets are "less than or equal": the first bound >= v.
    const auto it = std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), v);
    const auto index = static_cast<std::size_t>(it - upper_bounds_.begin());
    buckets_[index].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.upper_bounds = upper_bounds_;
    s.bucket_counts.reserve(upper_bounds_.size() + 1);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
        const auto n = buckets_[i].load(std::memory_order_relaxed);
        s.bucket_counts.push_back(n);
        total += n;
    }
    // Use the bucket total as the count so that the +Inf bucket always equals
    // _count in the rendered text, even while observations race with us.
    s.count = total;
    s.sum = sum_.load(std::memory_order_relaxed);
    return s;
}

std::span<const double> default_latency_buckets_seconds() noexcept { return kLatencyBuckets; }

}  // namespace flightbook::metrics
