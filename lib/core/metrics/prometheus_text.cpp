// Rendering of a Registry in the Prometheus text exposition format 0.0.4:
// https://prometheus.io/docs/instrumenting/exposition_formats/
#include <fmt/format.h>

#include <cmath>
#include <variant>

#include "core/metrics/prometheus_text.hpp"

namespace flightbook::metrics {
namespace {

void append_escaped_help(std::string& out, std::string_view s) {
    for (const char c : s) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

void append_escaped_label_value(std::string& out, std::string_view s) {
    for (const char c : s) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"') {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

void append_number(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
    } else if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
    } else {
        fmt::format_to(std::back_inserter(out), "{}", v);
    }
}

// `{a="x",b="y"}` plus an optional extra label (used for `le`); nothing when
// there are no labels at all.
void append_labels(std::string& out, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return;
    out += '{';
    bool first = true;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (!first) out += ',';
        first = false;
        out += names[i];
        out += "=\"";
        append_escaped_label_value(out, values[i]);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!first) out += ',';
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    out += '}';
}

void append_header(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped_help(out, help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void render(std::string& out, const CounterFamily& f) {
    append_header(out, f.name(), f.help(), "counter");
    f.for_each([&](const std::vector<std::string>& labels, const Counter& c) {
        out += f.name();
        append_labels(out, f.label_names(), labels);
        fmt::format_to(std::back_inserter(out), " {}\n", c.value());
    });
}

void render(std::string& out, const GaugeFamily& f) {
    append_header(out, f.name(), f.help(), "gauge");
    f.for_each([&](const std::vector<std::string>& labels, const Gauge& g) {
        out += f.name();
        append_labels(out, f.label_names(), labels);
        out += ' ';
        append_number(out, g.value());
        out += '\n';
    });
}

void render(std::string& out, const HistogramFamily& f) {
    append_header(out, f.name(), f.help(), "histogram");
    f.for_each([&](const std::vector<std::string>& labels, const Histogram& h) {
        const auto snap = h.snapshot();
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < snap.bucket_counts.size(); ++i) {
            cumulative += snap.bucket_counts[i];
            std::string le;
            if (i < snap.upper_bounds.size()) {
                append_number(le, snap.upper_bounds[i]);
            } else {
                le = "+Inf";
            }
            out += f.name();
            out += "_bucket";
            append_labels(out, f.label_names(), labels, "le", le);
            fmt::format_to(std::back_inserter(out), " {}\n", cumulative);
        }
        out += f.name();
        out += "_sum";
        append_labels(out, f.label_names(), labels);
        out += ' ';
        append_number(out, snap.sum);
        out += '\n';
        out += f.name();
        out += "_count";
        append_labels(out, f.label_names(), labels);
        fmt::format_to(std::back_inserter(out), " {}\n", snap.count);
    });
}

}  // namespace

namespace detail {

void render_family(std::string& out, const CounterFamily& family) { render(out, family); }
void render_family(std::string& out, const GaugeFamily& family) { render(out, family); }
void render_family(std::string& out, const HistogramFamily& family) { render(out, family); }

}  // namespace detail
}  // namespace flightbook::metrics
