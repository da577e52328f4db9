// Differential test: the fast search must give exactly the brute-force answer
// (same ordered page, total and total_capped) on random queries over
// generated schedules, for both sort orders and every max_stops.
// FLIGHTBOOK_DIFF_QUERIES scales the number of queries per schedule (default
// 1500; sanitizer builds in CI may lower it).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <random>

#include "core/search/brute_force.hpp"
#include "flightbook/schedule/generator.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::search;

namespace {

int query_count() {
    const char* env = std::getenv("FLIGHTBOOK_DIFF_QUERIES");
    if (env == nullptr || *env == '\0') return 1500;
    const long n = std::strtol(env, nullptr, 10);
    return n > 0 ? static_cast<int>(std::min(n, 1'000'000L)) : 1500;
}

std::string describe(const SearchQuery& q, const SearchRules& r) {
    return fmt::format(
        "{}->{} {} seats={} sort={} max_stops={} limit={} offset={} mct={} layover={}",
        q.source.view(), q.destination.view(), format_date(q.date), q.seats, to_string(q.sort_by),
        q.max_stops, q.limit, q.offset, r.mct_minutes, r.max_layover_minutes);
}

struct Stats {
    int queries = 0;
    int non_empty = 0;
    int capped = 0;
    int multi_leg = 0;
};

Stats run_differential(const schedule::GeneratorOptions& options, int queries,
                       const std::vector<int>& layovers, std::uint64_t seed) {
    auto flights = schedule::generate_schedule(options).value();
    auto timetable = Timetable::build(flights).value();
    BruteForceSearch reference(flights);
    testing::OverrideSeats seats(timetable);
    std::mt19937_64 rng(seed);
    auto pick = [&](std::uint64_t n) { return static_cast<int>(rng() % n); };
    // Some flights nearly sold out, so seat filtering matters.
    for (const Flight& f : flights) {
        if (pick(10) == 0) seats.set(f.id.value(), pick(4));
    }
    Stats stats;
    const auto airports = static_cast<std::uint64_t>(timetable->airport_count());
    for (int i = 0; i < queries; ++i) {
        SearchQuery q;
        q.source = timetable->airport_code(static_cast<AirportIndex>(pick(airports)));
        do {
            q.destination = timetable->airport_code(static_cast<AirportIndex>(pick(airports)));
        } while (q.destination == q.source);
        if (pick(50) == 0) q.destination = AirportCode::parse("QQQ").value();
        q.date = options.start_date + std::chrono::days{pick(3) - 1};
        q.seats = pick(4) == 0 ? 1 + pick(100) : 1 + pick(3);
        q.sort_by = pick(2) == 0 ? SortBy::kCheapest : SortBy::kFastest;
        q.max_stops = pick(4);
        q.limit = pick(3) == 0 ? 1 + pick(100) : 1 + pick(20);
        const int max_offset = kMaxPageEnd - q.limit;
        q.offset = pick(3) == 0 ? pick(static_cast<std::uint64_t>(max_offset) + 1) : pick(5);
        SearchRules rules;
        rules.mct_minutes = std::vector<int>{0, 30, 45, 45, 90}[static_cast<std::size_t>(pick(5))];
        rules.max_layover_minutes =
            std::max(rules.mct_minutes, layovers[static_cast<std::size_t>(pick(layovers.size()))]);
        auto fast = find_itineraries(*timetable, seats, q, rules);
        auto slow = reference.search(seats, q, rules);
        REQUIRE(fast);
        REQUIRE(slow);
        INFO(describe(q, rules));
        CHECK(fast->total == slow->total);
        CHECK(fast->total_capped == slow->total_capped);
        REQUIRE(fast->paths.size() == slow->paths.size());
        for (std::size_t k = 0; k < fast->paths.size(); ++k) {
            INFO("path " << k);
            CHECK(fast->paths[k] == slow->paths[k]);
        }
        ++stats.queries;
        if (slow->total > 0) ++stats.non_empty;
        if (slow->total_capped) ++stats.capped;
        for (const auto& p : slow->paths) {
            if (p.stops > 0) {
                ++stats.multi_leg;
                break;
            }
        }
    }
    return stats;
}

}  // namespace

TEST_CASE("differential: small schedules, every rule set") {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        schedule::GeneratorOptions o;
        o.airports = 12;
        o.flights_per_day = 150;
        o.days = 3;
        o.seed = seed;
        auto s = run_differential(o, query_count() / 3, {0, 60, 240, 240, 720, 1440}, seed * 11);
        MESSAGE(fmt::format("small seed {}: {} queries, {} non-empty, {} capped, {} multi-leg",
                            seed, s.queries, s.non_empty, s.capped, s.multi_leg));
        CHECK(s.non_empty > s.queries / 4);
        CHECK(s.multi_leg > 0);
    }
}

TEST_CASE("differential: medium schedule, default and long layovers") {
    schedule::GeneratorOptions o;
    o.airports = 40;
    o.flights_per_day = 1200;
    o.days = 2;
    o.seed = 42;
    auto s = run_differential(o, query_count(), {120, 240, 240, 480}, 99);
    MESSAGE(fmt::format("medium: {} queries, {} non-empty, {} capped, {} multi-leg", s.queries,
                        s.non_empty, s.capped, s.multi_leg));
    CHECK(s.capped > 0);  // the capped regime (bound pruning) is exercised
    CHECK(s.non_empty > s.queries / 2);
}

TEST_CASE("differential: dense schedule, long layovers, mostly capped totals") {
    schedule::GeneratorOptions o;
    o.airports = 25;
    o.flights_per_day = 1500;
    o.days = 2;
    o.seed = 7;
    auto s = run_differential(o, std::max(1, query_count() / 5), {360, 720, 1440}, 5);
    MESSAGE(fmt::format("dense: {} queries, {} non-empty, {} capped, {} multi-leg", s.queries,
                        s.non_empty, s.capped, s.multi_leg));
    CHECK(s.capped > s.queries / 10);
}
