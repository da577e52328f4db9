#include <doctest/doctest.h>

#include "flightbook/booking/itinerary.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using booking::check_flight_ids;
using booking::check_itinerary;
using booking::ItineraryProblem;
using testing::leg;

namespace {

const UtcDate kDay = parse_date("2024-02-15").value();

std::vector<Flight> reference(std::initializer_list<std::int64_t> ids) {
    const auto all = testing::reference_flights();
    std::vector<Flight> out;
    for (std::int64_t id : ids) out.push_back(all.at(static_cast<std::size_t>(id - 1)));
    return out;
}

ItineraryProblem problem_of(const std::vector<Flight>& flights, UtcDate date = kDay,
                            search::SearchRules rules = {}) {
    return check_itinerary(flights, date, rules).problem;
}

}  // namespace

TEST_CASE("the SPEC §3 reference itineraries are bookable") {
    CHECK(check_itinerary(reference({1}), kDay, {}).ok());
    CHECK(check_itinerary(reference({8, 9}), kDay, {}).ok());    // AI401 + AI402
    CHECK(check_itinerary(reference({12, 13}), kDay, {}).ok());  // AI405 + AI406
    // AI404 + AI502 + AI103: the 4 h layover at DEL is allowed (inclusive).
    auto three = check_itinerary(reference({11, 15, 3}), kDay, {});
    CHECK(three.ok());
    CHECK(three.message.empty());
    CHECK(to_string(ItineraryProblem::kNone) == "ok");
}

TEST_CASE("the leg count and repeated flights are refused before any lookup") {
    auto none = check_flight_ids({});
    CHECK(none.problem == ItineraryProblem::kLegCount);
    CHECK(none.message == "an itinerary has 1 to 4 legs");
    auto five = check_flight_ids({FlightId{1}, FlightId{2}, FlightId{3}, FlightId{4}, FlightId{5}});
    CHECK(five.problem == ItineraryProblem::kLegCount);
    CHECK(check_flight_ids({FlightId{1}, FlightId{2}, FlightId{3}, FlightId{4}}).ok());

    auto twice = check_flight_ids({FlightId{8}, FlightId{9}, FlightId{8}});
    CHECK(twice.problem == ItineraryProblem::kRepeatedFlight);
    CHECK(twice.message == "flight 8 appears twice in the itinerary (legs 1 and 3)");
    CHECK(to_string(twice.problem) == "repeated_flight");
    CHECK(problem_of(reference({1, 1})) == ItineraryProblem::kRepeatedFlight);
}

TEST_CASE("the first leg must depart on the booking's UTC date") {
    auto r = check_itinerary(reference({1}), parse_date("2024-02-16").value(), {});
    CHECK(r.problem == ItineraryProblem::kWrongDate);
    CHECK(r.message == "AI101 (flight 1, DEL->BOM) departs on 2024-02-15, not on 2024-02-16");
    CHECK(to_string(r.problem) == "wrong_date");
    // Later legs may leave on later days: an overnight connection.
    //   AAA --T1 22:00-23:30--> BBB --T2 01:00(+1)-02:00(+1)--> CCC
    std::vector<Flight> overnight{leg(1, "AAA", "BBB", "22:00", "23:30"),
                                  leg(2, "BBB", "CCC", "01:00", "02:00", 100, 1)};
    CHECK(check_itinerary(overnight, kDay, {}).ok());
    CHECK(problem_of(overnight, parse_date("2024-02-16").value()) == ItineraryProblem::kWrongDate);
}

TEST_CASE("each leg leaves where the previous one landed") {
    // AI101 DEL->BOM, then AI402 HYD->BLR: nothing connects at BOM.
    auto r = check_itinerary(reference({1, 9}), kDay, {});
    CHECK(r.problem == ItineraryProblem::kNotConnected);
    CHECK(to_string(r.problem) == "legs_do_not_connect");
    CHECK(r.message.find("leaves HYD") != std::string::npos);
    CHECK(r.message.find("lands at BOM") != std::string::npos);
}

TEST_CASE("connections respect MCT and the maximum layover, both inclusive") {
    // AI402 lands BLR 11:30, AI503 leaves BLR 12:00: 30 min < 45.
    auto short_one = check_itinerary(reference({9, 16}), kDay, {});
    CHECK(short_one.problem == ItineraryProblem::kConnectionTooShort);
    CHECK(short_one.message ==
          "30 min between AI402 and AI503 at BLR is less than the minimum connection time of 45 "
          "min");
    CHECK(to_string(short_one.problem) == "connection_too_short");
    // AI101 lands BOM 10:30, AI302 leaves BOM 16:00: 330 min > 240.
    auto long_one = check_itinerary(reference({1, 7}), kDay, {});
    CHECK(long_one.problem == ItineraryProblem::kLayoverTooLong);
    CHECK(long_one.message.find("330 min") != std::string::npos);
    CHECK(to_string(long_one.problem) == "layover_too_long");

    // The rules are configurable: with MCT 30 the BLR connection is fine,
    // with a 6 h layover the BOM one is.
    search::SearchRules loose;
    loose.mct_minutes = 30;
    loose.max_layover_minutes = 360;
    CHECK(problem_of(reference({9, 16}), kDay, loose) == ItineraryProblem::kNone);
    CHECK(problem_of(reference({1, 7}), kDay, loose) == ItineraryProblem::kNone);

    // Exactly MCT and exactly the maximum layover are allowed.
    //   AAA --T1 08:00-09:00--> BBB --T2 09:45-10:45--> CCC --T3 14:45-15:45--> DDD
    std::vector<Flight> edges{leg(1, "AAA", "BBB", "08:00", "09:00"),
                              leg(2, "BBB", "CCC", "09:45", "10:45"),
                              leg(3, "CCC", "DDD", "14:45", "15:45")};
    CHECK(problem_of(edges) == ItineraryProblem::kNone);
    edges[1].departure_time -= std::chrono::minutes{1};
    CHECK(problem_of(edges) == ItineraryProblem::kConnectionTooShort);
    edges[1].departure_time += std::chrono::minutes{1};
    edges[2].departure_time += std::chrono::minutes{1};
    CHECK(problem_of(edges) == ItineraryProblem::kLayoverTooLong);
}

TEST_CASE("no airport is visited twice") {
    //   AAA --T1 08:00-09:00--> BBB --T2 10:00-11:00--> AAA --T3 12:00-13:00--> CCC
    std::vector<Flight> loop{leg(1, "AAA", "BBB", "08:00", "09:00"),
                             leg(2, "BBB", "AAA", "10:00", "11:00"),
                             leg(3, "AAA", "CCC", "12:00", "13:00")};
    auto r = check_itinerary(loop, kDay, {});
    CHECK(r.problem == ItineraryProblem::kAirportRevisited);
    CHECK(r.message == "the itinerary visits AAA twice (T2 lands there again)");
    CHECK(to_string(r.problem) == "airport_revisited");
    //   AAA --T1--> BBB --T2--> CCC --T3--> BBB
    std::vector<Flight> back{leg(1, "AAA", "BBB", "08:00", "09:00"),
                             leg(2, "BBB", "CCC", "10:00", "11:00"),
                             leg(3, "CCC", "BBB", "12:00", "13:00")};
    CHECK(problem_of(back) == ItineraryProblem::kAirportRevisited);
}
