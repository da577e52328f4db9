#pragma once
// `flightbook demo` as a child process: the three services in one process on
// in-memory stores, on free loopback ports. It offers the same flight(),
// payment(), booking() and as_user() as BookingSystem, so that one HTTP suite
// (tests/api/system_suite.hpp) runs against both and the two cannot drift.

#include <memory>
#include <string>
#include <vector>

#include "booking_system.hpp"
#include "service_process.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

class DemoSystem {
public:
    /// Only `payment_args` and `booking_args` of the demo's own flags
    /// (`flightbook demo --help`) apply; the demo has no database options.
    explicit DemoSystem(const SystemOptions& o = {})
        : flight_(free_port()), payment_(free_port()), booking_(free_port()) {
        std::vector<std::string> args{"demo",
                                      "--flight-port",
                                      std::to_string(flight_.port()),
                                      "--booking-port",
                                      std::to_string(booking_.port()),
                                      "--payment-port",
                                      std::to_string(payment_.port()),
                                      "--access-log",
                                      "false"};
        args.insert(args.end(), o.payment_args.begin(), o.payment_args.end());
        args.insert(args.end(), o.booking_args.begin(), o.booking_args.end());
        process_ = std::make_unique<ServiceProcess>("flightbook-demo", "apps/flightbook/flightbook",
                                                    std::move(args), booking_.port());
        // The demo starts every server before any answers: booking-service
        // ready means all three listen; the others are checked too.
        process_->start();
        for (const Endpoint* e : {&flight_, &payment_}) {
            auto r = e->client().get("/ready");
            REQUIRE(r);
            REQUIRE(r->status == 200);
        }
    }

    Endpoint& flight() { return flight_; }
    Endpoint& payment() { return payment_; }
    Endpoint& booking() { return booking_; }
    ServiceProcess& process() { return *process_; }

    /// A booking-service client acting as `user` (X-User-Id).
    [[nodiscard]] http::Client as_user(std::int64_t user) const {
        return booking_.client({{"X-User-Id", std::to_string(user)}});
    }

private:
    Endpoint flight_;
    Endpoint payment_;
    Endpoint booking_;
    std::unique_ptr<ServiceProcess> process_;
};

}  // namespace flightbook::testing
