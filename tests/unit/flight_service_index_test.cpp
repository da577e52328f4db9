// FlightService::ensure_index (ADR 0010): the completion index is built beside
// a snapshot, attached only to the snapshot it was built for, and searches
// answer the same with it as without it while seats sell.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/schedule/generator.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

// A small generated network on one in-memory store, searched by two
// services: one that builds the index, one that never does.
struct World {
    explicit World(std::size_t index_bytes = std::size_t{64} << 20) {
        schedule::GeneratorOptions g;
        g.airports = 25;
        g.flights_per_day = 600;
        g.days = 2;
        g.seed = 5;
        flights = schedule::generate_schedule(g).value();
        REQUIRE(seats.add_flights(flights));
        repo = std::make_unique<memory::InMemoryFlightRepository>(flights, &seats);
        flights::FlightServiceOptions with;
        with.index_max_bytes = index_bytes;
        with.cache.max_bytes = 0;  // compare searches, not cached lists
        flights::FlightServiceOptions without = with;
        without.index_max_bytes = 0;
        indexed = std::make_unique<flights::FlightService>(*repo, seats, clock, with);
        plain = std::make_unique<flights::FlightService>(*repo, seats, clock, without);
        REQUIRE(indexed->reload());
        REQUIRE(plain->reload());
    }

    std::vector<AirportCode> airports() const {
        std::vector<AirportCode> codes;
        for (const Flight& f : flights) codes.push_back(f.source);
        std::sort(codes.begin(), codes.end());
        codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
        return codes;
    }

    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    std::vector<Flight> flights;
    memory::InMemorySeatInventory seats{clock};
    std::unique_ptr<memory::InMemoryFlightRepository> repo;
    std::unique_ptr<flights::FlightService> indexed;
    std::unique_ptr<flights::FlightService> plain;
};

}  // namespace

TEST_CASE("flight service: the completion index is built once per snapshot") {
    World w;
    auto first = w.indexed->ensure_index();
    REQUIRE(first);
    CHECK(first->attached);
    CHECK(first->bytes > 0);
    CHECK(first->entries > 0);
    auto again = w.indexed->ensure_index();
    REQUIRE(again);
    CHECK_FALSE(again->attached);  // nothing to do

    // A reload starts a snapshot without one; the next call builds it.
    REQUIRE(w.indexed->reload());
    auto rebuilt = w.indexed->ensure_index();
    REQUIRE(rebuilt);
    CHECK(rebuilt->attached);

    // Off: never built.
    auto off = w.plain->ensure_index();
    REQUIRE(off);
    CHECK_FALSE(off->attached);
}

TEST_CASE("flight service: an index over its memory budget is refused once per snapshot") {
    World w(1);
    auto refused = w.indexed->ensure_index();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kResourceExhausted);
    auto later = w.indexed->ensure_index();
    REQUIRE(later);
    CHECK_FALSE(later->attached);
}

TEST_CASE("flight service: searches answer the same with the index while seats sell") {
    World w;
    REQUIRE(w.indexed->ensure_index().value().attached);
    const auto codes = w.airports();
    std::mt19937_64 rng(11);
    int compared = 0;
    int sales = 0;
    for (int round = 0; round < 300; ++round) {
        search::SearchQuery q;
        q.source = codes[rng() % codes.size()];
        q.destination = codes[rng() % codes.size()];
        if (q.source == q.destination) continue;
        q.date = parse_date("2024-02-15").value();
        q.seats = static_cast<std::int32_t>(1 + rng() % 4);
        q.max_stops = static_cast<int>(rng() % 4);
        q.sort_by = rng() % 2 == 0 ? search::SortBy::kCheapest : search::SortBy::kFastest;
        auto a = w.indexed->search(q);
        auto b = w.plain->search(q);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->result == b->result);
        ++compared;
        // Sell most of a leg of the answer through the indexed service, so
        // that some legs run short of seats for later queries.
        if (!a->result.paths.empty()) {
            const FlightId leg = a->result.paths.front().flights.front();
            const auto avail = w.seats.availability(leg).value().available;
            const auto take = std::min<std::int32_t>(avail - static_cast<std::int32_t>(rng() % 3),
                                                     rules::kMaxSeatsPerRequest);
            if (take > 0) {
                auto id = ReservationId::parse(fmt::format("sale-{}", sales++)).value();
                REQUIRE(w.indexed->hold(id, {{leg, take}}));
                // The other service reads the new count too, so that both
                // search over the same counts.
                REQUIRE(w.plain->reservation(id));
            }
        }
        w.clock.advance(1s);  // past the freshness bound: pages read live counts
    }
    CHECK(compared > 200);
    CHECK(sales > 50);
}
