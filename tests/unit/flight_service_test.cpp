#include <doctest/doctest.h>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/seats/hold_sweeper.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

struct World {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory seats{clock};
    std::shared_ptr<metrics::Registry> registry = std::make_shared<metrics::Registry>();
    flights::FlightService service{repo, seats, clock, {}, registry};

    World() {
        REQUIRE(seats.add_flights(testing::reference_flights()));
        REQUIRE(service.reload());
    }
};

ReservationId rid(std::string_view s) { return ReservationId::parse(s).value(); }
UtcDate day(std::string_view s) { return parse_date(s).value(); }

std::vector<std::string> numbers_of(const flights::SearchAnswer& a) {
    std::vector<std::string> out;
    for (const auto& p : a.result.paths) {
        std::string s;
        for (FlightId id : p.flights) {
            if (!s.empty()) s += "+";
            s += a.timetable->find(id)->flight_number;
        }
        out.push_back(s);
    }
    return out;
}

}  // namespace

TEST_CASE("FlightService searches the reference world (SPEC §3)") {
    World w;
    auto answer = w.service.search(testing::query("DEL", "BOM", 2));
    REQUIRE(answer);
    CHECK(numbers_of(*answer) == std::vector<std::string>{"AI103", "AI101", "AI102"});
    const std::string json = answer->to_json();
    CHECK(json.find(R"("count":3)") != std::string::npos);
    CHECK(json.find(R"("available_seats":100)") != std::string::npos);  // AI103: 180 - 80
    CHECK(w.registry->render_prometheus().find("flightbook_searches_total{result=\"ok\"} 1\n") !=
          std::string::npos);
}

TEST_CASE("FlightService search never shows a leg that sold out behind its back") {
    World w;
    // Sell AI103 (id 3) down to 1 seat directly in the inventory: the
    // service's mirror still believes 100 seats are left.
    auto held = w.seats.hold(HoldRequest{rid("outside"), {{FlightId{3}, 99}}, w.clock.now() + 1h});
    REQUIRE(held);
    auto answer = w.service.search(testing::query("DEL", "BOM", 2));
    REQUIRE(answer);
    CHECK(numbers_of(*answer) == std::vector<std::string>{"AI101", "AI102"});
    CHECK(answer->to_json().find(R"("count":2)") != std::string::npos);
}

TEST_CASE("decrement sells seats once per reservation, increment gives them back once") {
    World w;
    const auto date = day("2024-02-15");
    auto sold = w.service.decrement(rid("booking-1"), FlightId{1}, 2, date);
    REQUIRE(sold);
    CHECK(sold->reservation.applied);
    CHECK(sold->reservation.state == ReservationState::kConfirmed);
    CHECK(sold->counts.at(0).available == 128);

    auto retry = w.service.decrement(rid("booking-1"), FlightId{1}, 2, date);
    REQUIRE(retry);
    CHECK_FALSE(retry->reservation.applied);
    CHECK(retry->counts.at(0).available == 128);
    CHECK(w.service.get_flight(FlightId{1})->available_seats() == 128);

    auto other = w.service.decrement(rid("booking-1"), FlightId{1}, 3, date);
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::kConflict);

    auto wrong = w.service.increment(rid("booking-1"), FlightId{2}, 2);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().code == ErrorCode::kConflict);

    auto back = w.service.increment(rid("booking-1"), FlightId{1}, 2);
    REQUIRE(back);
    CHECK(back->reservation.applied);
    CHECK(back->counts.at(0).available == 130);
    auto again = w.service.increment(rid("booking-1"), FlightId{1}, 2);
    REQUIRE(again);
    CHECK_FALSE(again->reservation.applied);
    CHECK(again->counts.at(0).available == 130);

    auto unknown = w.service.increment(rid("never-held"), FlightId{1}, 2);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::kNotFound);
}

