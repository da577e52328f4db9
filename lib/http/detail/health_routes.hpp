#pragma once
// The operational routes every server answers: GET /health, /ready, /metrics
// (SPEC §4 "Every service"). Kept out of the server so that it only serves.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "flightbook/http/router.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/metrics/registry.hpp"

namespace flightbook::http::detail {

/// What the operational routes read. Every pointer outlives the router.
struct HealthState {
    const ServerOptions* options = nullptr;
    metrics::Registry* registry = nullptr;
    const std::vector<std::pair<std::string, ReadinessCheck>>* checks = nullptr;
    /// True while the server drains: /ready answers 503.
    std::function<bool()> draining;
};

/// Adds GET /health, GET /ready and GET /metrics to `router`.
void install_health_routes(Router& router, HealthState state);

}  // namespace flightbook::http::detail
