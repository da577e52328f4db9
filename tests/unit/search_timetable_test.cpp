// Timetable snapshots and the store that swaps them.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::search;
using testing::leg;

TEST_CASE("layout: dense airports, routes grouped by origin, legs sorted by departure") {
    //   BBB -> AAA twice (the later one listed first), AAA -> CCC, AAA -> BBB
    auto t = Timetable::build({leg(10, "BBB", "AAA", "12:00", "13:00"),
                               leg(11, "BBB", "AAA", "09:00", "10:00"),
                               leg(12, "AAA", "CCC", "08:00", "09:00", 70),
                               leg(13, "AAA", "BBB", "07:00", "08:30", 30)})
                 .value();
    CHECK(t->airport_count() == 3);
    CHECK(t->leg_count() == 4);
    CHECK(t->route_count() == 3);
    const AirportIndex a = *t->airport_index(AirportCode::parse("AAA").value());
    const AirportIndex b = *t->airport_index(AirportCode::parse("BBB").value());
    CHECK_FALSE(t->airport_index(AirportCode::parse("ZZZ").value()));
    auto from_b = t->routes_from(b);
    REQUIRE(from_b.size() == 1);
    const Route& r = from_b[0];
    CHECK(r.to == a);
    CHECK(r.end_leg - r.first_leg == 2);
    CHECK(t->flight_id(r.first_leg) == FlightId{11});
    CHECK(t->departure(r.first_leg) < t->departure(r.first_leg + 1));
    CHECK(r.min_price_cents == 10000);
    CHECK(r.min_block_seconds == 3600);
    CHECK(t->routes_from(a).size() == 2);
    CHECK(t->routes_into(a).size() == 1);
    CHECK(t->find(FlightId{12})->flight_number == "T12");
    CHECK(t->find(FlightId{99}) == nullptr);
    CHECK(t->memory_bytes() > 0);
}

TEST_CASE("sparse ids are found too") {
    auto t = Timetable::build({leg(5, "AAA", "BBB", "07:00", "08:00"),
                               leg(9'000'000'000, "BBB", "AAA", "09:00", "10:00")})
                 .value();
    CHECK(t->find(FlightId{9'000'000'000})->source.view() == "BBB");
    CHECK(t->find(FlightId{6}) == nullptr);
}

TEST_CASE("invalid flights are rejected") {
    auto dup = Timetable::build(
        {leg(1, "AAA", "BBB", "07:00", "08:00"), leg(1, "BBB", "AAA", "09:00", "10:00")});
    REQUIRE_FALSE(dup);
    CHECK(dup.error().message.find("duplicate") != std::string::npos);
    CHECK_FALSE(Timetable::build({leg(1, "AAA", "BBB", "08:00", "08:00")}));
    CHECK_FALSE(Timetable::build({leg(1, "AAA", "AAA", "08:00", "09:00")}));
    auto empty = Timetable::build({});
    REQUIRE(empty);
    CHECK(empty.value()->airport_count() == 0);
}
