#pragma once
/// \file
/// One service as a unit that can be composed: its settings, how it is built
/// from them, and how one or more of them run until a shutdown signal. The
/// three service binaries run one host each; `flightbook demo` runs all three
/// in one process on in-memory adapters, from the same definitions.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "flightbook/app/config.hpp"
#include "flightbook/app/shutdown_signals.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/result.hpp"

namespace flightbook::app {

/// A built service: its HTTP server with every route and readiness check
/// registered (not started), its own metrics registry (the server's), and the
/// background tasks that belong to it.
class ServiceHost {
public:
    virtual ~ServiceHost() = default;
    [[nodiscard]] virtual http::Server& server() = 0;
    /// Starts the background tasks (sweepers, reconcilers); after the server.
    virtual void start_tasks() {}
    /// Stops them; after the server has drained.
    virtual void stop_tasks() {}
};

/// A service's settings and its builder.
struct ServiceDefinition {
    std::string name;  ///< "flight-service": program name in usage and logs
    /// Declares every setting of the service on a Config.
    std::function<void(Config&)> define;
    /// Builds the service from resolved settings. Errors: kInvalidArgument
    /// for a bad setting (exit 2); anything else is a start-up failure
    /// (exit 1), already logged as "startup_failed" when a logger existed.
    std::function<Result<std::unique_ptr<ServiceHost>>(const Config&)> build;
};

/// Starts the hosts' servers in order (all or none: on a failure the ones
/// already started are stopped), then their tasks; calls `on_started` once
/// every server listens; waits for SIGTERM/SIGINT; then stops the servers in
/// reverse order (each drains its in-flight requests) and the tasks after
/// them. Returns main()'s exit code: 0 after a clean stop, 1 when a server
/// could not start.
[[nodiscard]] int run_until_signal(const std::vector<ServiceHost*>& hosts, ShutdownSignals& signals,
                                   const std::function<void()>& on_started = {});

/// The whole main() of a service binary: parses flags and environment,
/// answers --help, builds the service and runs it until a signal.
/// Exit codes: 0 clean stop, 1 start-up failure, 2 bad settings.
[[nodiscard]] int service_main(int argc, char** argv, const ServiceDefinition& service);

/// Prints "program: message" on stderr.
void report_setting_error(std::string_view program, const Error& error);

/// Reports `setting`'s error and answers false when it failed; for checking
/// several settings at once so that every bad one is named.
template <typename T>
bool usable(const Result<T>& setting, std::string_view program) {
    if (!setting) report_setting_error(program, setting.error());
    return setting.has_value();
}

}  // namespace flightbook::app
