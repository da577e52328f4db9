#pragma once
// Where the system under test runs: the three services' URLs, the service
// token, the three databases and Redis. All on 127.0.0.1 in tests.

#include <cstdint>
#include <string>

namespace flightbook::storm {

struct Targets {
    std::string flight_url = "http://127.0.0.1:8080";
    std::string booking_url = "http://127.0.0.1:8081";
    std::string payment_url = "http://127.0.0.1:8082";
    std::string service_token;  ///< read-only use: reservation lookups
    std::string flights_dsn;
    std::string bookings_dsn;
    std::string payments_dsn;
    std::string redis_host = "127.0.0.1";
    int redis_port = 6379;
    /// flight-service's seat counter prefix (RedisSeatInventoryOptions).
    std::string redis_seat_prefix = "flightbook:seats:";
};

}  // namespace flightbook::storm
