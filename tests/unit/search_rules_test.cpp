// Connection rules and edge cases of SPEC §3 on small inline networks.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;

namespace {

search::SearchResult run(std::vector<Flight> flights, const search::SearchQuery& q,
                         search::SearchRules rules = {}) {
    auto t = search::Timetable::build(std::move(flights)).value();
    search::TimetableSeatAvailability seats(t);
    return search::find_itineraries(*t, seats, q, rules).value();
}

}  // namespace

TEST_CASE("MCT: exactly equal is allowed, one minute less is not") {
    //   AAA 08:00-09:00 BBB 09:45-11:00 CCC   (45 min connection)
    //   AAA 08:01-09:01 BBB                   (44 min connection)
    std::vector<Flight> net{leg(1, "AAA", "BBB", "08:00", "09:00"),
                            leg(2, "BBB", "CCC", "09:45", "11:00"),
                            leg(3, "AAA", "BBB", "08:01", "09:01")};
    auto r = run(net, query("AAA", "CCC"));
    REQUIRE(r.total == 1);
    CHECK(r.paths[0].flights == std::vector<FlightId>{FlightId{1}, FlightId{2}});
    CHECK(r.paths[0].total_time_minutes == 180);
    CHECK(run(net, query("AAA", "CCC"), {44, 240}).total == 2);
}

TEST_CASE("max layover: exactly equal is allowed, one minute over is not") {
    //   AAA 06:00-07:00 BBB 11:00-12:00 CCC   (4 h)
    //   AAA 05:59-06:59 BBB                   (4 h 1 min)
    std::vector<Flight> net{leg(1, "AAA", "BBB", "06:00", "07:00"),
                            leg(2, "BBB", "CCC", "11:00", "12:00"),
                            leg(3, "AAA", "BBB", "05:59", "06:59")};
    auto r = run(net, query("AAA", "CCC"));
    REQUIRE(r.total == 1);
    CHECK(r.paths[0].flights.front() == FlightId{1});
    CHECK(run(net, query("AAA", "CCC"), {45, 241}).total == 2);
}

TEST_CASE("midnight: later legs may leave on later days, the first leg must leave on the date") {
    //   AAA 23:00-23:50 BBB 00:40(+1)-02:00(+1) CCC
    //   AAA 00:10(+1) BBB ... leaves the day after: not an answer for the 15th
    std::vector<Flight> net{leg(1, "AAA", "BBB", "23:00", "23:50"),
                            leg(2, "BBB", "CCC", "00:40", "02:00", 100, 1),
                            leg(3, "AAA", "BBB", "00:10", "01:00", 100, 1),
                            leg(4, "AAA", "CCC", "23:59", "00:30", 300, 0, 1)};
    auto r = run(net, query("AAA", "CCC"));
    REQUIRE(r.total == 2);
    CHECK(r.paths[0].flights == std::vector<FlightId>{FlightId{1}, FlightId{2}});
    CHECK(r.paths[0].total_time_minutes == 180);
    CHECK(r.paths[1].flights == std::vector<FlightId>{FlightId{4}});
    auto next_day = run(net, query("AAA", "BBB", 1, "2024-02-16"));
    REQUIRE(next_day.total == 1);
    CHECK(next_day.paths[0].flights.front() == FlightId{3});
}

TEST_CASE("rounds stay separate: max_stops bounds the legs, never 5-leg answers") {
    //   AAA -> BBB -> CCC -> DDD -> EEE, each leg one hour, 1 h connections,
    //   plus expensive shortcuts AAA -> CCC and CCC -> EEE.
    std::vector<Flight> net{
        leg(1, "AAA", "BBB", "06:00", "07:00", 10),  leg(2, "BBB", "CCC", "08:00", "09:00", 10),
        leg(3, "CCC", "DDD", "10:00", "11:00", 10),  leg(4, "DDD", "EEE", "12:00", "13:00", 10),
        leg(5, "AAA", "CCC", "07:00", "09:00", 500), leg(6, "CCC", "EEE", "10:00", "13:00", 500)};
    auto q = query("AAA", "EEE");
    q.max_stops = 3;
    auto r = run(net, q);
    // AAA-BBB-CCC-DDD-EEE (40), AAA-BBB-CCC-EEE (520), AAA-CCC-DDD-EEE (520), AAA-CCC-EEE (1000)
    REQUIRE(r.total == 4);
    CHECK(r.paths[0].stops == 3);
    CHECK(r.paths[0].total_price == Money::from_cents(4000));
    CHECK(r.paths[3].stops == 1);
    q.max_stops = 2;
    r = run(net, q);
    CHECK(r.total == 3);
    for (const auto& p : r.paths) CHECK(p.stops <= 2);
    // A label-reusing round would find the 40-unit chain with only 2 "rounds".
    CHECK(r.paths[0].total_price == Money::from_cents(52000));
    q.max_stops = 1;
    r = run(net, q);
    REQUIRE(r.total == 1);
    CHECK(r.paths[0].total_price == Money::from_cents(100000));
    q.max_stops = 0;
    CHECK(run(net, q).total == 0);
}

