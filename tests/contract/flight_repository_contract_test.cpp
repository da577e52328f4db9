// The FlightRepository contract on the reference schedule (SPEC §2), run
// against the PostgreSQL adapter (sql/flights reference data) and the
// in-memory adapter (the shipped CSV): both must read back the same world.

#include <doctest/doctest.h>

#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/postgres/flight_repository.hpp"
#include "flightbook/schedule/csv.hpp"
#include "seat_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;

namespace {

struct PostgresRepo {
    PgSchema schema;
    std::shared_ptr<postgres::ConnectionPool> pool = make_seat_pool(schema, 2);
    postgres::PostgresFlightRepository repo{pool};
    FlightRepository& get() { return repo; }
};

std::vector<Flight> reference_csv() {
    auto flights = schedule::read_flights_csv(std::string(FLIGHTBOOK_SQL_DIR) +
                                              "/../examples/data/reference_flights.csv");
    REQUIRE_MESSAGE(flights, (flights ? "" : flights.error().message));
    std::vector<Flight> all = *flights;
    std::reverse(all.begin(), all.end());  // input order must not matter
    return all;
}

// Needs no server: the contract's memory half runs in flightbook_contract_memory.
struct MemoryRepo {
    memory::InMemoryFlightRepository repo{reference_csv()};
    FlightRepository& get() { return repo; }
};

UtcTime at(const char* text) {
    auto t = parse_rfc3339(text);
    REQUIRE(t);
    return *t;
}

}  // namespace

TEST_CASE_TEMPLATE("the reference schedule reads back exactly", R, PostgresRepo, MemoryRepo) {
    R r;
    FlightRepository& repo = r.get();
    auto all = repo.list_all();
    REQUIRE(all);
    REQUIRE(all->size() == 16);
    for (std::size_t i = 0; i < all->size(); ++i)
        CHECK((*all)[i].id == FlightId{static_cast<std::int64_t>(i + 1)});

    auto ai101 = repo.get(FlightId{1});
    REQUIRE(ai101);
    CHECK(ai101->flight_number == "AI101");
    CHECK(ai101->source.view() == "DEL");
    CHECK(ai101->destination.view() == "BOM");
    CHECK(ai101->departure_time == at("2024-02-15T08:00:00Z"));
    CHECK(ai101->arrival_time == at("2024-02-15T10:30:00Z"));
    CHECK(ai101->total_seats == 180);
    CHECK(ai101->available_seats() == 130);
    CHECK(ai101->price == Money::from_cents(850'000));

    auto ai406 = repo.get(FlightId{13});
    REQUIRE(ai406);
    CHECK(ai406->flight_number == "AI406");
    CHECK(ai406->available_seats() == 160);

    CHECK(repo.get(FlightId{17}).error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("flights departing in a window come in departure order", R, PostgresRepo,
                   MemoryRepo) {
    R r;
    FlightRepository& repo = r.get();
    auto morning = repo.list_departing(at("2024-02-15T06:00:00Z"), at("2024-02-15T09:00:00Z"));
    REQUIRE(morning);
    std::vector<std::string> numbers;
    for (const Flight& f : *morning) numbers.push_back(f.flight_number);
    // 06:00 AI405, 07:00 AI401, 08:00 AI101, 08:30 AI403; 09:00 is excluded.
    CHECK(numbers == std::vector<std::string>{"AI405", "AI401", "AI101", "AI403"});

    auto day = repo.list_departing(at("2024-02-15T00:00:00Z"), at("2024-02-16T00:00:00Z"));
    REQUIRE(day);
    CHECK(day->size() == 16);
    CHECK(repo.list_departing(at("2024-02-16T00:00:00Z"), at("2024-02-17T00:00:00Z"))->empty());
    CHECK(
        repo.list_departing(at("2024-02-16T00:00:00Z"), at("2024-02-15T00:00:00Z")).error().code ==
        ErrorCode::kInvalidArgument);
}

TEST_CASE("the in-memory repository reads booked_seats from its inventory at read time") {
    ManualClock clock;
    memory::InMemorySeatInventory seats(clock);
    auto flights = reference_csv();
    REQUIRE(seats.add_flights(flights));
    memory::InMemoryFlightRepository repo(flights, &seats);
    auto rid = ReservationId::parse("memory-live").value();
    REQUIRE(
        seats.hold(HoldRequest{rid, {{FlightId{1}, 7}}, clock.now() + std::chrono::minutes(5)}));
    CHECK(repo.get(FlightId{1})->available_seats() == 123);  // 130 in the file, 7 held
    auto all = repo.list_all();
    REQUIRE(all);
    CHECK((*all)[0].booked_seats == 57);
    CHECK(repo.list_departing(at("2024-02-15T08:00:00Z"), at("2024-02-15T08:01:00Z"))
              ->front()
              .booked_seats == 57);
    // Without an inventory the schedule's own counts are what it reads.
    memory::InMemoryFlightRepository frozen(flights);
    CHECK(frozen.get(FlightId{1})->available_seats() == 130);
}
