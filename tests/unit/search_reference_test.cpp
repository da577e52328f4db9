// SPEC §3 examples on the SPEC §2 reference world:
//
//        AI405      AI406
//   DEL ------> CCU ------> BLR
//    | \ AI401        AI402/404 ^   AI502 BLR->DEL, AI503 BLR->BOM
//    |  '-----> HYD ------------'   AI501 BOM->DEL
//    | AI101/102/103     AI301/302
//    '---------> BOM ------------> BLR   AI403 BOM->HYD, AI201/202 DEL->BLR
#include <doctest/doctest.h>

#include "flightbook/search/result_json.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using search::SortBy;

namespace {

struct World {
    std::shared_ptr<const search::Timetable> timetable =
        search::Timetable::build(reference_flights()).value();
    search::TimetableSeatAvailability seats{timetable};

    search::SearchResult run(const search::SearchQuery& q, search::SearchRules rules = {}) const {
        return search::find_itineraries(*timetable, seats, q, rules).value();
    }
};

}  // namespace

TEST_CASE("DEL->BOM: three direct flights in cheapest order") {
    World w;
    auto r = w.run(query("DEL", "BOM", 2));
    CHECK(numbers(r, *w.timetable) == std::vector<std::string>{"AI103", "AI101", "AI102"});
    CHECK(r.total == 3);
    CHECK_FALSE(r.total_capped);
    CHECK(r.paths[0].total_price == Money::from_cents(780000));
    CHECK(r.paths[0].total_time_minutes == 150);
    CHECK(r.paths[0].stops == 0);
}

TEST_CASE("DEL->BLR: five itineraries including AI401+AI402 and AI405+AI406") {
    World w;
    auto r = w.run(query("DEL", "BLR", 2));
    CHECK(numbers(r, *w.timetable) ==
          std::vector<std::string>{"AI201", "AI202", "AI401+AI402", "AI401+AI404", "AI405+AI406"});
    CHECK(r.total == 5);
    CHECK(r.paths[2].total_price == Money::from_cents(1500000));
    CHECK(r.paths[2].total_time_minutes == 270);
    CHECK(r.paths[2].stops == 1);

    auto q = query("DEL", "BLR", 2);
    q.sort_by = SortBy::kFastest;
    auto f = w.run(q);
    CHECK(numbers(f, *w.timetable) ==
          std::vector<std::string>{"AI201", "AI202", "AI401+AI402", "AI401+AI404", "AI405+AI406"});
    q.max_stops = 0;
    CHECK(w.run(q).total == 2);
}

TEST_CASE("HYD->BOM: the two three-leg itineraries; 30 min connections at BLR are too short") {
    World w;
    auto r = w.run(query("HYD", "BOM", 2));
    CHECK(numbers(r, *w.timetable) ==
          std::vector<std::string>{"AI404+AI502+AI103", "AI402+AI502+AI103"});
    CHECK(r.paths[0].stops == 2);
    CHECK(r.paths[0].total_price == Money::from_cents(2530000));
    CHECK(r.paths[0].total_time_minutes == 690);
    auto q = query("HYD", "BOM", 2);
    q.max_stops = 1;
    CHECK(w.run(q).total == 0);
    // With a 30 minute MCT, AI402 (lands 11:30) connects to AI503 (12:00); AI404 does not.
    auto relaxed = w.run(query("HYD", "BOM", 2), search::SearchRules{30, 240});
    CHECK(numbers(relaxed, *w.timetable) ==
          std::vector<std::string>{"AI402+AI503", "AI404+AI502+AI103", "AI402+AI502+AI103"});
}

TEST_CASE("paging: offset and limit cut the same total order") {
    World w;
    auto q = query("DEL", "BLR", 1);
    auto all = w.run(q);
    q.limit = 2;
    q.offset = 1;
    auto page = w.run(q);
    REQUIRE(page.paths.size() == 2);
    CHECK(page.paths[0] == all.paths[1]);
    CHECK(page.paths[1] == all.paths[2]);
    CHECK(page.total == 5);
    q.offset = 10;
    auto empty = w.run(q);
    CHECK(empty.paths.empty());
    CHECK(empty.total == 5);
}

TEST_CASE("unknown airports give an empty answer, not an error") {
    World w;
    auto r = w.run(query("DEL", "XXX"));
    CHECK(r.paths.empty());
    CHECK(r.total == 0);
    CHECK(w.run(query("ZZZ", "BOM")).total == 0);
    CHECK(w.run(query("DEL", "BOM", 1, "2024-02-16")).total == 0);
}

TEST_CASE("live seats: a leg with too few seats is left out") {
    World w;
    OverrideSeats seats(w.timetable);
    seats.set(3, 1);  // AI103 has one seat left
    auto r = search::find_itineraries(*w.timetable, seats, query("DEL", "BOM", 2)).value();
    CHECK(numbers(r, *w.timetable) == std::vector<std::string>{"AI101", "AI102"});
    auto one = search::find_itineraries(*w.timetable, seats, query("DEL", "BOM", 1)).value();
    CHECK(one.total == 3);
    // AI101 has 130 seats: only AI101 and AI102 (150) stay at 100 seats once AI103 is short.
    auto many = search::find_itineraries(*w.timetable, seats, query("DEL", "BOM", 100)).value();
    CHECK(many.total == 2);
}

TEST_CASE("source == destination and out-of-range queries are invalid arguments") {
    World w;
    auto same = search::find_itineraries(*w.timetable, w.seats, query("DEL", "DEL"));
    REQUIRE_FALSE(same);
    CHECK(same.error().code == ErrorCode::kInvalidArgument);
    auto q = query("DEL", "BOM");
    q.offset = 990;
    q.limit = 20;
    CHECK_FALSE(search::find_itineraries(*w.timetable, w.seats, q));
    auto bad_rules = search::find_itineraries(*w.timetable, w.seats, query("DEL", "BOM"),
                                              search::SearchRules{60, 30});
    CHECK_FALSE(bad_rules);
}

TEST_CASE("JSON body of GET /api/flights/search") {
    World w;
    auto q = query("DEL", "BOM", 2);
    q.limit = 1;
    auto r = w.run(q);
    CHECK(search::search_result_to_json(r, *w.timetable, w.seats) ==
          R"({"paths":[{"flights":[{"id":3,"flight_number":"AI103","source":"DEL",)"
          R"("destination":"BOM","departure_time":"2024-02-15T20:00:00Z",)"
          R"("arrival_time":"2024-02-15T22:30:00Z","total_seats":180,"booked_seats":80,)"
          R"("available_seats":100,"price":7800.00}],"total_price":7800.00,)"
          R"("total_time_minutes":150,"stops":0}],"count":1,"total":3,"total_capped":false})");
    OverrideSeats live(w.timetable);
    live.set(3, 42);
    const auto body = search::search_result_to_json(r, *w.timetable, live);
    CHECK(body.find(R"("booked_seats":138,"available_seats":42)") != std::string::npos);
    auto none = w.run(query("DEL", "XXX"));
    CHECK(search::search_result_to_json(none, *w.timetable, w.seats) ==
          R"({"paths":[],"count":0,"total":0,"total_capped":false})");
}
