#pragma once
// The real flight-service binary as a child process (service_process.hpp) on
// a PostgreSQL DSN and a Redis port of the test's, with a service token, a
// 2 s hold ttl and a 100 ms sweep interval.

#include <string>
#include <utility>
#include <vector>

#include "service_process.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

/// The service token the flight-service test processes run with.
inline constexpr const char* kFlightServiceToken = "process-test-token";

class FlightServiceProcess : public ServiceProcess {
public:
    /// Started and waited for until /ready answers 200.
    FlightServiceProcess(const PgSchema& schema, int redis_port,
                         std::vector<std::string> extra_args = {})
        : FlightServiceProcess(schema.dsn(), redis_port, std::move(extra_args)) {}
    FlightServiceProcess(const std::string& dsn, int redis_port,
                         std::vector<std::string> extra_args = {})
        : ServiceProcess("flight-service", wiring(dsn, redis_port, std::move(extra_args)),
                         free_port()) {
        start();
    }

    /// A client that sends the service token (`X-Service-Token`).
    [[nodiscard]] http::Client client() const {
        return ServiceProcess::client({{"X-Service-Token", kFlightServiceToken}});
    }

private:
    static std::vector<std::string> wiring(const std::string& dsn, int redis_port,
                                           std::vector<std::string> extra) {
        std::vector<std::string> args{"--db-dsn",
                                      dsn,
                                      "--redis-host",
                                      "127.0.0.1",
                                      "--redis-port",
                                      std::to_string(redis_port),
                                      "--hold-ttl-seconds",
                                      "2",
                                      "--sweep-interval-ms",
                                      "100",
                                      "--service-token",
                                      kFlightServiceToken,
                                      "--db-pool-size",
                                      "4"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
};

}  // namespace flightbook::testing
