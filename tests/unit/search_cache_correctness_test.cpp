// The search cache against fresh computations (issue 10, SPEC §5/§6): while
// seats are sold, sold out and given back, every cached answer is compared
// with an exact search over the store's counts at the same moment. Pages and
// order must be identical; `total` is identical while nothing changed since
// the list was computed, and otherwise an upper bound of the live count
// (docs/api.md). No answer may show a leg without enough seats.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <random>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/schedule/generator.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

struct Market {
    explicit Market(std::uint64_t seed, std::chrono::milliseconds freshness) : rng(seed) {
        schedule::GeneratorOptions g;
        g.airports = 25;
        g.flights_per_day = 700;
        g.days = 2;
        g.seed = seed;
        flights = schedule::generate_schedule(g).value();
        REQUIRE(seats.add_flights(flights));
        repo = std::make_unique<memory::InMemoryFlightRepository>(flights, &seats);
        flights::FlightServiceOptions o;
        o.seat_freshness = freshness;
        service = std::make_unique<flights::FlightService>(*repo, seats, clock, o, registry);
        REQUIRE(service->reload());
        start = g.start_date;
    }

    int pick(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }

    // A pool of queries that repeat, as real traffic does.
    std::vector<search::SearchQuery> query_pool(int n) {
        const auto& tt = *service->timetable();
        std::vector<search::SearchQuery> pool;
        while (static_cast<int>(pool.size()) < n) {
            search::SearchQuery q;
            q.source = tt.airport_code(static_cast<search::AirportIndex>(pick(8)));
            q.destination = tt.airport_code(
                static_cast<search::AirportIndex>(pick(static_cast<int>(tt.airport_count()))));
            if (q.source == q.destination) continue;
            q.date = start + std::chrono::days{pick(2)};
            q.seats = 1 + pick(3);
            q.sort_by = pick(2) == 0 ? search::SortBy::kCheapest : search::SortBy::kFastest;
            q.max_stops = pick(4);
            q.limit = 1 + pick(12);
            q.offset = pick(3);
            pool.push_back(q);
        }
        return pool;
    }

    // The exact answer over the store's counts now (the oracle).
    search::SearchResult fresh(const search::SearchQuery& q) {
        std::vector<FlightId> ids;
        for (const Flight& f : flights) ids.push_back(f.id);
        auto counts = seats.availability_many(ids).value();
        flights::SeatMirror live(flights);
        for (const SeatCounts& c : counts) live.set(c.flight_id, c.available);
        return search::find_itineraries(*service->timetable(), live, q).value();
    }

    std::int32_t available(FlightId id) { return seats.availability(id).value().available; }

    // One seat change through the service: a sale, a sell-out or a give-back.
    void change_seats() {
        const int kind = pick(10);
        if (kind < 4 && !sold.empty()) {
            const auto i = static_cast<std::size_t>(pick(static_cast<int>(sold.size())));
            REQUIRE(service->release(sold[i]));
            sold.erase(sold.begin() + static_cast<std::ptrdiff_t>(i));
            return;
        }
        // Sales go to the busiest airports' flights, where the queries are.
        const Flight& f = flights[static_cast<std::size_t>(pick(static_cast<int>(flights.size())))];
        const std::int32_t left = available(f.id);
        if (left <= 0) return;
        const std::int32_t n = kind < 7 ? std::min(left, 100) : std::min(left, 1 + pick(3));
        const auto id = ReservationId::parse(fmt::format("r{}", next_id++)).value();
        REQUIRE(service->hold(id, {SeatLeg{f.id, n}}));
        REQUIRE(service->confirm(id));
        sold.push_back(id);
    }

    std::mt19937_64 rng;
    std::vector<Flight> flights;
    UtcDate start;
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemorySeatInventory seats{clock};
    std::unique_ptr<memory::InMemoryFlightRepository> repo;
    std::shared_ptr<metrics::Registry> registry = std::make_shared<metrics::Registry>();
    std::unique_ptr<flights::FlightService> service;
    std::vector<ReservationId> sold;
    int next_id = 0;
};

std::uint64_t metric(const metrics::Registry& r, std::string_view series) {
    const std::string text = r.render_prometheus();
    const auto at = text.find(series);
    if (at == std::string::npos) return 0;
    return std::stoull(text.substr(at + series.size() + 1));
}

