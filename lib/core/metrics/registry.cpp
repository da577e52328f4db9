#include "flightbook/metrics/registry.hpp"

#include "core/metrics/prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <variant>

namespace flightbook::metrics {

// ---- Family ---------------------------------------------------------------

template <typename M>
Family<M>::Family(std::string name, std::string help, std::vector<std::string> label_names,
                  std::vector<double> bucket_bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      label_names_(std::move(label_names)),
      bucket_bounds_(std::move(bucket_bounds)) {}

template <typename M>
M& Family<M>::with(std::initializer_list<std::string_view> label_values) {
    if (label_values.size() != label_names_.size()) {
        throw std::invalid_argument(fmt::format("metric {} takes {} label values, got {}", name_,
                                                label_names_.size(), label_values.size()));
    }
    return find_or_create(std::vector<std::string>(label_values.begin(), label_values.end()));
}

template <typename M>
M& Family<M>::with(const std::vector<std::string>& label_values) {
    if (label_values.size() != label_names_.size()) {
        throw std::invalid_argument(fmt::format("metric {} takes {} label values, got {}", name_,
                                                label_names_.size(), label_values.size()));
    }
    return find_or_create(label_values);
}

template <typename M>
M& Family<M>::find_or_create(std::vector<std::string> label_values) {
    {
        std::shared_lock lock(mutex_);
        if (auto it = series_.find(label_values); it != series_.end()) return *it->second;
    }
    std::unique_lock lock(mutex_);
    auto [it, inserted] = series_.try_emplace(std::move(label_values));
    if (inserted) {
        if constexpr (std::is_same_v<M, Histogram>) {
            it->second = std::make_unique<Histogram>(bucket_bounds_);
        } else {
            it->second = std::make_unique<M>();
        }
    }
    return *it->second;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- Registry -------------------------------------------------------------

struct Registry::Entry {
    MetricKind kind;
    std::variant<std::unique_ptr<CounterFamily>, std::unique_ptr<GaugeFamily>,
                 std::unique_ptr<HistogramFamily>>
        family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

bool is_valid_metric_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}

void Registry::check_new(const std::string& name, MetricKind kind,
                         const std::vector<std::string>& label_names, bool& exists) const {
    if (!is_valid_metric_name(name)) {
        throw std::invalid_argument(fmt::format("invalid metric name '{}'", name));
    }
    for (const auto& label : label_names) {
        if (!is_valid_metric_name(label) || label == "le" || label.starts_with("__")) {
            throw std::invalid_argument(
                fmt::format("invalid label name '{}' for metric {}", label, name));
        }
    }
    exists = false;
    auto it = families_.find(name);
    if (it == families_.end()) return;
    const auto& names = std::visit(
        [](const auto& f) -> const std::vector<std::string>& { return f->label_names(); },
        it->second->family);
    if (it->second->kind != kind || names != label_names) {
        throw std::invalid_argument(
            fmt::format("metric {} already registered with another type or labels", name));
    }
    exists = true;
}

CounterFamily& Registry::counter(std::string name, std::string help,
                                 std::vector<std::string> label_names) {
    std::lock_guard lock(mutex_);
    bool exists = false;
    check_new(name, MetricKind::kCounter, label_names, exists);
    if (exists) return *std::get<0>(families_.find(name)->second->family);
    auto family = std::make_unique<CounterFamily>(name, std::move(help), std::move(label_names));
    auto& ref = *family;
    families_.emplace(std::move(name),
                      std::make_unique<Entry>(Entry{MetricKind::kCounter, std::move(family)}));
    return ref;
}

GaugeFamily& Registry::gauge(std::string name, std::string help,
                             std::vector<std::string> label_names) {
    std::lock_guard lock(mutex_);
    bool exists = false;
    check_new(name, MetricKind::kGauge, label_names, exists);
    if (exists) return *std::get<1>(families_.find(name)->second->family);
    auto family = std::make_unique<GaugeFamily>(name, std::move(help), std::move(label_names));
    auto& ref = *family;
    families_.emplace(std::move(name),
                      std::make_unique<Entry>(Entry{MetricKind::kGauge, std::move(family)}));
    return ref;
}

HistogramFamily& Registry::histogram(std::string name, std::string help,
                                     std::vector<std::string> label_names,
                                     std::span<const double> bucket_bounds) {
    std::lock_guard lock(mutex_);
    bool exists = false;
    check_new(name, MetricKind::kHistogram, label_names, exists);
    if (exists) return *std::get<2>(families_.find(name)->second->family);
    // Validate the bounds now rather than on the first observation.
    (void)Histogram(bucket_bounds);
    auto family = std::make_unique<HistogramFamily>(
        name, std::move(help), std::move(label_names),
        std::vector<double>(bucket_bounds.begin(), bucket_bounds.end()));
    auto& ref = *family;
    families_.emplace(std::move(name),
                      std::make_unique<Entry>(Entry{MetricKind::kHistogram, std::move(family)}));
    return ref;
}

std::string Registry::render_prometheus() const {
    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : families_) {
        std::visit([&](const auto& family) { detail::render_family(out, *family); }, entry->family);
    }
    return out;
}

}  // namespace flightbook::metrics
