#pragma once
// Invariant checks shared by the seat stress tests.

#include <doctest/doctest.h>

#include <latch>
#include <thread>
#include <vector>

#include "seat_fixtures.hpp"

namespace flightbook::testing {

// Runs `body(i)` on `n` threads released together.
template <typename Body>
void run_concurrently(int n, Body body) {
    std::latch start(n);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            body(i);
        });
    }
    for (auto& t : threads) t.join();
}

/// available + held + confirmed = total and available >= 0, via the port.
inline SeatCounts check_counts(SeatInventory& inv, FlightId flight) {
    auto c = inv.availability(flight);
    REQUIRE_MESSAGE(c, (c ? "" : c.error().message));
    CHECK(c->available + c->held + c->confirmed == c->total);
    CHECK(c->available >= 0);
    CHECK(c->held >= 0);
    return *c;
}

/// In PostgreSQL, the flight row's counters equal what the reservations
/// account for: held_seats = Σ held legs, booked_seats = sold + Σ held and
/// confirmed legs.
inline void check_pg_ledger(const PgSchema& schema, FlightId flight, std::int32_t sold_before) {
    static constexpr postgres::Statement kLedger{
        "test_ledger",
        "SELECT f.total_seats, f.booked_seats, f.held_seats, "
        "COALESCE(SUM(l.seats) FILTER (WHERE r.state = 'held'), 0), "
        "COALESCE(SUM(l.seats) FILTER (WHERE r.state = 'confirmed'), 0) "
        "FROM flights f LEFT JOIN seat_reservation_legs l ON l.flight_id = f.id "
        "LEFT JOIN seat_reservations r ON r.id = l.reservation_id "
        "WHERE f.id = $1 GROUP BY f.id"};
    auto conn = schema.connect();
    auto r = conn->exec(kLedger, {flight.value()});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    REQUIRE(r->rows() == 1);
    const std::int64_t total = r->int64(0, 0);
    const std::int64_t booked = r->int64(0, 1);
    const std::int64_t held = r->int64(0, 2);
    CHECK(held == r->int64(0, 3));
    CHECK(booked == sold_before + r->int64(0, 3) + r->int64(0, 4));
    CHECK(booked <= total);
}

}  // namespace flightbook::testing
