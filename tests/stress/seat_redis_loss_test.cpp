// Losing Redis in the middle of a booking storm (FLUSHALL, and a crash with
// restart of a private redis-server): no oversell, no lost confirmed seat,
// counters rebuilt from PostgreSQL (SPEC §5).

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kThreads = 16;
constexpr int kOpsPerThread = 60;
constexpr int kReservations = kThreads * kOpsPerThread;
constexpr std::int32_t kCapacity = 50;
constexpr std::int32_t kSoldBefore = 5;

// What the storm did with reservation `storm-<t>-<k>` (slot t * kOpsPerThread + k).
enum Fate : int { kNone = 0, kHeld, kConfirmed, kReleased, kCancelled };

std::string storm_id(int slot) {
    return "storm-" + std::to_string(slot / kOpsPerThread) + "-" +
           std::to_string(slot % kOpsPerThread);
}

struct StormOutcome {
    std::vector<Fate> fates;  // per slot
    int holds_won = 0;
    int holds_refused = 0;
    int errors = 0;
    int cancels = 0;         // confirmed reservations given back by a release that applied
    int cancel_repeats = 0;  // releases that found another thread had already cancelled
    int double_applied = 0;  // releases told `applied` for a reservation already cancelled
};

// Threads book, confirm and cancel on `flights`; once a quarter of the work is
// done, the main thread calls `disrupt` while the storm goes on. No lock is
// held around a seat call: each thread confirms and releases the holds it
// made, and cancels the oldest confirmed booking of any thread; several
// threads may pick the same one at once, and the one whose release applied
// claims it (a compare-and-set on its fate), so a second `applied` for the
// same cancellation is counted as a double.
template <typename Disrupt>
StormOutcome run_storm(RedisFixture& f, const std::vector<FlightId>& flights, Disrupt disrupt) {
    std::vector<std::atomic<int>> fate(kReservations);
    std::atomic<int> holds_won{0};
    std::atomic<int> holds_refused{0};
    std::atomic<int> errors{0};
    std::atomic<int> cancels{0};
    std::atomic<int> cancel_repeats{0};
    std::atomic<int> double_applied{0};
    std::atomic<int> done{0};

    // Releases the oldest confirmed booking (any thread's), if there is one.
    auto cancel_oldest = [&] {
        for (int slot = 0; slot < kReservations; ++slot) {
            if (fate[static_cast<std::size_t>(slot)].load() != kConfirmed) continue;
            auto released = f.inventory().release(rid(storm_id(slot)));
            if (!released) {
                ++errors;
            } else if (!released->applied) {
                ++cancel_repeats;
            } else {
                int expected = kConfirmed;
                if (fate[static_cast<std::size_t>(slot)].compare_exchange_strong(expected,
                                                                                 kCancelled)) {
                    ++cancels;
                } else {
                    ++double_applied;
                }
            }
            return;
        }
    };

    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<std::uint32_t>(1234 + t));
            for (int k = 0; k < kOpsPerThread; ++k) {
                ++done;
                const int slot = t * kOpsPerThread + k;
                std::atomic<int>& mine = fate[static_cast<std::size_t>(slot)];
                const FlightId a = flights[rng() % flights.size()];
                const FlightId b = flights[rng() % flights.size()];
                std::vector<SeatLeg> legs{{a, static_cast<std::int32_t>(1 + rng() % 2)}};
                if (b != a && rng() % 3 == 0) legs.push_back({b, 1});
                auto held = f.inventory().hold(hold_request(f.clock, storm_id(slot), legs));
                if (!held) {
                    if (held.error().code == ErrorCode::kFailedPrecondition) {
                        ++holds_refused;
                    } else {
                        ++errors;
                    }
                    continue;
                }
                ++holds_won;
                mine.store(kHeld);
                const auto dice = rng() % 10;
                if (dice < 6) {
                    auto confirmed = f.inventory().confirm(held->id);
                    if (confirmed) {
                        mine.store(kConfirmed);
                    } else {
                        ++errors;
                    }
                } else if (dice < 8) {
                    auto released = f.inventory().release(held->id);
                    if (released) {
                        mine.store(kReleased);
                    } else {
                        ++errors;
                    }
                }
                // A few confirmed bookings are cancelled later.
                if (dice == 9) cancel_oldest();
            }
        });
    }
    for (int i = 0; i < 2000 && done.load() < kReservations / 4; ++i) {
        std::this_thread::sleep_for(1ms);
    }
    // The disruption must land while the storm is still running.
    CHECK(done.load() < kReservations);
    disrupt();
    for (auto& t : threads) t.join();

    StormOutcome outcome;
    outcome.holds_won = holds_won.load();
    outcome.holds_refused = holds_refused.load();
    outcome.errors = errors.load();
    outcome.cancels = cancels.load();
    outcome.cancel_repeats = cancel_repeats.load();
    outcome.double_applied = double_applied.load();
    for (int slot = 0; slot < kReservations; ++slot) {
        const auto fate_of = static_cast<Fate>(fate[static_cast<std::size_t>(slot)].load());
        outcome.fates.push_back(fate_of);
    }
    return outcome;
}

