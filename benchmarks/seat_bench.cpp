// Seat accounting throughput: holds per second through each SeatInventory
// adapter, and how fast a sold-out flight turns requests away through the
// Redis counters versus PostgreSQL alone.
//
// Needs the local PostgreSQL and Redis (scripts/services.sh up) and the
// FLIGHTBOOK_TEST_PG_DSN / FLIGHTBOOK_TEST_REDIS_HOST / FLIGHTBOOK_TEST_REDIS_PORT
// environment (export_test_env in scripts/common.sh). It works in a private
// schema and a private key prefix and removes both at exit.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "flightbook/clock.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/postgres/seat_inventory.hpp"
#include "flightbook/redis/seat_inventory.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

constexpr std::int32_t kHugeFlight = 2'000'000'000;

std::string env_or_throw(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') {
        throw std::runtime_error(std::string(name) + " is not set (see export_test_env)");
    }
    return v;
}

template <typename T>
T value_or_throw(Result<T> r) {
    if (!r) throw std::runtime_error(r.error().message);
    return std::move(r).value();
}

// One PostgreSQL schema, pool, Redis client and the three adapters, built on
// first use and torn down at exit.
class Env {
public:
    static Env& get() {
        static Env env;
        return env;
    }

    ManualClock clock;
    std::shared_ptr<postgres::ConnectionPool> pool;
    std::unique_ptr<memory::InMemorySeatInventory> memory;
    std::unique_ptr<postgres::PostgresSeatInventory> postgres;
    std::shared_ptr<redis::Client> redis_client;
    std::unique_ptr<redis::RedisSeatInventory> redis;
    FlightId big_flight;       // practically unlimited seats
    FlightId sold_out_flight;  // no seat left

    std::string next_id(const char* prefix) {
        return std::string(prefix) + std::to_string(counter_.fetch_add(1));
    }

    ~Env() {
        if (redis_client) {
            (void)redis_client->command(
                {"DEL", prefix_ + "flight:" + std::to_string(big_flight.value()),
                 prefix_ + "flight:" + std::to_string(sold_out_flight.value())});
            // Reservation markers expire by themselves (TTL).
        }
        if (admin_) {
            (void)admin_->exec_script("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " +
                                      schema_ + " CASCADE");
        }
    }

private:
    Env() {
        const std::string base_dsn = env_or_throw("FLIGHTBOOK_TEST_PG_DSN");
        schema_ = "fbbench_" + std::to_string(::getpid());
        prefix_ = "fbbench:" + std::to_string(::getpid()) + ":";
        admin_ = value_or_throw(postgres::Connection::connect({base_dsn, 5000, 0}));
        if (!admin_->exec_script("CREATE SCHEMA " + schema_)) throw std::runtime_error("schema");
        const std::string dsn = base_dsn + " options=-csearch_path=" + schema_;
        auto conn = value_or_throw(postgres::Connection::connect({dsn, 5000, 0}));
        const auto sql_dir =
            std::filesystem::path(__FILE__).parent_path().parent_path() / "sql" / "flights";
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(sql_dir))
            files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            std::ifstream in(file);
            std::stringstream text;
            text << in.rdbuf();
            auto applied = conn->exec_script(text.str());
            if (!applied) throw std::runtime_error(applied.error().message);
        }
        static constexpr postgres::Statement kInsert{
            "bench_insert_flight",
            "INSERT INTO flights (flight_number, source, destination, departure_time, "
            "arrival_time, "
            "total_seats, booked_seats, price) VALUES ($1, 'BNA', 'BNB', '2024-03-01 10:00:00+00', "
            "'2024-03-01 12:00:00+00', $2, $3, 99.00) RETURNING id"};
        big_flight =
            FlightId{value_or_throw(conn->exec(kInsert, {"BIG", kHugeFlight, 0})).int64(0, 0)};
        sold_out_flight =
            FlightId{value_or_throw(conn->exec(kInsert, {"FULL", 180, 180})).int64(0, 0)};

        pool = value_or_throw(postgres::ConnectionPool::create({dsn, 8, 10000, 5000, 10000}));
        memory = std::make_unique<memory::InMemorySeatInventory>(clock);
        (void)memory->add_flight(big_flight, kHugeFlight, 0);
        (void)memory->add_flight(sold_out_flight, 180, 180);
        postgres = std::make_unique<postgres::PostgresSeatInventory>(pool, clock);
        redis_client = value_or_throw(redis::Client::create(
            {env_or_throw("FLIGHTBOOK_TEST_REDIS_HOST"),
             std::stoi(env_or_throw("FLIGHTBOOK_TEST_REDIS_PORT")), 8, 1000, 1000, 5000}));
        redis = std::make_unique<redis::RedisSeatInventory>(redis_client, *postgres, clock,
                                                            redis::SeatCounterOptions{prefix_});
    }

    std::unique_ptr<postgres::Connection> admin_;
    std::string schema_;
    std::string prefix_;
    std::atomic<std::uint64_t> counter_{0};
};

SeatInventory& adapter(int index) {
    Env& env = Env::get();
    switch (index) {
        case 0: return *env.memory;
        case 1: return *env.postgres;
        default: return *env.redis;
    }
}

const char* adapter_name(int index) {
    static const char* const kNames[] = {"memory", "postgres", "redis+postgres"};
    return kNames[index];
}

// Successful one-seat holds, each with a fresh reservation id.
void BM_Hold(benchmark::State& state) {
    Env& env = Env::get();
    SeatInventory& inv = adapter(static_cast<int>(state.range(0)));
    state.SetLabel(adapter_name(static_cast<int>(state.range(0))));
    std::int64_t failures = 0;
    for (auto _ : state) {
        auto id = ReservationId::parse(env.next_id("h"));
        auto r = inv.hold(HoldRequest{*id, {{env.big_flight, 1}}, env.clock.now() + 15min});
        if (!r) ++failures;
        benchmark::DoNotOptimize(r);
    }
    if (failures > 0) state.SkipWithError("holds failed");
    state.counters["holds_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Holds on a sold-out flight: every one must be refused.
void BM_SoldOutRejection(benchmark::State& state) {
    Env& env = Env::get();
    SeatInventory& inv = adapter(static_cast<int>(state.range(0)));
    state.SetLabel(adapter_name(static_cast<int>(state.range(0))));
    std::int64_t accepted = 0;
    for (auto _ : state) {
        auto id = ReservationId::parse(env.next_id("s"));
        auto r = inv.hold(HoldRequest{*id, {{env.sold_out_flight, 1}}, env.clock.now() + 15min});
        if (r || r.error().code != ErrorCode::kFailedPrecondition) ++accepted;
    }
    if (accepted > 0) state.SkipWithError("a sold-out flight accepted a hold");
    state.counters["rejections_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_Hold)->ArgName("adapter")->DenseRange(0, 2)->UseRealTime()->Threads(1)->Threads(4);
BENCHMARK(BM_SoldOutRejection)
    ->ArgName("adapter")
    ->DenseRange(0, 2)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(4);

BENCHMARK_MAIN();
