// The completion index (issue 13) against a direct count of two-leg
// completions over the flight list, for random (destination, airport, window)
// on generated schedules and on a small world with a -> b -> a round trips.
#include <doctest/doctest.h>

#include <random>

#include "flightbook/schedule/generator.hpp"
#include "flightbook/search/completion_index.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

// Pairs (L: b -> x, M: x -> d) with x != d, L departing in [lo, hi] (Unix
// seconds) and M departing in [arrival(L) + mct, arrival(L) + max layover].
std::uint64_t direct_count(const std::vector<Flight>& flights, const AirportCode& d,
                           const AirportCode& b, std::int64_t lo, std::int64_t hi,
                           const SearchRules& rules) {
    std::uint64_t n = 0;
    for (const Flight& l : flights) {
        if (l.source != b || l.destination == d) continue;
        const std::int64_t dep = to_unix_seconds(l.departure_time);
        if (dep < lo || dep > hi) continue;
        const std::int64_t arr = to_unix_seconds(l.arrival_time);
        for (const Flight& m : flights) {
            if (m.source != l.destination || m.destination != d) continue;
            const std::int64_t md = to_unix_seconds(m.departure_time);
            if (md >= arr + std::int64_t{rules.mct_minutes} * 60 &&
                md <= arr + std::int64_t{rules.max_layover_minutes} * 60) {
                ++n;
            }
        }
    }
    return n;
}

void check_random_windows(const std::vector<Flight>& flights, const SearchRules& rules, int queries,
                          std::uint64_t seed) {
    auto timetable = Timetable::build(flights).value();
    auto index = CompletionIndex::build(timetable, rules).value();
    CHECK(index->serves(*timetable, rules));
    CHECK(index->memory_bytes() > 0);
    std::mt19937_64 rng(seed);
    const auto airports = timetable->airport_count();
    std::int64_t lo_all = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi_all = std::numeric_limits<std::int64_t>::min();
    for (const Flight& f : flights) {
        lo_all = std::min(lo_all, to_unix_seconds(f.departure_time));
        hi_all = std::max(hi_all, to_unix_seconds(f.departure_time));
    }
    int non_zero = 0;
    for (int i = 0; i < queries; ++i) {
        const auto d = static_cast<AirportIndex>(rng() % airports);
        const auto b = static_cast<AirportIndex>(rng() % airports);
        if (d == b) continue;
        const std::int64_t span = hi_all - lo_all + 1;
        std::int64_t lo =
            lo_all + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
        std::int64_t hi = lo + static_cast<std::int64_t>(rng() % 20'000);
        if (rng() % 10 == 0) {  // the whole schedule
            lo = lo_all;
            hi = hi_all;
        }
        const std::uint64_t expected = direct_count(flights, timetable->airport_code(d),
                                                    timetable->airport_code(b), lo, hi, rules);
        const std::uint64_t got = index->count(index->node(d, b), lo - timetable->time_base(),
                                               hi - timetable->time_base());
        INFO("d=" << timetable->airport_code(d).view() << " b=" << timetable->airport_code(b).view()
                  << " lo=" << lo << " hi=" << hi);
        CHECK(got == expected);
        non_zero += expected > 0 ? 1 : 0;
    }
    CHECK(non_zero > 0);
}

}  // namespace

TEST_CASE("completion index: window counts match a direct two-leg count") {
    for (std::uint64_t seed : {1u, 2u}) {
        schedule::GeneratorOptions o;
        o.airports = 15;
        o.flights_per_day = 200;
        o.days = 2;
        o.seed = seed;
        const auto flights = schedule::generate_schedule(o).value();
        for (const SearchRules rules : {SearchRules{}, SearchRules{0, 0}, SearchRules{90, 1440}}) {
            check_random_windows(flights, rules, 300, seed * 31 + 7);
        }
    }
}

TEST_CASE("completion index: round trips a -> b -> a and windows at the edges") {
    using testing::leg;
    const std::vector<Flight> flights = {
        leg(1, "AAA", "BBB", "08:00", "09:00"),  leg(2, "BBB", "AAA", "10:00", "11:00"),
        leg(3, "BBB", "CCC", "09:45", "10:30"),  leg(4, "CCC", "AAA", "11:15", "12:00"),
        leg(5, "AAA", "CCC", "07:00", "08:00"),  leg(6, "CCC", "BBB", "08:45", "09:30"),
        leg(7, "BBB", "AAA", "13:00", "14:00"),  leg(8, "AAA", "BBB", "12:00", "13:00"),
        leg(9, "CCC", "AAA", "12:45", "13:30"),  leg(10, "BBB", "DDD", "10:15", "11:00"),
        leg(11, "DDD", "AAA", "11:45", "12:30"),
    };
    SearchRules rules;  // 45 min .. 4 h
    auto timetable = Timetable::build(flights).value();
    auto index = CompletionIndex::build(timetable, rules).value();
    const auto a = *timetable->airport_index(AirportCode::parse("AAA").value());
    const auto b = *timetable->airport_index(AirportCode::parse("BBB").value());
    const auto c = *timetable->airport_index(AirportCode::parse("CCC").value());
    const auto base = timetable->time_base();
    const auto at = [&](std::string_view hhmm) {
        return to_unix_seconds(parse_rfc3339("2024-02-15T" + std::string(hhmm) + ":00Z").value()) -
               base;
    };
    // To AAA from BBB: 3 (09:45) -> 4 and 9; 10 (10:15) -> 11. Flight 2 and 7
    // go straight to AAA and are not two-leg completions.
    CHECK(index->count(index->node(a, b), at("00:00"), at("23:59")) == 3);
    CHECK(index->count(index->node(a, b), at("09:45"), at("09:45")) == 2);
    CHECK(index->count(index->node(a, b), at("09:46"), at("10:15")) == 1);
    CHECK(index->count(index->node(a, b), at("10:16"), at("23:59")) == 0);
    // To AAA from CCC via BBB: 6 lands 09:30, so 2 (10:00) is inside the MCT
    // and only 7 (13:00) connects.
    CHECK(index->count(index->node(a, c), at("08:45"), at("08:45")) == 1);
    // From AAA itself to BBB: 5 -> 6 (a round trip through CCC) only.
    CHECK(index->count(index->node(b, a), at("00:00"), at("23:59")) == 1);
    CHECK(index->node(b, b).empty());
    CHECK(index->count(index->node(a, b), at("12:00"), at("08:00")) == 0);  // empty window

    CompletionIndex::Options tight;
    tight.memory_budget_bytes = 1;
    CHECK(CompletionIndex::build(timetable, rules, tight).error().code ==
          ErrorCode::kResourceExhausted);
}
