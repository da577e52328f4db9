#pragma once
/// \file
/// Metric families with labels and the registry that renders them in the
/// Prometheus text exposition format (version 0.0.4).
///
/// Names carry the `flightbook_` prefix and base units (`_seconds`, `_bytes`,
/// `_total` for counters). Register families once at start-up, keep the
/// returned references, and update series from any thread:
///
///     auto& hits = registry.counter("flightbook_cache_hits_total", "Cache hits", {"cache"});
///     hits.with({"search"}).inc();

#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/metrics/metric.hpp"

namespace flightbook::metrics {

/// The kind of a family, as written on its `# TYPE` line.
enum class MetricKind { kCounter, kGauge, kHistogram };

/// One metric name with a fixed list of label names; each distinct list of
/// label values is one series of type `M`. Thread-safe: lookups of existing
/// series take a shared lock, creating a series takes an exclusive lock.
/// References returned by `with()` stay valid for the family's lifetime.
template <typename M>
class Family {
public:
    Family(std::string name, std::string help, std::vector<std::string> label_names,
           std::vector<double> bucket_bounds = {});

    /// The series for these label values (created on first use). Throws
    /// std::invalid_argument when the number of values differs from the
    /// number of label names (a programming error).
    M& with(std::initializer_list<std::string_view> label_values);
    /// Same, for label values held in a vector.
    M& with(const std::vector<std::string>& label_values);

    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] const std::string& help() const noexcept { return help_; }
    [[nodiscard]] const std::vector<std::string>& label_names() const noexcept {
        return label_names_;
    }

    /// Calls `fn(label_values, series)` for every series in label order,
    /// under the shared lock.
    template <typename Fn>
    void for_each(Fn&& fn) const {
        std::shared_lock lock(mutex_);
        for (const auto& [labels, series] : series_) fn(labels, *series);
    }

private:
    M& find_or_create(std::vector<std::string> label_values);

    std::string name_;
    std::string help_;
    std::vector<std::string> label_names_;
    std::vector<double> bucket_bounds_;  // histograms only
    mutable std::shared_mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<M>, std::less<>> series_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

/// Owns metric families and renders them. Thread-safe. Registering a name
/// twice with the same kind and label names returns the existing family;
/// an invalid name, a name reused with another kind or other labels, or a
/// reserved label name (`le`) throws std::invalid_argument.
class Registry {
public:
    Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;
    ~Registry();

    CounterFamily& counter(std::string name, std::string help,
                           std::vector<std::string> label_names = {});
    GaugeFamily& gauge(std::string name, std::string help,
                       std::vector<std::string> label_names = {});
    /// `bucket_bounds` are upper bounds in the metric's base unit.
    HistogramFamily& histogram(
        std::string name, std::string help, std::vector<std::string> label_names = {},
        std::span<const double> bucket_bounds = default_latency_buckets_seconds());

    /// Every family in name order, in the Prometheus text format 0.0.4.
    [[nodiscard]] std::string render_prometheus() const;

private:
    struct Entry;
    void check_new(const std::string& name, MetricKind kind,
                   const std::vector<std::string>& label_names, bool& exists) const;

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>, std::less<>> families_;
};

/// Content type of `Registry::render_prometheus()` output.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

/// True when `name` is a valid Prometheus metric or label name.
[[nodiscard]] bool is_valid_metric_name(std::string_view name) noexcept;

}  // namespace flightbook::metrics
