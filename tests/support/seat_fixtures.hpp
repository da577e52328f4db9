#pragma once
// One fixture per SeatInventory adapter, so that the same test bodies run
// against each: `ManualClock clock`, `SeatInventory& inventory()`,
// `FlightId add_flight(total, already_sold)`, `std::string name()`.

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "flightbook/clock.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/postgres/seat_inventory.hpp"
#include "flightbook/redis/seat_inventory.hpp"
#include "test_env.hpp"

namespace flightbook::testing {

using namespace std::chrono_literals;

/// A hold request expiring `ttl` after `clock`'s now.
inline HoldRequest hold_request(const Clock& clock, const std::string& id,
                                std::vector<SeatLeg> legs, std::chrono::seconds ttl = 15min) {
    auto rid = ReservationId::parse(id);
    REQUIRE(rid);
    return HoldRequest{*rid, std::move(legs), clock.now() + ttl};
}

inline ReservationId rid(const std::string& id) {
    auto r = ReservationId::parse(id);
    REQUIRE(r);
    return *r;
}

class MemoryFixture {
public:
    static constexpr const char* kName = "memory";
    ManualClock clock;

    MemoryFixture() : inventory_(clock) {}
    SeatInventory& inventory() { return inventory_; }
    FlightId add_flight(std::int32_t total, std::int32_t sold = 0) {
        const FlightId id{next_id_++};
        REQUIRE(inventory_.add_flight(id, total, sold));
        return id;
    }

private:
    memory::InMemorySeatInventory inventory_;
    std::int64_t next_id_ = 1000;
};

/// Inserts flights into a throw-away schema (see PgSchema).
class PgFlights {
public:
    explicit PgFlights(const PgSchema& schema) : conn_(schema.connect()) {}

    FlightId add(std::int32_t total, std::int32_t sold) {
        static constexpr postgres::Statement kInsertFlight{
            "test_insert_flight",
            "INSERT INTO flights (flight_number, source, destination, departure_time, "
            "arrival_time, total_seats, booked_seats, price) "
            "VALUES ($1, 'TST', 'TSU', '2024-03-01 10:00:00+00', '2024-03-01 12:00:00+00', $2, $3, "
            "100.00) RETURNING id"};
        auto r = conn_->exec(kInsertFlight, {"T" + std::to_string(++counter_), total, sold});
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return FlightId{r->int64(0, 0)};
    }

private:
    std::unique_ptr<postgres::Connection> conn_;
    int counter_ = 0;
};

inline std::shared_ptr<postgres::ConnectionPool> make_seat_pool(const PgSchema& schema,
                                                                std::size_t size = 16) {
    auto pool = postgres::ConnectionPool::create(
        postgres::PoolOptions{schema.dsn(), size, 20000, 5000, 30000});
    REQUIRE_MESSAGE(pool, (pool ? "" : pool.error().message));
    return std::move(pool).value();
}

class PostgresFixture {
public:
    static constexpr const char* kName = "postgres";
    ManualClock clock;

    PostgresFixture()
        : flights_(schema_), pool_(make_seat_pool(schema_)), inventory_(pool_, clock) {}
    SeatInventory& inventory() { return inventory_; }
    FlightId add_flight(std::int32_t total, std::int32_t sold = 0) {
        return flights_.add(total, sold);
    }
    const PgSchema& schema() const { return schema_; }

private:
    PgSchema schema_;
    PgFlights flights_;
    std::shared_ptr<postgres::ConnectionPool> pool_;
    postgres::PostgresSeatInventory inventory_;
};

inline std::shared_ptr<redis::Client> make_redis_client(const std::string& host, int port,
                                                        std::size_t size = 16) {
    auto client = redis::Client::create(redis::ClientOptions{host, port, size, 1000, 2000, 5000});
    REQUIRE(client);
    return std::move(client).value();
}

/// Deletes every key under `prefix` (bounded SCAN).
inline void delete_keys(redis::Client& client, const std::string& prefix) {
    std::string cursor = "0";
    for (int round = 0; round < 10'000; ++round) {
        auto page = client.command({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
        if (!page || page->elements.size() != 2) return;
        for (const auto& key : page->elements[1].elements) (void)client.command({"DEL", key.str});
        cursor = page->elements[0].str;
        if (cursor == "0") return;
    }
}

/// Redis counters (shared test Redis, private key prefix) in front of the
/// PostgreSQL adapter.
class RedisFixture {
public:
    static constexpr const char* kName = "redis";
    ManualClock clock;

    RedisFixture() : RedisFixture(redis_host(), redis_port()) {}
    RedisFixture(const std::string& host, int port)
        : flights_(schema_),
          pool_(make_seat_pool(schema_)),
          truth_(pool_, clock),
          client_(make_redis_client(host, port)),
          prefix_(unique_name("fbtest:seats") + ":"),
          inventory_(client_, truth_, clock, redis::SeatCounterOptions{prefix_}) {}
    ~RedisFixture() { delete_keys(*client_, prefix_); }

    redis::RedisSeatInventory& inventory() { return inventory_; }
    postgres::PostgresSeatInventory& truth() { return truth_; }
    redis::Client& client() { return *client_; }
    FlightId add_flight(std::int32_t total, std::int32_t sold = 0) {
        return flights_.add(total, sold);
    }
    const PgSchema& schema() const { return schema_; }

private:
    PgSchema schema_;
    PgFlights flights_;
    std::shared_ptr<postgres::ConnectionPool> pool_;
    postgres::PostgresSeatInventory truth_;
    std::shared_ptr<redis::Client> client_;
    std::string prefix_;
    redis::RedisSeatInventory inventory_;
};

}  // namespace flightbook::testing
