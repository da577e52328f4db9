// flightbook load's library half: a CSV schedule into the flights table in
// one transaction, refusals with the file's line and nothing written, append
// and replace, and the schedule version a running flight-service watches.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/postgres/flight_repository.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/postgres/schedule_loader.hpp"
#include "flightbook/postgres/seat_inventory.hpp"
#include "flightbook/schedule/csv.hpp"
#include "test_env.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using postgres::LoadMode;

namespace {

constexpr std::string_view kHeader =
    "id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,"
    "price\n";

std::string row(int id, const std::string& number, const std::string& dep = "2025-03-01T08:00:00Z",
                int total = 100) {
    return fmt::format("{},{},AAA,BBB,{},2025-03-01T11:00:00Z,{},0,100.00\n", id, number, dep,
                       total);
}

struct Parsed {
    std::vector<Flight> flights;
    std::vector<std::size_t> lines;
};

Parsed parse(const std::string& csv) {
    Parsed p;
    auto flights = schedule::parse_flights_csv(csv, &p.lines);
    REQUIRE_MESSAGE(flights, flights.error().message);
    p.flights = std::move(*flights);
    return p;
}

std::int64_t count_flights(postgres::Connection& c) {
    static constexpr postgres::Statement kCount{"t_count_flights", "SELECT count(*) FROM flights"};
    return c.exec(kCount).value().int64(0, 0);
}

std::int64_t version(postgres::Connection& c) {
    static constexpr postgres::Statement kVersion{"t_version",
                                                  "SELECT version FROM schedule_version"};
    return c.exec(kVersion).value().int64(0, 0);
}

// An empty flights table (the migrations load the reference world).
void empty_flights(postgres::Connection& c) { REQUIRE(c.exec_script("DELETE FROM flights")); }

}  // namespace

TEST_CASE("load appends a schedule in one transaction and bumps the version once") {
    PgSchema db;
    auto c = db.connect();
    empty_flights(*c);
    const std::int64_t before = version(*c);
    // A blank line: the lines of the flights are 2, 4 and 5.
    auto p = parse(std::string{kHeader} + row(1, "XX1") + "\n" + row(2, "XX2") + row(3, "XX3"));
    CHECK(p.lines == std::vector<std::size_t>{2, 4, 5});
    auto report = postgres::load_schedule(*c, p.flights, p.lines, LoadMode::kAppend);
    REQUIRE_MESSAGE(report, report.error().message);
    CHECK(report->rows == 3);
    CHECK(report->removed == 0);
    CHECK(report->version == before + 1);
    CHECK(count_flights(*c) == 3);
    CHECK(version(*c) == before + 1);
    // The id sequence moved past the loaded ids.
    auto next = c->exec_script(
        "INSERT INTO flights (flight_number, source, destination, departure_time, "
        "arrival_time, total_seats, price) VALUES ('NEW1', 'AAA', 'CCC', now(), now() + "
        "interval '1 hour', 10, 1)");
    CHECK_MESSAGE(next, (next ? "" : next.error().message));
}

