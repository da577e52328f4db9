#include "flightbook/app/service_host.hpp"

#include <fmt/core.h>

#include <cstdio>

namespace flightbook::app {

void report_setting_error(std::string_view program, const Error& error) {
    fmt::print(stderr, "{}: {}\n", program, error.message);
}

int run_until_signal(const std::vector<ServiceHost*>& hosts, ShutdownSignals& signals,
                     const std::function<void()>& on_started) {
    std::size_t started = 0;
    for (; started < hosts.size(); ++started) {
        http::Server& server = hosts[started]->server();
        if (auto port = server.start(); !port) {
            server.logger().error("start_failed", port.error().message);
            break;
        }
    }
    if (started < hosts.size()) {
        for (std::size_t i = started; i-- > 0;) hosts[i]->server().stop();
        return 1;
    }
    for (ServiceHost* host : hosts) host->start_tasks();
    if (on_started) on_started();

    const int sig = signals.wait();
    const char* why = sig == SIGTERM  ? "SIGTERM received, draining"
                      : sig == SIGINT ? "SIGINT received, draining"
                                      : "stop requested, draining";
    for (ServiceHost* host : hosts) host->server().logger().info("shutdown", why);
    // Reverse order: in the demo the booking service (last) still calls the
    // flight and payment services while it drains.
    for (std::size_t i = hosts.size(); i-- > 0;) hosts[i]->server().stop();
    for (std::size_t i = hosts.size(); i-- > 0;) hosts[i]->stop_tasks();
    return 0;
}

int service_main(int argc, char** argv, const ServiceDefinition& service) {
    ShutdownSignals signals;  // first, before any thread exists
    Config config;
    service.define(config);
    if (auto loaded = config.load(argc, argv); !loaded) {
        fmt::print(stderr, "{}: {}\n{}", service.name, loaded.error().message,
                   config.usage(service.name));
        return 2;
    }
    if (config.help_requested()) {
        std::fputs(config.usage(service.name).c_str(), stdout);
        return 0;
    }
    auto host = service.build(config);
    if (!host) {
        if (host.error().code != ErrorCode::kInvalidArgument) return 1;
        report_setting_error(service.name, host.error());
        return 2;
    }
    return run_until_signal({host->get()}, signals);
}

}  // namespace flightbook::app
