// Differential test: the fast search must give exactly the brute-force answer
// (same ordered page, total and total_capped) on random queries over
// generated schedules, for both sort orders and every max_stops.
// Every query runs twice: without and with the completion index (issue 13),
// whose answer must be the same. FLIGHTBOOK_DIFF_QUERIES scales the number of
// queries per schedule (default 1500; sanitizer builds in CI may lower it).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <random>

#include "core/search/brute_force.hpp"
#include "flightbook/schedule/generator.hpp"
#include "flightbook/search/completion_index.hpp"
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

// One completion index per rule set, built when first asked for.
class Indexes {
public:
    explicit Indexes(std::shared_ptr<const Timetable> t) : timetable_(std::move(t)) {}
    const CompletionIndex* get(const SearchRules& r) {
        auto& slot = built_[{r.mct_minutes, r.max_layover_minutes}];
        if (!slot) slot = CompletionIndex::build(timetable_, r).value();
        return slot.get();
    }

private:
    std::shared_ptr<const Timetable> timetable_;
    std::map<std::pair<int, int>, std::shared_ptr<const CompletionIndex>> built_;
};

void check_same(const SearchResult& got, const SearchResult& want) {
    CHECK(got.total == want.total);
    CHECK(got.total_capped == want.total_capped);
    REQUIRE(got.paths.size() == want.paths.size());
    for (std::size_t k = 0; k < got.paths.size(); ++k) {
        INFO("path " << k);
        CHECK(got.paths[k] == want.paths[k]);
    }
}

// Answers `q` three ways (no index, index, brute force) and checks that
// all three agree. Returns the brute-force answer.
SearchResult check_query(const Timetable& timetable, Indexes& indexes,
                         const BruteForceSearch& reference, const SeatAvailability& seats,
                         const SearchQuery& q, const SearchRules& rules) {
    auto fast = find_itineraries(timetable, seats, q, rules);
    auto indexed = find_itineraries(timetable, seats, q, rules, indexes.get(rules));
    auto slow = reference.search(seats, q, rules);
    REQUIRE(fast);
    REQUIRE(indexed);
    REQUIRE(slow);
    INFO(describe(q, rules));
    {
        INFO("without index");
        check_same(*fast, *slow);
    }
    {
        INFO("with index");
        check_same(*indexed, *slow);
    }
    return *slow;
}