TEST_CASE("a bad row names its line and nothing is written") {
    PgSchema db;
    auto c = db.connect();
    empty_flights(*c);
    const std::int64_t before = version(*c);
    const auto refused = [&](const std::string& csv, LoadMode mode, const std::string& expected) {
        CAPTURE(csv);
        auto p = parse(csv);
        auto r = postgres::load_schedule(*c, p.flights, p.lines, mode);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
        CHECK_MESSAGE(r.error().message.starts_with(expected), r.error().message);
        CHECK(count_flights(*c) == 0);
        CHECK(version(*c) == before);
    };
    const std::string h{kHeader};
    refused(h + row(1, "A1") + row(2, "A2") + row(3, "ELEVENCHARS"), LoadMode::kAppend,
            "line 4: flight_number ELEVENCHARS is longer than");
    refused(h + row(1, "A1") + row(2, "A2", "2025-03-01T08:00:00Z", 0), LoadMode::kAppend,
            "line 3: total_seats must be above 0");
    refused(h + row(1, "A1") + "\n" + row(1, "A2"), LoadMode::kReplace,
            "line 4: id 1 repeats line 2");
    refused(h + row(1, "A1") + row(2, "A1"), LoadMode::kAppend,
            "line 3: flight A1 departing 2025-03-01T08:00:00Z repeats line 2");

    // Appending an id or a flight already in the table.
    auto first = parse(h + row(1, "A1"));
    REQUIRE(postgres::load_schedule(*c, first.flights, first.lines, LoadMode::kAppend));
    const std::int64_t loaded = version(*c);
    auto again = parse(h + row(5, "B5") + row(1, "B1"));
    auto r = postgres::load_schedule(*c, again.flights, again.lines, LoadMode::kAppend);
    REQUIRE_FALSE(r);
    CHECK_MESSAGE(r.error().message.starts_with("line 3: flight id 1 is already in the flights"),
                  r.error().message);
    auto same = parse(h + row(7, "A1"));
    r = postgres::load_schedule(*c, same.flights, same.lines, LoadMode::kAppend);
    REQUIRE_FALSE(r);
    CHECK_MESSAGE(r.error().message.starts_with("line 2: flight A1 with that departure_time"),
                  r.error().message);
    CHECK(count_flights(*c) == 1);
    CHECK(version(*c) == loaded);
}

TEST_CASE("replace makes the table the file, and is refused while reservations exist") {
    PgSchema db;
    auto c = db.connect();
    REQUIRE(count_flights(*c) == 16);  // the reference world
    const std::string h{kHeader};
    auto p = parse(h + row(1, "R1") + row(40, "R40"));
    auto report = postgres::load_schedule(*c, p.flights, p.lines, LoadMode::kReplace);
    REQUIRE_MESSAGE(report, report.error().message);
    CHECK(report->removed == 16);
    CHECK(report->rows == 2);
    CHECK(count_flights(*c) == 2);

    // A hold on flight 40: replace would take its flight away.
    ManualClock clock;
    postgres::PoolOptions po;
    po.dsn = db.dsn();
    po.size = 1;
    auto pool = postgres::ConnectionPool::create(po).value();
    postgres::PostgresSeatInventory seats(pool, clock);
    REQUIRE(seats.hold({ReservationId::parse("r-1").value(),
                        {{FlightId{40}, 2}},
                        clock.now() + std::chrono::seconds{60}}));
    auto back = parse(h + row(1, "R1"));
    auto refused = postgres::load_schedule(*c, back.flights, back.lines, LoadMode::kReplace);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kFailedPrecondition);
    CHECK(count_flights(*c) == 2);
}

TEST_CASE("a running FlightService sees a load at its next reload_if_changed") {
    PgSchema db;
    postgres::PoolOptions po;
    po.dsn = db.dsn();
    po.size = 2;
    auto pool = postgres::ConnectionPool::create(po).value();
    ManualClock clock;
    postgres::PostgresFlightRepository flights(pool);
    postgres::PostgresSeatInventory seats(pool, clock);
    flights::FlightService service(flights, seats, clock);
    auto first = service.reload_if_changed();
    REQUIRE(first);
    CHECK(*first);  // nothing loaded yet
    auto unchanged = service.reload_if_changed();
    REQUIRE(unchanged);
    CHECK_FALSE(*unchanged);
    const auto old = service.timetable();

    // Selling a seat is not a schedule change.
    REQUIRE(service.hold(ReservationId::parse("r-2").value(), {{FlightId{1}, 1}}));
    CHECK_FALSE(service.reload_if_changed().value());

    auto c = db.connect();
    auto p = parse(std::string{kHeader} + row(100, "NEW100"));
    REQUIRE(postgres::load_schedule(*c, p.flights, p.lines, LoadMode::kAppend));
    CHECK(service.reload_if_changed().value());
    CHECK(service.timetable() != old);
    CHECK(service.get_flight(FlightId{100}));
    CHECK_FALSE(service.reload_if_changed().value());
}
