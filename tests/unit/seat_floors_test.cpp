// Seat floors (issue 13): per-airport counts of flights short of s seats,
// kept by the seat mirror and the test seat source as counts change.
#include <doctest/doctest.h>

#include "flightbook/flights/seat_mirror.hpp"
#include "flightbook/search/seat_floors.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

std::vector<Flight> three_flights() {
    using testing::leg;
    std::vector<Flight> f = {leg(1, "AAA", "BBB", "08:00", "09:00"),
                             leg(2, "BBB", "CCC", "10:00", "11:00"),
                             leg(3, "AAA", "CCC", "12:00", "13:00")};
    f[0].total_seats = 5;  // 5 available
    f[1].total_seats = 2;  // 2 available
    f[2].total_seats = 9;
    return f;
}

}  // namespace

TEST_CASE("seat floors: initial counts, changes up and down, levels") {
    const auto flights = three_flights();
    SeatFloors floors(flights);
    REQUIRE(floors.valid());
    auto timetable = Timetable::build(flights).value();
    CHECK(floors.matches(*timetable));
    const auto a = *timetable->airport_index(AirportCode::parse("AAA").value());
    const auto b = *timetable->airport_index(AirportCode::parse("BBB").value());
    const auto c = *timetable->airport_index(AirportCode::parse("CCC").value());
    CHECK(floors.departures_have(a, 5));
    CHECK_FALSE(floors.departures_have(a, 6));
    CHECK(floors.departures_have(b, 2));
    CHECK_FALSE(floors.departures_have(b, 3));
    CHECK(floors.arrivals_have(c, 2));
    CHECK_FALSE(floors.arrivals_have(c, 3));
    CHECK(floors.arrivals_have(b, 5));
    CHECK_FALSE(floors.departures_have(a, 0));   // outside 1..kLevels: unknown
    CHECK_FALSE(floors.departures_have(a, 10));  // outside 1..kLevels: unknown

    floors.change(FlightId{1}, 5, 0);  // AAA -> BBB sold out
    CHECK_FALSE(floors.departures_have(a, 1));
    CHECK_FALSE(floors.arrivals_have(b, 1));
    CHECK(floors.departures_have(b, 1));
    floors.change(FlightId{1}, 0, 9);
    CHECK(floors.departures_have(a, 9));
    CHECK(floors.arrivals_have(b, 9));
    floors.change(FlightId{99}, 0, 9);  // unknown flight: ignored
    CHECK(floors.departures_have(a, 9));
}

TEST_CASE("seat floors: a timetable with other airports does not match") {
    auto flights = three_flights();
    SeatFloors floors(flights);
    flights[2].destination = AirportCode::parse("DDD").value();
    auto other = Timetable::build(flights).value();
    CHECK_FALSE(floors.matches(*other));
}

TEST_CASE("seat floors: repeated ids make them unusable") {
    auto flights = three_flights();
    flights[1].id = FlightId{1};
    SeatFloors floors(flights);
    CHECK_FALSE(floors.valid());
    auto timetable = Timetable::build(three_flights()).value();
    CHECK_FALSE(floors.matches(*timetable));
}

TEST_CASE("seat floors: the seat mirror keeps them on every set") {
    const auto flights = three_flights();
    flights::SeatMirror mirror(flights);
    const SeatFloors* floors = mirror.floors();
    REQUIRE(floors != nullptr);
    auto timetable = Timetable::build(flights).value();
    REQUIRE(floors->matches(*timetable));
    const auto b = *timetable->airport_index(AirportCode::parse("BBB").value());
    CHECK(floors->departures_have(b, 2));
    mirror.set(FlightId{2}, 0);
    CHECK_FALSE(floors->departures_have(b, 1));
    mirror.set(FlightId{2}, 4, std::chrono::steady_clock::now());
    CHECK(floors->departures_have(b, 4));
    CHECK_FALSE(floors->departures_have(b, 5));
}
