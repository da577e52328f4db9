// Identical decrements sent at the same time (a booking service retrying
// while its first request is still running, or two of its instances racing):
// exactly one caller is told `applied`, and the seats move once. FlightService
// over the PostgreSQL and the Redis inventories.

#include <doctest/doctest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/postgres/flight_repository.hpp"
#include "seat_checks.hpp"

using namespace flightbook;
using namespace flightbook::testing;

namespace {

// PgFlights departs every flight on this day.
const UtcDate kDeparture = parse_date("2024-03-01").value();

constexpr int kCallers = 20;
constexpr int kRounds = 10;
constexpr std::int32_t kSeats = 2;

struct Tally {
    std::atomic<int> applied{0};
    std::atomic<int> repeats{0};
    std::atomic<int> failed{0};
    std::atomic<int> not_confirmed{0};

    void count(const Result<flights::SeatChange>& r) {
        if (!r) {
            ++failed;
            return;
        }
        if (r->reservation.state != ReservationState::kConfirmed) ++not_confirmed;
        if (r->reservation.applied) {
            ++applied;
        } else {
            ++repeats;
        }
    }
};

}  // namespace

TEST_CASE_TEMPLATE("concurrent identical decrements: exactly one is applied, seats move once", F,
                   PostgresFixture, RedisFixture) {
    F f;
    postgres::PostgresFlightRepository repo(make_seat_pool(f.schema(), 4));
    flights::FlightService service(repo, f.inventory(), f.clock);
    const FlightId flight = f.add_flight(100);

    for (int round = 0; round < kRounds; ++round) {
        INFO("round " << round);
        const ReservationId id = rid("dup-" + std::to_string(round));
        Tally tally;
        run_concurrently(
            kCallers, [&](int) { tally.count(service.decrement(id, flight, kSeats, kDeparture)); });
        CHECK(tally.failed.load() == 0);
        CHECK(tally.not_confirmed.load() == 0);
        CHECK(tally.applied.load() == 1);
        CHECK(tally.repeats.load() == kCallers - 1);
        const SeatCounts c = check_counts(f.inventory(), flight);
        CHECK(c.confirmed == kSeats * (round + 1));
        CHECK(c.held == 0);
    }
    check_pg_ledger(f.schema(), flight, 0);

    // A later retry of any of them is a repeat too.
    auto late = service.decrement(rid("dup-0"), flight, kSeats, kDeparture);
    REQUIRE(late);
    CHECK_FALSE(late->reservation.applied);
    CHECK(check_counts(f.inventory(), flight).confirmed == kSeats * kRounds);
}

TEST_CASE_TEMPLATE("a decrement that finds its hold made by an earlier, failed call is applied", F,
                   PostgresFixture, RedisFixture) {
    // The first call held the seats and died before confirming (or its
    // answer was lost): the retry is the call that sells them.
    F f;
    postgres::PostgresFlightRepository repo(make_seat_pool(f.schema(), 4));
    flights::FlightService service(repo, f.inventory(), f.clock);
    const FlightId flight = f.add_flight(10);
    REQUIRE(f.inventory().hold(hold_request(f.clock, "half-done", {{flight, 3}})));

    auto retry = service.decrement(rid("half-done"), flight, 3, kDeparture);
    REQUIRE_MESSAGE(retry, (retry ? "" : retry.error().message));
    CHECK(retry->reservation.applied);
    CHECK(retry->reservation.state == ReservationState::kConfirmed);
    auto again = service.decrement(rid("half-done"), flight, 3, kDeparture);
    REQUIRE(again);
    CHECK_FALSE(again->reservation.applied);
    CHECK(check_counts(f.inventory(), flight) == SeatCounts{flight, 10, 0, 3, 7});
}
