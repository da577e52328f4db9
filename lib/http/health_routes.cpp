#include "detail/health_routes.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "flightbook/json/writer.hpp"

namespace flightbook::http::detail {
namespace {

Response health(const HealthState& st) {
    json::Writer w;
    w.begin_object()
        .key("status")
        .value("healthy")
        .key("service")
        .value(st.options->service_name)
        .end_object();
    return Response::json(200, w.take());
}

// Runs every check; a throwing check counts as failed, never as a 500.
std::vector<std::pair<std::string_view, std::string>> failed_checks(const HealthState& st) {
    std::vector<std::pair<std::string_view, std::string>> failures;
    for (const auto& [name, check] : *st.checks) {
        try {
            auto status = check();
            if (!status) failures.emplace_back(name, status.error().message);
        } catch (const std::exception& e) {
            failures.emplace_back(name, e.what());
        } catch (...) {
            failures.emplace_back(name, "unknown exception");
        }
    }
    return failures;
}

Response ready(const HealthState& st) {
    const std::string& service = st.options->service_name;
    if (st.draining && st.draining()) {
        return Response::json(503, error_body("unavailable", "shutting down", [&](json::Writer& w) {
                                  w.key("service").value(service);
                              }));
    }
    const auto failures = failed_checks(st);
    if (failures.empty()) {
        json::Writer w;
        w.begin_object().key("status").value("ready").key("service").value(service).end_object();
        return Response::json(200, w.take());
    }
    // Names which dependency is down, not why: the reasons are adapter
    // text (host names, driver messages) and stay in the log.
    std::string message = "not ready:";
    for (const auto& f : failures) message += fmt::format(" {} is down;", f.first);
    message.pop_back();
    Response r = Response::json(503, error_body("unavailable", message, [&](json::Writer& w) {
                                    w.key("service").value(service).key("checks").begin_object();
                                    for (const auto& entry : *st.checks) {
                                        const bool down = std::any_of(
                                            failures.begin(), failures.end(),
                                            [&](const auto& f) { return f.first == entry.first; });
                                        w.key(entry.first).value(down ? "down" : "ok");
                                    }
                                    w.end_object();
                                }));
    for (const auto& f : failures) r.internal_detail += fmt::format("{}: {}; ", f.first, f.second);
    return r;
}

}  // namespace

void install_health_routes(Router& router, HealthState state) {
    auto st = std::make_shared<const HealthState>(std::move(state));
    (void)router.add("GET", "/health", [st](const Request&) { return health(*st); });
    (void)router.add("GET", "/ready", [st](const Request&) { return ready(*st); });
    (void)router.add("GET", "/metrics", [st](const Request&) {
        Response r;
        r.body = st->registry->render_prometheus();
        r.content_type = std::string(metrics::kPrometheusContentType);
        return r;
    });
}

}  // namespace flightbook::http::detail
