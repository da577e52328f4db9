#pragma once
// The whole system as separate processes for black-box and fault tests:
// flight-service on PostgreSQL + a private Redis, payment-service and
// booking-service on their own PostgreSQL schemas, each on a free loopback
// port, wired together with a service token like scripts/apps.sh does. Also
// readers of the three databases for the SPEC §5 invariants.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "flightbook/http/json.hpp"
#include "flightbook/postgres/connection.hpp"
#include "service_process.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

inline constexpr const char* kSystemToken = "system-test-token";

/// Settings that differ per test.
struct SystemOptions {
    std::vector<std::string> flight_args = {};   ///< after the wiring flags
    std::vector<std::string> payment_args = {};  ///< e.g. {"--failure-rate", "0"}
    std::vector<std::string> booking_args = {};  ///< e.g. {"--crash-at", "held"}
    /// 0: flight-service reaches PostgreSQL directly; else through this
    /// loopback port (a TcpProxy that a fault test cuts and restores).
    int flights_db_port = 0;
};

/// Payment mock settings that never fail and never wait.
inline std::vector<std::string> never_failing_payments() {
    return {"--failure-rate", "0", "--timeout-rate", "0", "--seed", "7"};
}

class BookingSystem {
public:
    explicit BookingSystem(SystemOptions o = {})
        : flights_db_("flights"), bookings_db_("bookings"), payments_db_("payments") {
        flight_ = std::make_unique<ServiceProcess>(
            "flight-service",
            concat({"--db-dsn",
                    flights_db_.dsn() +
                        (o.flights_db_port == 0
                             ? std::string()
                             : " host=127.0.0.1 port=" + std::to_string(o.flights_db_port)),
                    "--redis-host", "127.0.0.1", "--redis-port", std::to_string(redis_.port()),
                    "--service-token", kSystemToken, "--sweep-interval-ms", "100", "--db-pool-size",
                    "8"},
                   o.flight_args),
            free_port());
        payment_ = std::make_unique<ServiceProcess>(
            "payment-service",
            concat({"--db-dsn", payments_db_.dsn(), "--db-pool-size", "8"}, o.payment_args),
            free_port());
        booking_base_ = {"--db-dsn",
                         bookings_db_.dsn(),
                         "--flight-service-url",
                         flight_->url(),
                         "--payment-service-url",
                         payment_->url(),
                         "--service-token",
                         kSystemToken,
                         "--db-pool-size",
                         "8"};
        booking_ = std::make_unique<ServiceProcess>(
            "booking-service", concat(booking_base_, o.booking_args), free_port());
        flight_->start();
        payment_->start();
        booking_->start();
    }

    /// Replaces booking-service (killed with SIGKILL if it still runs) by a
    /// new process on the same port with `args` after the wiring flags.
    void restart_booking(const std::vector<std::string>& args, bool wait_ready = true) {
        const int port = booking_->port();
        booking_->kill_now();
        booking_ =
            std::make_unique<ServiceProcess>("booking-service", concat(booking_base_, args), port);
        booking_->start(wait_ready);
    }

    ServiceProcess& flight() { return *flight_; }
    ServiceProcess& payment() { return *payment_; }
    ServiceProcess& booking() { return *booking_; }
    RedisServerProcess& redis() { return redis_; }
    const PgSchema& flights_db() const { return flights_db_; }
    const PgSchema& bookings_db() const { return bookings_db_; }
    const PgSchema& payments_db() const { return payments_db_; }

    /// A booking-service client acting as `user` (X-User-Id).
    http::Client as_user(std::int64_t user) const {
        return booking_->client({{"X-User-Id", std::to_string(user)}});
    }

    // ---- the databases, read directly (the truth) -------------------------

    struct SeatRow {
        std::int64_t total = 0, booked = 0, held = 0;
    };
    SeatRow seats(std::int64_t flight) const {
        static constexpr postgres::Statement kSeats{
            "sys_seats", "SELECT total_seats, booked_seats, held_seats FROM flights WHERE id = $1"};
        auto conn = flights_db_.connect();
        auto r = conn->exec(kSeats, {flight});
        REQUIRE(r);
        REQUIRE(r->rows() == 1);
        return SeatRow{r->int64(0, 0), r->int64(0, 1), r->int64(0, 2)};
    }

    /// One scalar from a query on a database ("flights", "bookings", "payments").
    std::int64_t scalar(const std::string& db, const std::string& sql) const {
        const PgSchema& schema =
            db == "flights" ? flights_db_ : (db == "bookings" ? bookings_db_ : payments_db_);
        auto conn = schema.connect();  // a fresh connection: the name is free
        auto r = conn->exec(postgres::Statement{"sys_scalar", sql});
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        REQUIRE(r->rows() == 1);
        return r->is_null(0, 0) ? 0 : r->int64(0, 0);
    }

private:
    static std::vector<std::string> concat(std::vector<std::string> a,
                                           const std::vector<std::string>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    }

    PgSchema flights_db_;
    PgSchema bookings_db_;
    PgSchema payments_db_;
    RedisServerProcess redis_;
    std::unique_ptr<ServiceProcess> flight_;
    std::unique_ptr<ServiceProcess> payment_;
    std::unique_ptr<ServiceProcess> booking_;
    std::vector<std::string> booking_base_;
};

/// The body of an answer as a JSON object (fails the test otherwise).
inline http::JsonObject json_body(const Result<http::ClientResponse>& r) {
    REQUIRE(r);
    auto obj = http::parse_object(r->body);
    REQUIRE_MESSAGE(obj.has_value(), r->body);
    return std::move(obj).value();
}

}  // namespace flightbook::testing