// Gives back one held or confirmed reservation of the storm with a leg on
// `flight`, so that the flight has a seat again; false when there is none.
bool free_a_seat(RedisFixture& f, FlightId flight, const StormOutcome& outcome) {
    for (int slot = 0; slot < kReservations; ++slot) {
        const Fate fate = outcome.fates[static_cast<std::size_t>(slot)];
        if (fate != kHeld && fate != kConfirmed) continue;
        auto r = f.truth().get(rid(storm_id(slot)));
        REQUIRE(r);
        if (std::none_of(r->legs.begin(), r->legs.end(),
                         [&](const SeatLeg& leg) { return leg.flight_id == flight; })) {
            continue;
        }
        auto released = f.inventory().release(r->id);
        REQUIRE(released);
        CHECK(released->applied);
        return true;
    }
    return false;
}

void check_after_storm(RedisFixture& f, const std::vector<FlightId>& flights,
                       const StormOutcome& outcome) {
    INFO("won " << outcome.holds_won << ", refused " << outcome.holds_refused << ", errors "
                << outcome.errors << ", cancels " << outcome.cancels << " (+"
                << outcome.cancel_repeats << " concurrent repeats)");
    CHECK(outcome.holds_won > 0);
    CHECK(outcome.holds_refused > 0);  // the flights sold out during the storm
    CHECK(outcome.errors == 0);
    CHECK(outcome.cancels > 0);
    CHECK(outcome.double_applied == 0);
    // No lost sale and no lost cancellation: PostgreSQL agrees with what every
    // call answered.
    for (int slot = 0; slot < kReservations; ++slot) {
        const Fate fate = outcome.fates[static_cast<std::size_t>(slot)];
        if (fate == kNone) continue;
        auto r = f.truth().get(rid(storm_id(slot)));
        REQUIRE(r);
        const ReservationState want = fate == kHeld        ? ReservationState::kHeld
                                      : fate == kConfirmed ? ReservationState::kConfirmed
                                      : fate == kReleased  ? ReservationState::kReleased
                                                           : ReservationState::kCancelled;
        CHECK_MESSAGE(r->state == want, storm_id(slot));
    }
    // No oversell: the counters add up and match the reservations.
    for (FlightId flight : flights) {
        check_counts(f.inventory(), flight);
        check_pg_ledger(f.schema(), flight, kSoldBefore);
    }
    // Counters are rebuilt by load-if-missing, never by an increment. A flight
    // that saw no hold after the disruption (its storm threads were done, or
    // they ran while Redis was still down and went to the truth directly) has
    // no counter yet. Reset in a quiet moment, a counter is rebuilt by the
    // next hold and then equals the truth exactly. The storm leaves the
    // flights sold out (held seats do not expire here), so a booking is given
    // back first where none is left: the probe must then sell through the
    // rebuilt counter, and the check below always runs.
    for (FlightId flight : flights) {
        INFO("flight " << flight.value());
        auto counter = f.inventory().counter(flight);
        if (counter) {
            CHECK(counter->total == kCapacity);
        } else {
            CHECK_MESSAGE(counter.error().code == ErrorCode::kNotFound, counter.error().message);
        }
        REQUIRE(f.inventory().reset_counter(flight));
        if (check_counts(f.inventory(), flight).available == 0) {
            REQUIRE(free_a_seat(f, flight, outcome));
        }
        const SeatCounts before = check_counts(f.inventory(), flight);
        REQUIRE(before.available > 0);
        const auto loads = f.inventory().stats().counter_loads;
        auto probe = f.inventory().hold(
            hold_request(f.clock, "probe-" + std::to_string(flight.value()), {{flight, 1}}));
        REQUIRE_MESSAGE(probe, (probe ? "" : probe.error().message));
        CHECK(f.inventory().stats().counter_loads == loads + 1);
        const SeatCounts truth = check_counts(f.inventory(), flight);
        CHECK(truth.available == before.available - 1);
        auto rebuilt = f.inventory().counter(flight);
        REQUIRE(rebuilt);
        CHECK(rebuilt->available == truth.available);
        CHECK(rebuilt->total == kCapacity);
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
