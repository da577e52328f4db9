// The schedule generator: deterministic, well-formed, and shaped like an
// airline network (hubs, distance-based block times, several days).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "flightbook/schedule/generator.hpp"
#include "flightbook/search/timetable.hpp"

using namespace flightbook;
using namespace flightbook::schedule;

TEST_CASE("synthetic airport codes are distinct three-letter codes") {
    std::set<AirportCode> seen;
    for (int i = 0; i < 26 * 26 * 26; ++i) {
        const AirportCode c = synthetic_airport_code(i);
        CHECK(AirportCode::parse(c.view()).value() == c);
        seen.insert(c);
    }
    CHECK(seen.size() == 26u * 26u * 26u);
}

TEST_CASE("same options, same schedule; another seed, another schedule") {
    GeneratorOptions o;
    o.airports = 50;
    o.flights_per_day = 800;
    o.days = 2;
    auto a = generate_schedule(o).value();
    auto b = generate_schedule(o).value();
    CHECK(a == b);
    o.seed = 2;
    auto c = generate_schedule(o).value();
    CHECK(a != c);
}

TEST_CASE("flights are well formed and sized as asked") {
    GeneratorOptions o;
    o.airports = 300;
    o.flights_per_day = 6000;
    o.days = 3;
    auto flights = generate_schedule(o).value();
    const double per_day = static_cast<double>(flights.size()) / o.days;
    CHECK(per_day > 0.9 * o.flights_per_day);
    CHECK(per_day < 1.1 * o.flights_per_day);
    std::map<AirportCode, int> movements;
    std::set<std::pair<AirportCode, AirportCode>> pairs;
    for (std::size_t i = 0; i < flights.size(); ++i) {
        const Flight& f = flights[i];
        CHECK(f.id == FlightId{static_cast<std::int64_t>(i + 1)});
        CHECK(f.arrival_time > f.departure_time);
        CHECK(f.duration_minutes() >= 30);
        CHECK(f.duration_minutes() <= 24 * 60);
        CHECK(f.source != f.destination);
        CHECK(f.booked_seats >= 0);
        CHECK(f.booked_seats <= f.total_seats);
        CHECK(f.price.cents() > 0);
        CHECK(f.price.cents() % 100 == 0);
        if (i > 0) CHECK(flights[i - 1].departure_time <= f.departure_time);
        ++movements[f.source];
        ++movements[f.destination];
        pairs.emplace(f.source, f.destination);
    }
    CHECK(movements.size() == 300);
    // Hub-and-spoke: the busiest airport is far above the median one.
    std::vector<int> counts;
    for (const auto& [code, n] : movements) counts.push_back(n);
    std::sort(counts.begin(), counts.end());
    CHECK(counts.back() > 10 * counts[counts.size() / 2]);
    // Every route flies both ways.
    for (const auto& [from, to] : pairs) CHECK(pairs.count({to, from}) == 1);
    CHECK(search::Timetable::build(flights));
}

TEST_CASE(
    "a flight number departs at most once at a time, within the flights table's 10 characters") {
    // The flights table has UNIQUE (flight_number, departure_time): a
    // generated schedule must load (flightbook load).
    const auto flights = generate_schedule(GeneratorOptions{}).value();
    std::set<std::pair<std::string, UtcTime>> seen;
    std::size_t repeated = 0;
    for (const Flight& f : flights) {
        if (!seen.emplace(f.flight_number, f.departure_time).second) ++repeated;
        CHECK(f.flight_number.size() <= 10);
    }
    CHECK(repeated == 0);
}

TEST_CASE("the default network is world-sized") {
    GeneratorOptions o;  // 2300 airports, 53k flights a day
    o.days = 1;
    auto flights = generate_schedule(o).value();
    std::set<std::pair<AirportCode, AirportCode>> pairs;
    std::map<AirportCode, int> movements;
    for (const Flight& f : flights) {
        pairs.emplace(f.source, f.destination);
        ++movements[f.source];
        ++movements[f.destination];
    }
    CHECK(movements.size() == 2300);
    CHECK(pairs.size() > 24'000);
    CHECK(pairs.size() < 32'000);
    CHECK(flights.size() > 48'000);
    CHECK(flights.size() < 58'000);
    int big_hubs = 0;
    for (const auto& [code, n] : movements) big_hubs += n >= 1000 ? 1 : 0;
    CHECK(big_hubs >= 5);
}

TEST_CASE("options out of range are invalid arguments") {
    GeneratorOptions o;
    o.airports = 1;
    CHECK_FALSE(generate_schedule(o));
    o = GeneratorOptions{};
    o.days = 0;
    CHECK_FALSE(generate_schedule(o));
    o = GeneratorOptions{};
    o.flights_per_day = 0;
    CHECK(generate_schedule(o).error().code == ErrorCode::kInvalidArgument);
    o = GeneratorOptions{};
    o.airports = 2;
    o.flights_per_day = 3;
    o.days = 1;
    CHECK(generate_schedule(o));
}