TEST_CASE("decrement refuses bad requests and changes nothing") {
    World w;
    const auto date = day("2024-02-15");
    auto wrong_day = w.service.decrement(rid("b1"), FlightId{1}, 2, day("2024-02-16"));
    REQUIRE_FALSE(wrong_day);
    CHECK(wrong_day.error().code == ErrorCode::kInvalidArgument);
    auto unknown = w.service.decrement(rid("b2"), FlightId{99}, 2, date);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::kNotFound);
    // Beyond the per-request rule (rules::kMaxSeatsPerRequest = 100).
    auto over_rule = w.service.decrement(rid("b3"), FlightId{1}, 101, date);
    REQUIRE_FALSE(over_rule);
    CHECK(over_rule.error().code == ErrorCode::kInvalidArgument);
    CHECK(over_rule.error().message == "seats must be an integer between 1 and 100");
    // Within the rule, beyond what is left: AI103 (id 3) has 100, one sold.
    REQUIRE(w.service.decrement(rid("b4"), FlightId{3}, 1, date));
    auto too_many = w.service.decrement(rid("b5"), FlightId{3}, 100, date);
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().code == ErrorCode::kFailedPrecondition);
    CHECK(w.service.get_flight(FlightId{1})->available_seats() == 130);
    CHECK(w.service.get_flight(FlightId{3})->available_seats() == 99);
}

TEST_CASE("validate answers valid:false for unknown flights, other dates and too few seats") {
    World w;
    const auto date = day("2024-02-15");
    auto good = w.service.validate(FlightId{1}, 2, date);
    REQUIRE(good);
    CHECK(good->valid);
    CHECK(good->price == Money::from_cents(850000));
    CHECK(good->available_seats == 130);

    auto unknown = w.service.validate(FlightId{99}, 2, date);
    REQUIRE(unknown);
    CHECK_FALSE(unknown->valid);
    CHECK(unknown->message.find("not found") != std::string::npos);

    auto other_day = w.service.validate(FlightId{1}, 2, day("2024-02-16"));
    REQUIRE(other_day);
    CHECK_FALSE(other_day->valid);

    auto too_many = w.service.validate(FlightId{1}, 131, date);
    REQUIRE(too_many);
    CHECK_FALSE(too_many->valid);
    CHECK(too_many->available_seats == 130);
    CHECK(too_many->message == "seats must be an integer between 1 and 100");

    // SPEC §4: the reference client sends flight 999 with 1,000 seats.
    auto reference = w.service.validate(FlightId{999}, 1000, date);
    REQUIRE(reference);
    CHECK_FALSE(reference->valid);
    CHECK(reference->message == "flight 999 not found");

    auto zero = w.service.validate(FlightId{1}, 0, date);
    REQUIRE(zero);
    CHECK_FALSE(zero->valid);
}

TEST_CASE("holds expire by themselves through the sweeper, exactly once") {
    World w;
    auto held = w.service.hold(rid("cart-7"), {{FlightId{8}, 3}, {FlightId{9}, 3}}, 10min);
    REQUIRE(held);
    CHECK(held->counts.at(0).available == 157);
    CHECK(held->counts.at(1).available == 142);
    HoldSweeper sweeper(w.seats, w.clock, {},
                        [&](const Reservation& r) { w.service.note_expired(r); });
    CHECK(sweeper.sweep_once().value() == 0);
    w.clock.advance(10min);
    CHECK(sweeper.sweep_once().value() == 1);
    CHECK(sweeper.sweep_once().value() == 0);
    // Search shows the seats back without a reload.
    auto answer = w.service.search(testing::query("DEL", "HYD", 1));
    REQUIRE(answer);
    CHECK(answer->to_json().find(R"("flight_number":"AI401")") != std::string::npos);
    CHECK(answer->to_json().find(R"("available_seats":160)") != std::string::npos);
    CHECK(w.service.get_flight(FlightId{8})->available_seats() == 160);
    CHECK(w.service.get_flight(FlightId{9})->available_seats() == 145);
    auto late = w.service.confirm(rid("cart-7"));
    REQUIRE_FALSE(late);
    CHECK(late.error().code == ErrorCode::kFailedPrecondition);

    auto too_long = w.service.hold(rid("cart-8"), {{FlightId{8}, 1}}, 48h);
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("search before the first reload is unavailable, not a crash") {
    ManualClock clock;
    memory::InMemoryFlightRepository repo{{}};
    memory::InMemorySeatInventory seats{clock};
    flights::FlightService service{repo, seats, clock};
    auto r = service.search(testing::query("DEL", "BOM"));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kUnavailable);
    CHECK(service.reload());
    CHECK(service.search(testing::query("DEL", "BOM"))->result.paths.empty());
}
