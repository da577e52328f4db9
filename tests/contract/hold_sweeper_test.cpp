// The hold sweeper on every SeatInventory adapter: expired holds come back by
// themselves, once, in batches; confirmed seats never.

#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "flightbook/seats/hold_sweeper.hpp"
#include "seat_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

TEST_CASE_TEMPLATE("the sweeper gives expired holds back in bounded batches", F, MemoryFixture,
                   PostgresFixture, RedisFixture) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(50);
    for (int i = 0; i < 12; ++i) {
        REQUIRE(inv.hold(hold_request(f.clock, "sw-" + std::to_string(i), {{flight, 2}}, 60s)));
    }
    REQUIRE(inv.confirm(rid("sw-0")));
    std::vector<std::string> seen;
    HoldSweeper sweeper(inv, f.clock, HoldSweeperOptions{10'000, 5, 100},
                        [&](const Reservation& r) { seen.push_back(r.id.str()); });

    auto nothing = sweeper.sweep_once();
    REQUIRE(nothing);
    CHECK(*nothing == 0);

    f.clock.advance(60s);
    auto swept = sweeper.sweep_once();
    REQUIRE(swept);
    CHECK(*swept == 11);
    CHECK(seen.size() == 11);
    CHECK(std::find(seen.begin(), seen.end(), "sw-0") == seen.end());
    CHECK(sweeper.expired_total() == 11);
    CHECK(*sweeper.sweep_once() == 0);
    auto c = inv.availability(flight);
    REQUIRE(c);
    CHECK(*c == SeatCounts{flight, 50, 0, 2, 48});
}

TEST_CASE("the background sweeper runs until stopped") {
    MemoryFixture f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(10);
    REQUIRE(inv.hold(hold_request(f.clock, "bg", {{flight, 4}}, 30s)));
    HoldSweeper sweeper(inv, f.clock, HoldSweeperOptions{5, 10, 10});
    sweeper.start();
    sweeper.start();  // no-op
    f.clock.advance(31s);
    for (int i = 0; i < 400 && sweeper.expired_total() == 0; ++i) std::this_thread::sleep_for(5ms);
    sweeper.stop();
    sweeper.stop();
    CHECK(sweeper.expired_total() == 1);
    CHECK(inv.availability(flight)->available == 10);
    CHECK(sweeper.failed_sweeps() == 0);
}
