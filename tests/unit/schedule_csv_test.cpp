// The flights CSV format: round trip and errors that name the line.
#include <doctest/doctest.h>

#include <sstream>

#include "flightbook/schedule/csv.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::schedule;

namespace {

std::string header() { return std::string(kFlightsCsvHeader) + "\n"; }

void check_line_error(const std::string& text, const std::string& expected) {
    auto r = parse_flights_csv(text);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    CHECK(r.error().message.find(expected) != std::string::npos);
}

}  // namespace

TEST_CASE("reference schedule parses and round-trips") {
    auto flights = testing::reference_flights();
    REQUIRE(flights.size() == 16);
    CHECK(flights[0].id == FlightId{1});
    CHECK(flights[0].flight_number == "AI101");
    CHECK(flights[0].available_seats() == 130);
    CHECK(flights[0].price == Money::from_cents(850000));
    CHECK(format_rfc3339(flights[0].departure_time) == "2024-02-15T08:00:00Z");
    std::ostringstream out;
    write_flights_csv(out, flights);
    CHECK(out.str() == testing::kReferenceCsv);
    auto again = parse_flights_csv(out.str());
    REQUIRE(again);
    CHECK(*again == flights);
}

TEST_CASE("CRLF line ends and blank lines are accepted") {
    const std::string text = header() +
                             "\r\n7,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,100,"
                             "10,99.50\r\n\r\n";
    auto r = parse_flights_csv(text);
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK((*r)[0].price == Money::from_cents(9950));
}

TEST_CASE("bad rows name their line number") {
    const std::string ok = "1,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,100,10,99.50\n";
    check_line_error("id,flight\n", "line 1: header");
    check_line_error("", "missing header");
    check_line_error(header() + ok + "2,XY2,AAA,BBB\n", "line 3: expected 9 fields");
    check_line_error(
        header() + ok + ok + "x,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,0,1\n",
        "line 4: id");
    check_line_error(header() + "1,XY1,AA1,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,0,1\n",
                     "line 2: source");
    check_line_error(header() + "1,XY1,AAA,AAA,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,0,1\n",
                     "line 2: source equals destination");
    check_line_error(header() + "1,XY1,AAA,BBB,2024-02-15 08:00,2024-02-15T09:00:00Z,1,0,1\n",
                     "line 2: departure_time");
    check_line_error(header() + "1,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T08:00:00Z,1,0,1\n",
                     "line 2: arrival_time must be after");
    check_line_error(header() + "1,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,2,1\n",
                     "line 2: booked_seats");
    check_line_error(
        header() + "1,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,0,1.001\n",
        "line 2: price");
    check_line_error(header() + "1,XY1,AAA,BBB,2024-02-15T08:00:00Z,2024-02-15T09:00:00Z,1,0,1,9\n",
                     "line 2: expected 9 fields");
}

TEST_CASE("a missing file is kNotFound") {
    auto r = read_flights_csv("this-file-does-not-exist.csv");
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kNotFound);
}
