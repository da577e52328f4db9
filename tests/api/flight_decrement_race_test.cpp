// Identical seat requests sent at the same time to the real flight-service
// binary (PostgreSQL + Redis): exactly one answer says `applied: true`, and
// the seats move once in PostgreSQL.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "flight_service_process.hpp"
#include "flightbook/http/json.hpp"
#include "test_env.hpp"

using namespace flightbook;
using testing::FlightServiceProcess;
using testing::PgSchema;
using testing::RedisServerProcess;

namespace {

constexpr int kCallers = 20;

struct Answers {
    std::atomic<int> applied{0};
    std::atomic<int> repeats{0};
    std::atomic<int> other{0};
    std::mutex mutex;
    std::vector<std::string> unexpected;  // status and body of anything but a 200
};

// POSTs `body` to `path` from kCallers clients at once (each on its own
// connection, opened before the start) and sorts the answers.
void post_all_at_once(const FlightServiceProcess& service, const std::string& path,
                      const std::string& body, Answers& answers) {
    std::latch start(kCallers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kCallers; ++i) {
        threads.emplace_back([&] {
            auto c = service.client();
            start.arrive_and_wait();
            auto r = c.post(path, body);
            std::optional<bool> applied;
            if (r && r->status == 200) {
                if (auto obj = http::parse_object(r->body)) {
                    if (auto a = obj->get_bool("applied")) applied = *a;
                }
            }
            if (!applied) {
                ++answers.other;
                std::lock_guard lock(answers.mutex);
                answers.unexpected.push_back(r ? fmt::format("{} {}", r->status, r->body)
                                               : r.error().message);
            } else if (*applied) {
                ++answers.applied;
            } else {
                ++answers.repeats;
            }
        });
    }
    for (auto& t : threads) t.join();
}

std::int64_t booked_in_postgres(const PgSchema& schema, int flight) {
    static constexpr postgres::Statement kBooked{"test_race_booked",
                                                 "SELECT booked_seats FROM flights WHERE id = $1"};
    auto r = schema.connect()->exec(kBooked, {flight});
    REQUIRE(r);
    return r->int64(0, 0);
}

void check_one_applied(Answers& answers) {
    INFO("unexpected answers: " << fmt::format("{}", fmt::join(answers.unexpected, " | ")));
    CHECK(answers.other.load() == 0);
    CHECK(answers.applied.load() == 1);
    CHECK(answers.repeats.load() == kCallers - 1);
}

}  // namespace

TEST_CASE("20 identical decrements at once: one answer says applied, the seats move once") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    // AI101 (id 1): 180 seats, 50 sold. A few rounds, each with its own id:
    // the race between the caller that holds and the one that confirms first
    // does not show on every round.
    constexpr int kRounds = 5;
    for (int round = 0; round < kRounds; ++round) {
        INFO("round " << round);
        Answers answers;
        post_all_at_once(service, "/api/flights/seats/decrement",
                         fmt::format(R"({{"flight_id":1,"seats":2,"date":"2024-02-15",)"
                                     R"("reservation_id":"same-{}"}})",
                                     round),
                         answers);
        check_one_applied(answers);
        CHECK(booked_in_postgres(schema, 1) == 50 + 2 * (round + 1));
    }
}

TEST_CASE("20 identical increments at once: one answer says applied, the seats come back once") {
    PgSchema schema;
    RedisServerProcess redis;
    FlightServiceProcess service(schema, redis.port());
    auto c = service.client();
    auto sold = c.post("/api/flights/seats/decrement",
                       R"({"flight_id":3,"seats":4,"date":"2024-02-15","reservation_id":"back"})");
    REQUIRE(sold);
    REQUIRE(sold->status == 200);
    CHECK(booked_in_postgres(schema, 3) == 84);

    Answers answers;
    post_all_at_once(service, "/api/flights/seats/increment",
                     R"({"flight_id":3,"seats":4,"reservation_id":"back"})", answers);
    check_one_applied(answers);
    CHECK(booked_in_postgres(schema, 3) == 80);
}