// `sold_out_pct` of the flights get 0 seats, as many again 1 to 3; with
// `churn`, one flight's count changes between any two queries.
Stats run_differential(const schedule::GeneratorOptions& options, int queries,
                       const std::vector<int>& layovers, std::uint64_t seed, int sold_out_pct = 0,
                       bool churn = false, bool hard_mix = false) {
    auto flights = schedule::generate_schedule(options).value();
    auto timetable = Timetable::build(flights).value();
    BruteForceSearch reference(flights);
    testing::OverrideSeats seats(timetable);
    Indexes indexes(timetable);
    std::mt19937_64 rng(seed);
    auto pick = [&](std::uint64_t n) { return static_cast<int>(rng() % n); };
    // Some flights nearly sold out, so seat filtering matters.
    for (const Flight& f : flights) {
        if (pick(10) == 0) seats.set(f.id.value(), pick(4));
        // (No draw when off, so the older worlds keep their random streams.)
        if (sold_out_pct > 0 && pick(100) < sold_out_pct) seats.set(f.id.value(), 0);
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
        q.max_stops = hard_mix && pick(4) != 0 ? 3 : pick(4);
        q.limit = pick(3) == 0 ? 1 + pick(100) : 1 + pick(20);
        const int max_offset = kMaxPageEnd - q.limit;
        q.offset = pick(3) == 0 ? pick(static_cast<std::uint64_t>(max_offset) + 1) : pick(5);
        SearchRules rules;
        rules.mct_minutes = std::vector<int>{0, 30, 45, 45, 90}[static_cast<std::size_t>(pick(5))];
        rules.max_layover_minutes =
            std::max(rules.mct_minutes, layovers[static_cast<std::size_t>(pick(layovers.size()))]);
        if (churn) {
            const Flight& f = flights[static_cast<std::size_t>(pick(flights.size()))];
            seats.set(f.id.value(), pick(3) == 0 ? 0 : pick(6));
        }
        auto slow = check_query(*timetable, indexes, reference, seats, q, rules);
        ++stats.queries;
        if (slow.total > 0) ++stats.non_empty;
        if (slow.total_capped) ++stats.capped;
        for (const auto& p : slow.paths) {
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

TEST_CASE("differential: index on and off, 10 % sold out, seats changing between queries") {
    schedule::GeneratorOptions o;
    o.airports = 25;
    o.flights_per_day = 2000;
    o.days = 2;
    o.seed = 5;
    auto s =
        run_differential(o, std::max(1, query_count() / 3), {240, 480, 720}, 17, 10, true, true);
    MESSAGE(fmt::format("sold-out churn: {} queries, {} non-empty, {} capped, {} multi-leg",
                        s.queries, s.non_empty, s.capped, s.multi_leg));
    CHECK(s.capped > 0);
}

TEST_CASE("differential: index on and off, plentiful seats, hard mix") {
    // No sold-out leg: the index counts every window it can (seats <= 9).
    schedule::GeneratorOptions o;
    o.airports = 30;
    o.flights_per_day = 1200;
    o.days = 2;
    o.seed = 11;
    auto flights = schedule::generate_schedule(o).value();
    for (Flight& f : flights) f.booked_seats = 0;
    auto timetable = Timetable::build(flights).value();
    BruteForceSearch reference(flights);
    testing::OverrideSeats seats(timetable);
    Indexes indexes(timetable);
    std::mt19937_64 rng(23);
    auto pick = [&](std::uint64_t n) { return static_cast<int>(rng() % n); };
    int capped = 0;
    const int queries = std::max(1, query_count() / 3);
    for (int i = 0; i < queries; ++i) {
        SearchQuery q;
        q.source = timetable->airport_code(static_cast<AirportIndex>(pick(30)));
        do {
            q.destination = timetable->airport_code(static_cast<AirportIndex>(pick(30)));
        } while (q.destination == q.source);
        q.date = o.start_date;
        q.seats = 1 + pick(3);
        q.sort_by = pick(2) == 0 ? SortBy::kCheapest : SortBy::kFastest;
        q.max_stops = pick(5) == 0 ? 2 : 3;
        q.limit = 1 + pick(30);
        q.offset = pick(4) == 0 ? pick(static_cast<std::uint64_t>(kMaxPageEnd - q.limit) + 1) : 0;
        SearchRules rules;
        rules.max_layover_minutes = pick(2) == 0 ? 240 : 360;
        capped += check_query(*timetable, indexes, reference, seats, q, rules).total_capped ? 1 : 0;
    }
    MESSAGE(fmt::format("plentiful seats: {} queries, {} capped", queries, capped));
    CHECK(capped > 0);
}

namespace {

// 10 legs S -> A, 10 A -> B, 10 B -> D, all connecting and all at one price:
// exactly 1,000 itineraries S -> A -> B -> D with ties everywhere, plus, with
// `direct`, the flight S -> D (1,001). Round trips that the index counts but
// that revisit an airport: S -> A -> B -> A -> D (back through the stop
// before) and S -> A -> B -> S -> D (back through the source).
std::vector<Flight> thousand_world(bool direct) {
    using testing::leg;
    std::vector<Flight> f;
    std::int64_t id = 1;
    auto hhmm = [](int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); };
    for (int i = 0; i < 10; ++i) {
        f.push_back(leg(id++, "SSS", "AAA", hhmm(360 + i), hhmm(420 + i)));
        f.push_back(leg(id++, "AAA", "BBB", hhmm(480 + i), hhmm(540 + i)));
        f.push_back(leg(id++, "BBB", "DDD", hhmm(600 + i), hhmm(660 + i)));
    }
    f.push_back(leg(id++, "BBB", "AAA", "10:00", "10:30"));
    f.push_back(leg(id++, "AAA", "DDD", "11:30", "12:00"));
    f.push_back(leg(id++, "BBB", "SSS", "10:00", "10:30"));
    if (direct) f.push_back(leg(id++, "SSS", "DDD", "11:30", "12:00"));
    return f;
}

}  // namespace

TEST_CASE("differential: totals of exactly 1,000 and 1,001, ties at the k-th value") {
    for (const bool direct : {false, true}) {
        const auto flights = thousand_world(direct);
        auto timetable = Timetable::build(flights).value();
        BruteForceSearch reference(flights);
        testing::OverrideSeats seats(timetable);
        Indexes indexes(timetable);
        for (const SortBy sort : {SortBy::kCheapest, SortBy::kFastest}) {
            for (const int offset : {0, 17, 980}) {
                SearchQuery q = testing::query("SSS", "DDD");
                q.sort_by = sort;
                q.max_stops = 3;
                q.limit = 20;
                q.offset = offset;
                const auto r = check_query(*timetable, indexes, reference, seats, q, SearchRules{});
                CHECK(r.total == 1000);
                CHECK(r.total_capped == direct);
            }
        }
        // One S -> A leg sold out, then back: 900 (+1), then 1,000 (+1) again.
        SearchQuery q = testing::query("SSS", "DDD");
        q.max_stops = 3;
        seats.set(1, 0);
        CHECK(check_query(*timetable, indexes, reference, seats, q, SearchRules{}).total ==
              (direct ? 901 : 900));
        seats.set(1, 100);
        CHECK(check_query(*timetable, indexes, reference, seats, q, SearchRules{}).total == 1000);
        // A B -> D leg short of 2 seats: windows into D fall back to leg by leg.
        seats.set(3, 1);
        q.seats = 2;
        CHECK(check_query(*timetable, indexes, reference, seats, q, SearchRules{}).total ==
              (direct ? 901 : 900));
    }
}
