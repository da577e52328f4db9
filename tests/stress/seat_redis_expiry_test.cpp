// Holds that expire give their seats back to the Redis counters once: after
// the sweep, exactly the seats that came back sell again through the counter
// (not one more, not one less), also with several sweepers and racing buyers.

#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "flightbook/seats/hold_sweeper.hpp"
#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::int32_t kCapacity = 10;
constexpr std::int32_t kKept = 4;                  // confirmed before the holds, never expire
constexpr std::int32_t kFree = kCapacity - kKept;  // N: the seats held, expired and sold again

// Sells `kKept` seats for good; this also loads the flight's counter.
void sell_kept(RedisFixture& f, FlightId flight) {
    auto kept = f.inventory().hold(hold_request(f.clock, "kept", {{flight, kKept}}));
    REQUIRE_MESSAGE(kept, (kept ? "" : kept.error().message));
    REQUIRE(f.inventory().confirm(kept->id));
    REQUIRE(f.inventory().counter(flight));
}

// Holds every free seat, one per reservation `<prefix>-<i>`, each for `ttl`.
void hold_all_free(RedisFixture& f, FlightId flight, const std::string& prefix,
                   std::chrono::seconds ttl) {
    for (int i = 0; i < kFree; ++i) {
        INFO(prefix << " hold " << i);
        auto held = f.inventory().hold(
            hold_request(f.clock, prefix + "-" + std::to_string(i), {{flight, 1}}, ttl));
        REQUIRE_MESSAGE(held, (held ? "" : held.error().message));
        CHECK(held->applied);
    }
}

// A hold of one more seat: refused, and by the Redis counter alone.
void check_sold_out_by_counter(RedisFixture& f, FlightId flight, const std::string& id) {
    const auto rejections = f.inventory().stats().fast_rejections;
    auto extra = f.inventory().hold(hold_request(f.clock, id, {{flight, 1}}));
    REQUIRE_FALSE(extra);
    CHECK(extra.error().code == ErrorCode::kFailedPrecondition);
    CHECK(f.inventory().stats().fast_rejections == rejections + 1);
}

// The counter and the truth agree on the flight's available seats.
void check_counter_is_truth(RedisFixture& f, FlightId flight, std::int32_t available) {
    const SeatCounts truth = check_counts(f.inventory(), flight);
    CHECK(truth.available == available);
    auto counter = f.inventory().counter(flight);
    REQUIRE_MESSAGE(counter, (counter ? "" : counter.error().message));
    CHECK(counter->available == available);
    CHECK(counter->total == kCapacity);
}

}  // namespace

TEST_CASE("redis: the seats of swept holds sell again through the counter, and not one more") {
    RedisFixture f;
    const FlightId flight = f.add_flight(kCapacity);
    sell_kept(f, flight);

    hold_all_free(f, flight, "first", 60s);
    check_counter_is_truth(f, flight, 0);
    check_sold_out_by_counter(f, flight, "too-many-1");

    // Not expired yet: a sweep gives nothing back.
    HoldSweeper sweeper(f.inventory(), f.clock, HoldSweeperOptions{10'000, 4, 100});
    REQUIRE(sweeper.sweep_once());
    check_counter_is_truth(f, flight, 0);

    f.clock.advance(61s);
    // Expired but not swept: the seats are still held (only the sweep or a
    // release gives seats back), so the counter still turns buyers away.
    check_sold_out_by_counter(f, flight, "too-many-2");
    auto swept = sweeper.sweep_once();
    REQUIRE_MESSAGE(swept, (swept ? "" : swept.error().message));
    CHECK(*swept == static_cast<std::size_t>(kFree));
    CHECK(sweeper.expired_total() == static_cast<std::uint64_t>(kFree));
    check_counter_is_truth(f, flight, kFree);
    auto again = sweeper.sweep_once();  // a second sweep gives nothing back twice
    REQUIRE(again);
    CHECK(*again == 0);
    check_counter_is_truth(f, flight, kFree);

    // The same N seats sell again, counted by the counter that was there all
    // along (not rebuilt from PostgreSQL), and the (N+1)th is turned away.
    const redis::SeatCounterStats before = f.inventory().stats();
    hold_all_free(f, flight, "second", 60s);
    CHECK(f.inventory().stats().counter_loads == before.counter_loads);
    CHECK(f.inventory().stats().fast_rejections == before.fast_rejections);
    CHECK(f.inventory().stats().redis_failures == 0);
    check_counter_is_truth(f, flight, 0);
    check_sold_out_by_counter(f, flight, "too-many-3");
    CHECK(check_counts(f.inventory(), flight) == SeatCounts{flight, kCapacity, kFree, kKept, 0});
    check_pg_ledger(f.schema(), flight, 0);

    // The expired ids stay spent.
    auto reuse = f.inventory().hold(hold_request(f.clock, "first-0", {{flight, 1}}));
    REQUIRE_FALSE(reuse);
    CHECK(reuse.error().code == ErrorCode::kConflict);
}

TEST_CASE("redis: concurrent sweepers, then 2N racing buyers: exactly N win, the counter agrees") {
    RedisFixture f;
    const FlightId flight = f.add_flight(kCapacity);
    sell_kept(f, flight);
    hold_all_free(f, flight, "short", 30s);
    f.clock.advance(31s);

    constexpr int kSweepers = 4;
    std::atomic<std::size_t> expired{0};
    std::atomic<int> sweep_errors{0};
    {
        std::latch start(kSweepers);
        std::vector<std::thread> sweepers;
        for (int s = 0; s < kSweepers; ++s) {
            sweepers.emplace_back([&] {
                HoldSweeper sweeper(f.inventory(), f.clock, HoldSweeperOptions{10'000, 1, 100});
                start.arrive_and_wait();
                auto n = sweeper.sweep_once();
                if (n) {
                    expired += *n;
                } else {
                    ++sweep_errors;
                }
            });
        }
        for (auto& t : sweepers) t.join();
    }
    CHECK(sweep_errors.load() == 0);
    CHECK(expired.load() == static_cast<std::size_t>(kFree));
    check_counter_is_truth(f, flight, kFree);

    const redis::SeatCounterStats before = f.inventory().stats();
    std::atomic<int> won{0};
    std::atomic<int> refused{0};
    std::atomic<int> other{0};
    {
        constexpr int kBuyers = 2 * kFree;
        std::latch start(kBuyers);
        std::vector<std::thread> buyers;
        for (int b = 0; b < kBuyers; ++b) {
            buyers.emplace_back([&, b] {
                start.arrive_and_wait();
                auto r = f.inventory().hold(
                    hold_request(f.clock, "buyer-" + std::to_string(b), {{flight, 1}}));
                if (r) {
                    ++won;
                } else if (r.error().code == ErrorCode::kFailedPrecondition) {
                    ++refused;
                } else {
                    ++other;
                }
            });
        }
        for (auto& t : buyers) t.join();
    }
    CHECK(won.load() == kFree);
    CHECK(refused.load() == kFree);
    CHECK(other.load() == 0);
    // Every loser was turned away by the counter: it never let an (N+1)th
    // buyer through to PostgreSQL.
    CHECK(f.inventory().stats().fast_rejections - before.fast_rejections ==
          static_cast<std::uint64_t>(kFree));
    CHECK(f.inventory().stats().counter_loads == before.counter_loads);
    check_counter_is_truth(f, flight, 0);
    check_pg_ledger(f.schema(), flight, 0);
}