TEST_CASE("no airport is visited twice") {
    //   AAA -> BBB -> AAA -> CCC would be legal by time, but revisits AAA;
    //   AAA -> BBB -> CCC -> BBB -> DDD revisits BBB.
    std::vector<Flight> net{
        leg(1, "AAA", "BBB", "06:00", "07:00"), leg(2, "BBB", "AAA", "08:00", "09:00"),
        leg(3, "AAA", "CCC", "10:00", "11:00"), leg(4, "BBB", "CCC", "08:00", "09:00"),
        leg(5, "CCC", "BBB", "10:00", "11:00"), leg(6, "BBB", "DDD", "12:00", "13:00")};
    auto r = run(net, query("AAA", "CCC"));
    REQUIRE(r.total == 2);  // direct 3, and 1+4; never 1+2+3
    CHECK(r.paths[0].flights == std::vector<FlightId>{FlightId{3}});
    CHECK(r.paths[1].flights == std::vector<FlightId>{FlightId{1}, FlightId{4}});
    auto d = run(net, query("AAA", "DDD"));
    CHECK(d.total == 0);
}

TEST_CASE("no route and a destination reachable only too late") {
    std::vector<Flight> net{leg(1, "AAA", "BBB", "06:00", "07:00"),
                            leg(2, "BBB", "CCC", "18:00", "19:00"),
                            leg(3, "DDD", "EEE", "06:00", "07:00")};
    CHECK(run(net, query("AAA", "CCC")).total == 0);
    CHECK(run(net, query("AAA", "EEE")).total == 0);
    CHECK(run(net, query("AAA", "CCC"), {45, 12 * 60}).total == 1);
}

TEST_CASE("total is exact up to 1000, then capped") {
    //   25 flights AAA->BBB (07:00..07:24 + 1 h) x 40 flights BBB->CCC (10:00..10:39)
    //   = exactly 1000 two-leg itineraries; one more direct flight makes 1001.
    std::vector<Flight> net;
    std::int64_t id = 1;
    auto at = [](int h, int m) { return fmt::format("{:02}:{:02}", h, m); };
    for (int i = 0; i < 25; ++i)
        net.push_back(leg(id++, "AAA", "BBB", at(7, i), at(8, i), 100 + i));
    for (int j = 0; j < 40; ++j) {
        net.push_back(leg(id++, "BBB", "CCC", at(10, j), at(11, j), 200 + j));
    }
    auto q = query("AAA", "CCC");
    q.limit = 100;
    q.offset = 900;
    auto r = run(net, q);
    CHECK(r.total == 1000);
    CHECK_FALSE(r.total_capped);
    CHECK(r.paths.size() == 100);
    net.push_back(leg(id++, "AAA", "CCC", "09:00", "10:00", 1));
    q.offset = 0;
    q.limit = 3;
    r = run(net, q);
    CHECK(r.total == 1000);
    CHECK(r.total_capped);
    REQUIRE(r.paths.size() == 3);
    CHECK(r.paths[0].flights == std::vector<FlightId>{FlightId{id - 1}});
    // Cheapest two-leg: AAA->BBB at 100 + BBB->CCC at 200.
    CHECK(r.paths[1].total_price == Money::from_cents(30000));
    // Ties on price are broken by duration, then first departure, then leg ids.
    // 101 + 200 (07:01 -> 11:00, 239 min) before 100 + 201 (07:00 -> 11:01, 241 min).
    CHECK(r.paths[2].total_price == Money::from_cents(30100));
    CHECK(r.paths[2].total_time_minutes == 239);
    q.limit = 4;
    r = run(net, q);
    CHECK(r.paths[3].total_price == Money::from_cents(30100));
    CHECK(r.paths[3].total_time_minutes == 241);
}

TEST_CASE("ties: equal price and duration order by first departure, then leg ids") {
    //   two identical-looking direct flights and a later one
    std::vector<Flight> net{leg(7, "AAA", "BBB", "09:00", "10:00", 50),
                            leg(3, "AAA", "BBB", "09:00", "10:00", 50),
                            leg(5, "AAA", "BBB", "08:00", "09:00", 50)};
    auto r = run(net, query("AAA", "BBB"));
    REQUIRE(r.total == 3);
    CHECK(r.paths[0].flights.front() == FlightId{5});
    CHECK(r.paths[1].flights.front() == FlightId{3});
    CHECK(r.paths[2].flights.front() == FlightId{7});
}