void check_answer(Market& m, const search::SearchQuery& q, bool unchanged) {
    auto got = m.service->search(q);
    REQUIRE(got);
    const auto want = m.fresh(q);
    INFO(fmt::format("{}->{} seats={} stops={} offset={} limit={}", q.source.view(),
                     q.destination.view(), q.seats, q.max_stops, q.offset, q.limit));
    for (const auto& it : got->result.paths) {
        for (FlightId id : it.flights) REQUIRE(m.available(id) >= q.seats);
    }
    REQUIRE(got->result.paths == want.paths);
    CHECK(got->result.total_capped == want.total_capped);
    if (unchanged) {
        CHECK(got->result.total == want.total);
    } else {
        CHECK(got->result.total >= want.total);
    }
}

void run_market(std::uint64_t seed, std::chrono::milliseconds freshness) {
    Market m(seed, freshness);
    const auto pool = m.query_pool(80);
    // Nothing changes: every answer, computed or cached, is the fresh one.
    for (int round = 0; round < 3; ++round) {
        for (const auto& q : pool) check_answer(m, q, true);
    }
    const auto hits =
        metric(*m.registry, R"(flightbook_search_cache_lookups_total{tier="local",result="hit"})");
    CHECK(hits >= 2 * pool.size());
    // Seats change between queries, all through this service.
    for (int step = 0; step < 2500; ++step) {
        if (m.pick(4) == 0) {
            m.change_seats();
        } else {
            check_answer(m, pool[static_cast<std::size_t>(m.pick(static_cast<int>(pool.size())))],
                         false);
        }
        if (freshness.count() > 0 && m.pick(8) == 0) m.clock.advance(1s);
    }
    MESSAGE(fmt::format(
        "seed {}: {} local hits, {} restock recomputes, {} sales open at the end", seed,
        metric(*m.registry, R"(flightbook_search_cache_lookups_total{tier="local",result="hit"})"),
        metric(*m.registry, R"(flightbook_search_cache_recomputes_total{reason="restock"})"),
        m.sold.size()));
}

}  // namespace

TEST_CASE("search cache: answers equal fresh computations while seats change (freshness 0)") {
    for (std::uint64_t seed : {11u, 12u}) run_market(seed, 0ms);
}

TEST_CASE("search cache: answers equal fresh computations while seats change (freshness 100 ms)") {
    // Counts within the bound are used as read; the clock moves past it
    // now and then. All changes go through this service, so its mirror
    // knows them and the answers stay exact.
    run_market(21, 100ms);
}

TEST_CASE(
    "search cache: seats sold elsewhere never show; a give-back elsewhere shows after a "
    "reload") {
    Market m(31, 0ms);
    const auto pool = m.query_pool(40);
    for (const auto& q : pool) check_answer(m, q, true);
    // Sell out, behind the service's back (another instance), every flight
    // on the first pages.
    std::vector<ReservationId> elsewhere;
    for (const auto& q : pool) {
        auto page = m.service->search(q).value();
        for (const auto& it : page.result.paths) {
            for (FlightId id : it.flights) {
                for (auto left = m.available(id); left > 0; left = m.available(id)) {
                    auto rid = ReservationId::parse(fmt::format("x{}", elsewhere.size())).value();
                    REQUIRE(m.seats.hold(
                        HoldRequest{rid, {{id, std::min(left, 100)}}, m.clock.now() + 1h}));
                    elsewhere.push_back(rid);
                }
            }
        }
    }
    // The cached lists still hold those itineraries: never shown.
    for (const auto& q : pool) {
        auto got = m.service->search(q).value();
        for (const auto& it : got.result.paths) {
            for (FlightId id : it.flights) REQUIRE(m.available(id) >= q.seats);
        }
    }
    // Given back elsewhere: like an uncached search, this instance's seat
    // mirror learns it at the next reload (periodic in flight-service), and
    // a reload starts new lists.
    for (const auto& rid : elsewhere) REQUIRE(m.seats.release(rid));
    REQUIRE(m.service->reload());
    for (const auto& q : pool) check_answer(m, q, true);
}
