#pragma once
// Private: renders one metric family in the Prometheus text format 0.0.4.

#include <string>

#include "flightbook/metrics/registry.hpp"

namespace flightbook::metrics::detail {

void render_family(std::string& out, const CounterFamily& family);
void render_family(std::string& out, const GaugeFamily& family);
void render_family(std::string& out, const HistogramFamily& family);

}  // namespace flightbook::metrics::detail
