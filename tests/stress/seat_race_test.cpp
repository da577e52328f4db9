// Concurrency of the SeatInventory adapters (SPEC §5): races for the last
// seats, concurrent retries of the same call, and concurrent sweepers.

#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <map>
#include <mutex>
#include <thread>

#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

#define SEAT_ADAPTERS MemoryFixture, PostgresFixture, RedisFixture

TEST_CASE_TEMPLATE("200 concurrent holds of one seat on a 100-seat flight: exactly 100 win", F,
                   SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(100);
    std::atomic<int> won{0};
    std::atomic<int> sold_out{0};
    std::atomic<int> other{0};
    run_concurrently(200, [&](int i) {
        auto r = inv.hold(hold_request(f.clock, "race-" + std::to_string(i), {{flight, 1}}));
        if (r) {
            ++won;
        } else if (r.error().code == ErrorCode::kFailedPrecondition) {
            ++sold_out;
        } else {
            ++other;
        }
    });
    CHECK(won.load() == 100);
    CHECK(sold_out.load() == 100);
    CHECK(other.load() == 0);
    const SeatCounts c = check_counts(inv, flight);
    CHECK(c == SeatCounts{flight, 100, 100, 0, 0});

    // Confirm some winners and release the others concurrently: the sum still holds.
    run_concurrently(200, [&](int i) {
        const ReservationId id = rid("race-" + std::to_string(i));
        auto held = inv.get(id);
        if (!held) return;  // this index lost the race
        if (i % 2 == 0) {
            (void)inv.confirm(id);
        } else {
            (void)inv.release(id);
        }
    });
    const SeatCounts after = check_counts(inv, flight);
    CHECK(after.held == 0);
    CHECK(after.confirmed + after.available == 100);
}

TEST_CASE_TEMPLATE("crossing multi-leg holds neither deadlock nor oversell", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId a = f.add_flight(30);
    const FlightId b = f.add_flight(30);
    std::atomic<int> won{0};
    std::atomic<int> other{0};
    run_concurrently(60, [&](int i) {
        std::vector<SeatLeg> legs = i % 2 == 0 ? std::vector<SeatLeg>{{a, 1}, {b, 1}}
                                               : std::vector<SeatLeg>{{b, 1}, {a, 1}};
        auto r = inv.hold(hold_request(f.clock, "cross-" + std::to_string(i), legs));
        if (r) {
            ++won;
        } else if (r.error().code != ErrorCode::kFailedPrecondition) {
            ++other;
        }
    });
    CHECK(won.load() == 30);
    CHECK(other.load() == 0);
    CHECK(check_counts(inv, a).available == 0);
    CHECK(check_counts(inv, b).available == 0);
}

TEST_CASE_TEMPLATE("the same hold, confirm and release retried concurrently move seats once", F,
                   SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId a = f.add_flight(50);
    const FlightId b = f.add_flight(50);
    const HoldRequest request = hold_request(f.clock, "retry-me", {{a, 3}, {b, 2}});

    std::atomic<int> applied{0};
    std::atomic<int> failed{0};
    auto tally = [&](const Result<Reservation>& r) {
        if (!r) {
            ++failed;
        } else if (r->applied) {
            ++applied;
        }
    };
    run_concurrently(20, [&](int) { tally(inv.hold(request)); });
    CHECK(applied.load() == 1);
    CHECK(failed.load() == 0);
    CHECK(check_counts(inv, a).held == 3);
    CHECK(check_counts(inv, b).held == 2);

    applied = 0;
    run_concurrently(20, [&](int) { tally(inv.confirm(request.reservation_id)); });
    CHECK(applied.load() == 1);
    CHECK(failed.load() == 0);
    CHECK(check_counts(inv, a) == SeatCounts{a, 50, 0, 3, 47});

    applied = 0;
    run_concurrently(20, [&](int) { tally(inv.release(request.reservation_id)); });
    CHECK(applied.load() == 1);
    CHECK(failed.load() == 0);
    CHECK(check_counts(inv, a) == SeatCounts{a, 50, 0, 0, 50});
    CHECK(check_counts(inv, b) == SeatCounts{b, 50, 0, 0, 50});
}

TEST_CASE_TEMPLATE("concurrent sweepers expire each hold exactly once and never a sale", F,
                   SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(100);
    constexpr int kHolds = 60;
    for (int i = 0; i < kHolds; ++i) {
        REQUIRE(inv.hold(hold_request(f.clock, "sweep-" + std::to_string(i), {{flight, 1}}, 60s)));
        if (i % 3 == 0) REQUIRE(inv.confirm(rid("sweep-" + std::to_string(i))));
    }
    f.clock.advance(61s);
    std::mutex mutex;
    std::map<std::string, int> seen;
    run_concurrently(4, [&](int) {
        for (int round = 0; round < 100; ++round) {
            auto batch = inv.release_expired(f.clock.now(), 7);
            REQUIRE(batch);
            if (batch->empty()) return;
            std::lock_guard lock(mutex);
            for (const auto& r : *batch) ++seen[r.id.str()];
        }
    });
    CHECK(seen.size() == kHolds - kHolds / 3);
    for (const auto& [id, times] : seen) {
        CHECK_MESSAGE(times == 1, id);
        const int index = std::stoi(id.substr(std::string("sweep-").size()));
        CHECK_MESSAGE(index % 3 != 0, "a confirmed reservation expired: " << id);
    }
    CHECK(check_counts(inv, flight) == SeatCounts{flight, 100, 0, kHolds / 3, 100 - kHolds / 3});
}

TEST_CASE("postgres: the ledger matches the flight counters after a mixed storm") {
    PostgresFixture f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(120, 20);
    run_concurrently(40, [&](int t) {
        for (int k = 0; k < 10; ++k) {
            const std::string id = "mix-" + std::to_string(t) + "-" + std::to_string(k);
            if (!inv.hold(hold_request(f.clock, id, {{flight, 1 + (k % 3)}}))) continue;
            if (k % 3 == 0) (void)inv.confirm(rid(id));
            if (k % 4 == 1) (void)inv.release(rid(id));
        }
    });
    check_counts(inv, flight);
    check_pg_ledger(f.schema(), flight, 20);
}
