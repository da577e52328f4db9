#include <doctest/doctest.h>

#include <unordered_set>

#include "flightbook/airport.hpp"
#include "flightbook/clock.hpp"
#include "flightbook/money.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

TEST_CASE("AirportCode upper-cases and validates IATA codes") {
    auto del = AirportCode::parse("del");
    REQUIRE(del);
    CHECK(del->view() == "DEL");
    CHECK(AirportCode::parse("BoM")->str() == "BOM");
    for (const char* bad : {"", "DE", "DELH", "D1L", "DE ", "DÉL", "---"}) {
        CAPTURE(bad);
        auto r = AirportCode::parse(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK(*AirportCode::parse("AAA") < *AirportCode::parse("AAB"));
}

TEST_CASE("Money parses and formats with exactly two decimals") {
    CHECK(Money::parse("8500")->cents() == 850000);
    CHECK(Money::parse("8500.5")->cents() == 850050);
    CHECK(Money::parse("8500.05")->cents() == 850005);
    CHECK(Money::parse("0.99")->cents() == 99);
    CHECK(Money::parse("-3.10")->cents() == -310);
    CHECK(Money::from_cents(850000).to_string() == "8500.00");
    CHECK(Money::from_cents(5).to_string() == "0.05");
    CHECK(Money::from_cents(-310).to_string() == "-3.10");
    CHECK(Money::from_cents(0).to_string() == "0.00");
    for (const char* bad :
         {"", "-", ".5", "1.", "1.234", "1e3", "+5", "12a", "1,5", "99999999999999999999"}) {
        CAPTURE(bad);
        CHECK_FALSE(Money::parse(bad));
    }
    CHECK(Money::from_cents(150) + Money::from_cents(250) == Money::from_cents(400));
    CHECK(Money::from_cents(150) * 3 == Money::from_cents(450));
}

TEST_CASE("RFC 3339 parse and format round-trip in UTC") {
    auto t = parse_rfc3339("2024-02-15T08:00:00Z");
    REQUIRE(t);
    CHECK(format_rfc3339(*t) == "2024-02-15T08:00:00Z");
    CHECK(to_unix_seconds(*t) == 1707984000);
    CHECK(*parse_rfc3339("2024-02-15T13:30:00+05:30") == *t);
    CHECK(*parse_rfc3339("2024-02-15T03:00:00-05:00") == *t);
    CHECK(*parse_rfc3339("2024-02-15 08:00:00.250Z") == *t);
    CHECK(format_rfc3339(*parse_rfc3339("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
    CHECK(format_rfc3339(*parse_rfc3339("0001-01-01T00:00:00Z")) == "0001-01-01T00:00:00Z");
    CHECK(format_rfc3339(*parse_rfc3339("9999-12-31T23:59:59Z")) == "9999-12-31T23:59:59Z");
    for (const char* bad : {"", "2024-02-15", "2024-02-15T08:00:00", "2024-02-30T08:00:00Z",
                            "2024-02-15T24:00:00Z", "2024-02-15T08:00Z", "2024-02-15T08:00:00Zjunk",
                            "2024-13-01T00:00:00Z", "2024-02-15T08:00:00+5:30",
                            // An offset that carries the instant out of 0000-9999 (found by
                            // fuzz_rfc3339): it would have no RFC 3339 form to write back.
                            "9999-12-31T23:59:59-23:59", "0000-01-01T00:00:00+23:59"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_rfc3339(bad));
    }
}

TEST_CASE("dates parse strictly and contain their instants") {
    auto d = parse_date("2024-02-15");
    REQUIRE(d);
    CHECK(format_date(*d) == "2024-02-15");
    CHECK(date_of(*parse_rfc3339("2024-02-15T23:59:59Z")) == *d);
    CHECK(date_of(*parse_rfc3339("2024-02-16T00:00:00Z")) == *d + std::chrono::days{1});
    for (const char* bad : {"2024-2-15", "2024-02-30", "20240215", "2024-02-15T", "abcd-ef-gh"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_date(bad));
    }
}

TEST_CASE("ManualClock moves only when told") {
    ManualClock clock(*parse_rfc3339("2024-02-15T08:00:00Z"));
    const auto s0 = clock.steady_now();
    CHECK(format_rfc3339(clock.now()) == "2024-02-15T08:00:00Z");
    clock.advance(15min);
    CHECK(format_rfc3339(clock.now()) == "2024-02-15T08:15:00Z");
    CHECK(clock.steady_now() - s0 == 15min);
    clock.set(*parse_rfc3339("2024-02-15T09:00:00Z"));
    CHECK(clock.steady_now() - s0 == 60min);
    const Clock& sys = SystemClock::instance();
    CHECK(sys.now() > clock.now());
}

TEST_CASE("strong ids do not mix and hash") {
    FlightId a{1};
    FlightId b{2};
    CHECK(a < b);
    CHECK(a == FlightId{1});
    std::unordered_set<FlightId> set{a, b, FlightId{1}};
    CHECK(set.size() == 2);
    static_assert(!std::is_convertible_v<FlightId, BookingId>);
    static_assert(!std::is_convertible_v<std::int64_t, FlightId>);
}
