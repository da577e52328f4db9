// Redis counters that drifted from PostgreSQL are repaired by `reconcile`,
// also while bookings run, and the repair never leaves a counter below the
// truth (which would turn away requests for seats that exist).

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;

namespace {

std::string counter_key(RedisFixture& f, FlightId flight) {
    return f.inventory().options().key_prefix + "flight:" + std::to_string(flight.value());
}

// Makes sure the flight has a counter (holds load it), leaving no seat held.
void load_counter(RedisFixture& f, FlightId flight, const std::string& id) {
    auto held = f.inventory().hold(hold_request(f.clock, id, {{flight, 1}}));
    REQUIRE_MESSAGE(held, (held ? "" : held.error().message));
    REQUIRE(f.inventory().release(held->id));
    REQUIRE(f.inventory().counter(flight));
}

// What a process that dies after counting a hold in Redis, before
// PostgreSQL commits it, leaves behind: the count and nothing else.
void count_without_commit(RedisFixture& f, FlightId flight, int seats) {
    const std::string key = counter_key(f, flight);
    REQUIRE(f.client().command({"HINCRBY", key, "available", std::to_string(-seats)}));
    REQUIRE(f.client().command({"HINCRBY", key, "v", "1"}));
}

}  // namespace

TEST_CASE("reconcile: a count left by a dead process no longer turns away seats that exist") {
    RedisFixture f;
    const FlightId flight = f.add_flight(4);
    load_counter(f, flight, "drift-load");
    count_without_commit(f, flight, 3);

    // PostgreSQL has 4 seats; the counter says 1, so the second hold is refused.
    REQUIRE(f.inventory().hold(hold_request(f.clock, "drift-a", {{flight, 1}})));
    auto refused = f.inventory().hold(hold_request(f.clock, "drift-b", {{flight, 1}}));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
    CHECK(f.truth().availability(flight)->available == 3);

    auto report = f.inventory().reconcile({flight});
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->checked == 1);
    CHECK(report->repaired == 1);
    CHECK(f.inventory().counter(flight)->available == 3);
    CHECK(f.inventory().stats().counter_repairs == 1);

    // Every seat PostgreSQL has can be sold again, and not one more.
    for (int i = 0; i < 3; ++i) {
        INFO("hold " << i);
        CHECK(f.inventory().hold(
            hold_request(f.clock, "drift-c" + std::to_string(i), {{flight, 1}})));
    }
    CHECK_FALSE(f.inventory().hold(hold_request(f.clock, "drift-d", {{flight, 1}})));
    check_counts(f.inventory(), flight);
}

TEST_CASE("reconcile: high counters come down, equal ones and missing ones are left alone") {
    RedisFixture f;
    const FlightId high = f.add_flight(10, 4);
    const FlightId equal = f.add_flight(10);
    const FlightId never_used = f.add_flight(10);
    load_counter(f, high, "high-load");
    load_counter(f, equal, "equal-load");
    REQUIRE(f.client().command({"HSET", counter_key(f, high), "available", "9"}));

    auto report = f.inventory().reconcile({high, equal, never_used, FlightId{987'654'321}});
    REQUIRE_MESSAGE(report, (report ? "" : report.error().message));
    CHECK(report->checked == 2);
    CHECK(report->repaired == 1);
    CHECK(report->missing == 2);
    CHECK(f.inventory().counter(high)->available == 6);
    CHECK(f.inventory().counter(equal)->available == 10);
    CHECK(f.inventory().counter(never_used).error().code == ErrorCode::kNotFound);

    // A second pass finds nothing to do.
    auto again = f.inventory().reconcile({high, equal});
    REQUIRE(again);
    CHECK(again->repaired == 0);
}

TEST_CASE("reconcile: a counter written before versions existed is still repaired") {
    RedisFixture f;
    const FlightId flight = f.add_flight(5);
    REQUIRE(f.client().command({"HSET", counter_key(f, flight), "available", "1", "total", "5"}));
    auto report = f.inventory().reconcile({flight});
    REQUIRE(report);
    CHECK(report->repaired == 1);
    CHECK(f.inventory().counter(flight)->available == 5);
}

TEST_CASE("reconcile during a booking storm never leaves a counter below PostgreSQL") {
    constexpr int kThreads = 8;
    constexpr int kOpsPerThread = 40;
    RedisFixture f;
    std::vector<FlightId> storm;
    for (int i = 0; i < 3; ++i) storm.push_back(f.add_flight(30, 2));
    const FlightId drifted = f.add_flight(30, 2);  // not booked during the storm
    std::vector<FlightId> all = storm;
    all.push_back(drifted);
    for (std::size_t i = 0; i < all.size(); ++i) {
        load_counter(f, all[i], "storm-load-" + std::to_string(i));
    }
    count_without_commit(f, drifted, 5);

    std::atomic<bool> stop{false};
    std::atomic<int> passes{0};
    std::atomic<int> reconcile_errors{0};
    std::thread reconciler([&] {
        for (int i = 0; i < 100'000 && !stop.load(); ++i) {
            if (!f.inventory().reconcile(all)) ++reconcile_errors;
            ++passes;
        }
    });
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<std::uint32_t>(77 + t));
            for (int k = 0; k < kOpsPerThread; ++k) {
                const std::string id = "rs-" + std::to_string(t) + "-" + std::to_string(k);
                const FlightId flight = storm[rng() % storm.size()];
                auto held = f.inventory().hold(hold_request(f.clock, id, {{flight, 1}}));
                if (!held) {
                    if (held.error().code != ErrorCode::kFailedPrecondition) ++errors;
                    continue;
                }
                // Most holds are confirmed; some are given back.
                auto done = rng() % 4 == 0 ? f.inventory().release(held->id)
                                           : f.inventory().confirm(held->id);
                if (!done) ++errors;
            }
        });
    }
    for (auto& t : threads) t.join();
    // At least one pass must have run (it is fast; the bound is generous).
    for (int i = 0; i < 5'000 && passes.load() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    stop = true;
    reconciler.join();
    CHECK(errors.load() == 0);
    CHECK(reconcile_errors.load() == 0);
    REQUIRE(passes.load() > 0);

    // Without the reconciler the storm would leave each counter equal to the
    // truth; with it running alongside, a counter may be above the truth,
    // never below. The drifted flight, untouched by the storm, is repaired.
    for (FlightId flight : storm) {
        const SeatCounts truth = check_counts(f.inventory(), flight);
        auto counter = f.inventory().counter(flight);
        REQUIRE(counter);
        CHECK(counter->available >= truth.available);
        check_pg_ledger(f.schema(), flight, 2);
    }
    CHECK(f.inventory().counter(drifted)->available == 28);
    auto final_pass = f.inventory().reconcile(all);
    REQUIRE(final_pass);
    CHECK(final_pass->busy == 0);
    for (FlightId flight : all) {
        CHECK(f.inventory().counter(flight)->available ==
              f.truth().availability(flight)->available);
    }
}
