// Flight JSON of SPEC §4.
#include <doctest/doctest.h>

#include "flightbook/domain/flight_json.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;

TEST_CASE("a flight as JSON: RFC 3339 times, two-decimal price, seat counters") {
    const Flight f = testing::reference_flights()[7];  // AI401
    CHECK(flight_to_json(f) ==
          R"({"id":8,"flight_number":"AI401","source":"DEL","destination":"HYD",)"
          R"("departure_time":"2024-02-15T07:00:00Z","arrival_time":"2024-02-15T09:00:00Z",)"
          R"("total_seats":180,"booked_seats":20,"available_seats":160,"price":9500.00})");
}

TEST_CASE("live availability overrides the stored counters") {
    Flight f = testing::leg(5, "AAA", "BBB", "08:00", "09:00", 12);
    f.price = Money::from_cents(1205);
    json::Writer w;
    write_flight_json(w, f, 40);
    CHECK(w.str() ==
          R"({"id":5,"flight_number":"T5","source":"AAA","destination":"BBB",)"
          R"("departure_time":"2024-02-15T08:00:00Z","arrival_time":"2024-02-15T09:00:00Z",)"
          R"("total_seats":100,"booked_seats":60,"available_seats":40,"price":12.05})");
}
