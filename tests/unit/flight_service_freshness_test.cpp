// FlightServiceOptions::seat_freshness: a search page is checked against seat
// counts no older than the bound; older ones are read from the store again.
#include <doctest/doctest.h>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

struct World {
    explicit World(std::chrono::milliseconds freshness) {
        flights::FlightServiceOptions o;
        o.seat_freshness = freshness;
        REQUIRE(seats.add_flights(testing::reference_flights()));
        service = std::make_unique<flights::FlightService>(repo, seats, clock, o);
        REQUIRE(service->reload());
    }
    // Sells AI103 (id 3) down to 1 seat directly in the store, behind the
    // service's back (another instance, say).
    void sell_ai103_elsewhere() {
        REQUIRE(seats.hold(HoldRequest{
            ReservationId::parse("elsewhere").value(), {{FlightId{3}, 99}}, clock.now() + 1h}));
    }
    std::size_t count(const char* from, const char* to) {
        auto answer = service->search(testing::query(from, to, 2));
        REQUIRE(answer);
        return answer->result.paths.size();
    }

    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory seats{clock};
    std::unique_ptr<flights::FlightService> service;
};

}  // namespace

TEST_CASE("counts read within the freshness bound answer without asking the store") {
    World w(1000ms);
    REQUIRE(w.count("DEL", "BOM") == 3);  // reads AI101, AI102, AI103 from the store
    w.sell_ai103_elsewhere();
    // Within the bound: the page is checked against the counts just read.
    CHECK(w.count("DEL", "BOM") == 3);
    // Past it: read again, and AI103 (1 seat left, 2 asked) drops out.
    w.clock.advance(2s);
    CHECK(w.count("DEL", "BOM") == 2);
}

TEST_CASE("a freshness of 0 checks every page against the store") {
    World w(0ms);
    REQUIRE(w.count("DEL", "BOM") == 3);
    w.sell_ai103_elsewhere();
    CHECK(w.count("DEL", "BOM") == 2);
}

TEST_CASE("this service's own seat operations refresh the counts at once") {
    World w(1000ms);
    REQUIRE(w.count("DEL", "BOM") == 3);
    // A hold through the service reads the new count back into the mirror.
    REQUIRE(w.service->hold(ReservationId::parse("here").value(), {{FlightId{3}, 99}}));
    CHECK(w.count("DEL", "BOM") == 2);
}
