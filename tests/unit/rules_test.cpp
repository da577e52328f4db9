// The business limits of rules.hpp: each boundary and its one wording.
#include <doctest/doctest.h>

#include "flightbook/rules.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

TEST_CASE("seats per request: 1 to 100") {
    CHECK(rules::check_seats(1));
    CHECK(rules::check_seats(100));
    for (const std::int64_t bad :
         {std::int64_t{0}, std::int64_t{-1}, std::int64_t{101}, std::int64_t{1} << 40}) {
        auto r = rules::check_seats(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
        CHECK(r.error().message == "seats must be an integer between 1 and 100");
    }
}

TEST_CASE("hold ttl: 1 s to 1 h, default 15 min inside the range") {
    CHECK(rules::check_hold_ttl(1s));
    CHECK(rules::check_hold_ttl(3600s));
    CHECK(rules::check_hold_ttl(rules::kDefaultHoldTtl));
    CHECK_FALSE(rules::check_hold_ttl(0s));
    CHECK_FALSE(rules::check_hold_ttl(3601s));
    CHECK(rules::check_hold_ttl(86400s).error().message ==
          "hold ttl must be between 1 and 3600 seconds");
}

TEST_CASE("itineraries have 1 to 4 legs") {
    CHECK(rules::check_itinerary_legs(1));
    CHECK(rules::check_itinerary_legs(4));
    CHECK_FALSE(rules::check_itinerary_legs(0));
    CHECK_FALSE(rules::check_itinerary_legs(5));
}
