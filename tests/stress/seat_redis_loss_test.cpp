// Losing Redis in the middle of a booking storm (FLUSHALL, and a crash with
// restart of a private redis-server): no oversell, no lost confirmed seat,
// counters rebuilt from PostgreSQL (SPEC §5).

#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kThreads = 16;
constexpr int kOpsPerThread = 60;
constexpr std::int32_t kCapacity = 50;
constexpr std::int32_t kSoldBefore = 5;

struct StormOutcome {
    std::set<std::string> confirmed;  // confirmed by the storm and never released
    int holds_won = 0;
    int holds_refused = 0;
    int errors = 0;
};

// Threads book, confirm and cancel on `flights`; once half the work is done,
// the main thread calls `disrupt` while the storm goes on.
template <typename Disrupt>
StormOutcome run_storm(RedisFixture& f, const std::vector<FlightId>& flights, Disrupt disrupt) {
    StormOutcome outcome;
    std::mutex mutex;
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<std::uint32_t>(1234 + t));
            for (int k = 0; k < kOpsPerThread; ++k) {
                ++done;
                const std::string id = "storm-" + std::to_string(t) + "-" + std::to_string(k);
                const FlightId a = flights[rng() % flights.size()];
                const FlightId b = flights[rng() % flights.size()];
                std::vector<SeatLeg> legs{{a, static_cast<std::int32_t>(1 + rng() % 2)}};
                if (b != a && rng() % 3 == 0) legs.push_back({b, 1});
                auto held = f.inventory().hold(hold_request(f.clock, id, legs));
                std::lock_guard lock(mutex);
                if (!held) {
                    if (held.error().code == ErrorCode::kFailedPrecondition) {
                        ++outcome.holds_refused;
                    } else {
                        ++outcome.errors;
                    }
                    continue;
                }
                ++outcome.holds_won;
                const auto dice = rng() % 10;
                if (dice < 6) {
                    if (f.inventory().confirm(held->id)) outcome.confirmed.insert(id);
                } else if (dice < 8) {
                    if (f.inventory().release(held->id)) outcome.confirmed.erase(id);
                }
                // A few confirmed bookings are cancelled later.
                if (dice == 9 && !outcome.confirmed.empty()) {
                    const std::string victim = *outcome.confirmed.begin();
                    if (f.inventory().release(rid(victim))->applied)
                        outcome.confirmed.erase(victim);
                }
            }
        });
    }
    for (int i = 0; i < 2000 && done.load() < kThreads * kOpsPerThread / 4; ++i) {
        std::this_thread::sleep_for(1ms);
    }
    // The disruption must land while the storm is still running.
    CHECK(done.load() < kThreads * kOpsPerThread);
    disrupt();
    for (auto& t : threads) t.join();
    return outcome;
}

void check_after_storm(RedisFixture& f, const std::vector<FlightId>& flights,
                       const StormOutcome& outcome) {
    INFO("won " << outcome.holds_won << ", refused " << outcome.holds_refused << ", errors "
                << outcome.errors);
    CHECK(outcome.holds_won > 0);
    CHECK(outcome.holds_refused > 0);  // the flights sold out during the storm
    CHECK(outcome.errors == 0);
    // No lost sale: everything the storm confirmed (and kept) is confirmed in PostgreSQL.
    for (const std::string& id : outcome.confirmed) {
        auto r = f.truth().get(rid(id));
        REQUIRE(r);
        CHECK_MESSAGE(r->state == ReservationState::kConfirmed, id);
    }
    // No oversell: the counters add up and match the reservations.
    for (FlightId flight : flights) {
        check_counts(f.inventory(), flight);
        check_pg_ledger(f.schema(), flight, kSoldBefore);
    }
    // Counters are rebuilt by load-if-missing, never by an increment. A flight
    // that saw no hold after the disruption (its storm threads were done, or
    // they ran while Redis was still down and went to the truth directly) has
    // no counter yet; the probe below rebuilds it. Once reset in a quiet
    // moment a counter equals the truth exactly.
    for (FlightId flight : flights) {
        auto counter = f.inventory().counter(flight);
        if (counter) {
            CHECK(counter->total == kCapacity);
        } else {
            CHECK_MESSAGE(counter.error().code == ErrorCode::kNotFound, counter.error().message);
        }
        REQUIRE(f.inventory().reset_counter(flight));
        auto probe = f.inventory().hold(
            hold_request(f.clock, "probe-" + std::to_string(flight.value()), {{flight, 1}}));
        const SeatCounts truth = check_counts(f.inventory(), flight);
        auto rebuilt = f.inventory().counter(flight);
        if (probe) {
            REQUIRE(rebuilt);
            CHECK(rebuilt->available == truth.available);
        }
    }
}

}  // namespace

TEST_CASE("redis: FLUSHALL during a booking storm loses and oversells nothing") {
    RedisServerProcess server;
    RedisFixture f("127.0.0.1", server.port());
    const std::vector<FlightId> flights{f.add_flight(kCapacity, kSoldBefore),
                                        f.add_flight(kCapacity, kSoldBefore),
                                        f.add_flight(kCapacity, kSoldBefore)};
    const auto loads_before = f.inventory().stats().counter_loads;
    auto outcome = run_storm(f, flights, [&] { REQUIRE(f.client().command({"FLUSHALL"})); });
    // Every flight was loaded before the flush and again after it.
    CHECK(f.inventory().stats().counter_loads - loads_before >= 2 * flights.size());
    CHECK(f.inventory().stats().fast_rejections > 0);
    check_after_storm(f, flights, outcome);
}

TEST_CASE("redis: a Redis crash and restart during a booking storm loses and oversells nothing") {
    RedisServerProcess server;
    RedisFixture f("127.0.0.1", server.port());
    const std::vector<FlightId> flights{f.add_flight(kCapacity, kSoldBefore),
                                        f.add_flight(kCapacity, kSoldBefore)};
    auto outcome = run_storm(f, flights, [&] {
        server.kill_now();
        std::this_thread::sleep_for(50ms);  // the storm runs on PostgreSQL alone meanwhile
        server.start();
    });
    CHECK(f.inventory().stats().redis_failures > 0);
    check_after_storm(f, flights, outcome);
}
