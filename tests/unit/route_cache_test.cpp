// RouteCache (ADR 0009): the tiers, what makes a list stale, the shared
// tier's lock and cheap notes, failures degrading to computing, stampedes.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "flightbook/flights/route_cache.hpp"
#include "flightbook/memory/search_cache.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::flights;
using namespace std::chrono_literals;

namespace {

search::SearchResult routes(int n, int total) {
    search::SearchResult r;
    for (int i = 0; i < n; ++i) {
        search::Itinerary it;
        it.flights = {FlightId{i + 1}, FlightId{i + 100}};
        it.total_price = Money::from_cents(1000 + i);
        it.total_time_minutes = 90 + i;
        it.stops = 1;
        it.first_departure = UtcTime{std::chrono::seconds{1'700'000'000 + i}};
        r.paths.push_back(it);
    }
    r.total = total;
    return r;
}

struct Counting {
    std::atomic<int> calls{0};
    int total = 50;
    std::chrono::milliseconds delay{0};
    RouteCache::Compute fn() {
        return [this](int depth) -> Result<search::SearchResult> {
            ++calls;
            if (delay.count() > 0) std::this_thread::sleep_for(delay);
            return routes(std::min(depth, total), total);
        };
    }
};

std::vector<Flight> flights_1_to_9() {
    std::vector<Flight> out;
    for (int i = 1; i <= 9; ++i) {
        Flight f;
        f.id = FlightId{i};
        f.total_seats = 10;
        out.push_back(f);
    }
    return out;
}

std::uint64_t metric(const metrics::Registry& r, std::string_view series) {
    const std::string text = r.render_prometheus();
    const auto at = text.find(series);
    if (at == std::string::npos) return 0;
    return std::stoull(text.substr(at + series.size() + 1));
}

// A shared tier that is down.
class BrokenCache final : public SearchCache {
public:
    Result<std::optional<std::string>> get(std::string_view) override { return down(); }
    Status put(std::string_view, std::string_view, std::chrono::milliseconds) override {
        return down();
    }
    Result<std::optional<std::string>> try_lock(std::string_view,
                                                std::chrono::milliseconds) override {
        return down();
    }
    Result<bool> unlock(std::string_view, std::string_view) override { return down(); }

private:
    static Error down() { return Error{ErrorCode::kUnavailable, "redis is down"}; }
};

const RouteCache::Key kKey{1, "v1:DEL:BLR:2024-02-15:1:cheapest:3:45:240"};

}  // namespace

TEST_CASE("route lists round-trip through their shared-tier bytes; damage is refused") {
    RouteList list;
    list.routes = routes(7, 40);
    list.depth = 20;
    list.computed_at_ms = 1'700'000'000'123;
    list.compute_time = 456us;
    const auto bytes = encode_route_list(list);
    auto back = decode_route_list(bytes);
    REQUIRE(back);
    CHECK(back->routes == list.routes);
    CHECK(back->depth == 20);
    CHECK(back->computed_at_ms == list.computed_at_ms);
    CHECK(back->compute_time == 456us);
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        CHECK_FALSE(decode_route_list(std::string_view(bytes).substr(0, cut)));
    }
    CHECK_FALSE(decode_route_list("C"));
    RouteList deep = list;
    deep.depth = 3;  // more paths than its depth: not something we wrote
    CHECK_FALSE(decode_route_list(encode_route_list(deep)));
}

TEST_CASE(
    "tier 1: one computation, then hits; a restock, a deeper page and a new generation "
    "compute again") {
    ManualClock clock;
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache cache(clock, {}, nullptr, registry.get());
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    for (int i = 0; i < 5; ++i) {
        auto found = cache.find(kKey, 20, 40, mirror, 2, c.fn());
        REQUIRE(found);
        CHECK(found->source == (i == 0 ? RouteSource::kComputed : RouteSource::kLocal));
        CHECK(found->list->routes.paths.size() == 40);
    }
    CHECK(c.calls == 1);
    CHECK(metric(*registry,
                 R"(flightbook_search_cache_lookups_total{tier="local",result="hit"})") == 4);

    // A flight that was short of 2 seats has them again: the list may lack it.
    mirror.set(FlightId{3}, 1);
    REQUIRE(cache.find(kKey, 20, 40, mirror, 2, c.fn()));
    CHECK(c.calls == 1);  // a sale is no restock
    mirror.set(FlightId{3}, 5);
    REQUIRE(cache.find(kKey, 20, 40, mirror, 2, c.fn()));
    CHECK(c.calls == 2);
    CHECK(metric(*registry, R"(flightbook_search_cache_recomputes_total{reason="restock"})") == 1);

    // A page deeper than the list reaches.
    REQUIRE(cache.find(kKey, 45, 90, mirror, 2, c.fn()));
    CHECK(c.calls == 3);
    // Expiry.
    clock.advance(31s);
    REQUIRE(cache.find(kKey, 20, 40, mirror, 2, c.fn()));
    CHECK(c.calls == 4);
    // Another snapshot of the timetable.
    REQUIRE(cache.find(RouteCache::Key{2, kKey.shared}, 20, 40, mirror, 2, c.fn()));
    CHECK(c.calls == 5);
}

TEST_CASE("a complete list serves any page; an incomplete one only pages within its depth") {
    ManualClock clock;
    RouteCache cache(clock, {});
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    c.total = 12;  // the whole space fits in a depth of 40
    REQUIRE(cache.find(kKey, 20, 40, mirror, 1, c.fn()));
    REQUIRE(cache.find(kKey, 100, 100, mirror, 1, c.fn()));
    CHECK(c.calls == 1);
}

TEST_CASE("tier 2: an expensive list computed by one instance is used by another") {
    ManualClock clock;
    memory::InMemorySearchCache shared(clock);
    RouteCacheOptions o;
    o.shared_min_compute = 0us;  // the manual clock makes every computation take 0 µs
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache a(clock, o, &shared);
    RouteCache b(clock, o, &shared, registry.get());
    SeatMirror mirror_a(flights_1_to_9());
    SeatMirror mirror_b(flights_1_to_9());
    Counting ca;
    Counting cb;
    REQUIRE(a.find(kKey, 20, 40, mirror_a, 1, ca.fn()));
    auto found = b.find(kKey, 20, 40, mirror_b, 1, cb.fn());
    REQUIRE(found);
    CHECK(found->source == RouteSource::kShared);
    CHECK(found->list->routes == routes(40, 50));
    CHECK(ca.calls == 1);
    CHECK(cb.calls == 0);
    CHECK(metric(*registry,
                 R"(flightbook_search_cache_lookups_total{tier="shared",result="hit"})") == 1);
    // Then tier 1 of b answers.
    REQUIRE(b.find(kKey, 20, 40, mirror_b, 1, cb.fn())->source == RouteSource::kLocal);
}

TEST_CASE("tier 2: a cheap list leaves a note, and other instances compute it without a lock") {
    ManualClock clock;
    memory::InMemorySearchCache shared(clock);
    RouteCacheOptions o;
    o.shared_min_compute = 1s;  // nothing is expensive enough
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache a(clock, o, &shared);
    RouteCache b(clock, o, &shared, registry.get());
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    REQUIRE(a.find(kKey, 20, 40, mirror, 1, c.fn()));
    // Someone else holds the lock: b must not wait for it.
    auto held = shared.try_lock(kKey.shared, 10s);
    REQUIRE(held);
    REQUIRE(held->has_value());
    auto found = b.find(kKey, 20, 40, mirror, 1, c.fn());
    REQUIRE(found);
    CHECK(found->source == RouteSource::kComputed);
    CHECK(c.calls == 2);
    CHECK(metric(*registry,
                 R"(flightbook_search_cache_lookups_total{tier="shared",result="cheap"})") == 1);
    CHECK(registry->render_prometheus().find("flightbook_search_cache_lock_waits_total{") ==
          std::string::npos);
}

TEST_CASE("tier 2: a cold key locked by another instance is waited for, then computed") {
    SystemClock clock;
    memory::InMemorySearchCache shared(clock);
    RouteCacheOptions o;
    o.shared_min_compute = 0us;
    o.lock_wait = 20ms;
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache b(clock, o, &shared, registry.get());
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    auto held = shared.try_lock(kKey.shared, 10s);
    REQUIRE(held->has_value());

    SUBCASE("the holder never delivers: compute after the wait") {
        auto found = b.find(kKey, 20, 40, mirror, 1, c.fn());
        REQUIRE(found);
        CHECK(found->source == RouteSource::kComputed);
        CHECK(c.calls == 1);
        CHECK(metric(*registry,
                     R"(flightbook_search_cache_lock_waits_total{outcome="computed"})") == 1);
    }
    SUBCASE("the holder delivers while we wait") {
        RouteCacheOptions slow = o;
        slow.lock_wait = 2s;
        RouteCache waiter(clock, slow, &shared, registry.get());
        std::thread holder([&] {
            std::this_thread::sleep_for(10ms);
            RouteList list;
            list.routes = routes(40, 50);
            list.depth = 40;
            list.computed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      clock.precise_now().time_since_epoch())
                                      .count();
            REQUIRE(shared.put(kKey.shared, encode_route_list(list), 10s));
        });
        auto found = waiter.find(kKey, 20, 40, mirror, 1, c.fn());
        holder.join();
        REQUIRE(found);
        CHECK(found->source == RouteSource::kShared);
        CHECK(c.calls == 0);
        CHECK(metric(*registry, R"(flightbook_search_cache_lock_waits_total{outcome="shared"})") ==
              1);
    }
}

TEST_CASE("tier 2: a shared list computed before a restock this instance saw is refused") {
    ManualClock clock;
    memory::InMemorySearchCache shared(clock);
    RouteCacheOptions o;
    o.shared_min_compute = 0us;
    RouteCache a(clock, o, &shared);
    RouteCache b(clock, o, &shared);
    SeatMirror mirror_a(flights_1_to_9());
    SeatMirror mirror_b(flights_1_to_9());
    Counting c;
    REQUIRE(a.find(kKey, 20, 40, mirror_a, 1, c.fn()));
    mirror_b.set(FlightId{4}, 0);
    REQUIRE(b.find(RouteCache::Key{1, "other"}, 20, 40, mirror_b, 1, c.fn()));  // sees level 1
    clock.advance(1s);
    mirror_b.set(FlightId{4}, 3);  // restock at level 1, seen by b after a's list
    auto found = b.find(kKey, 20, 40, mirror_b, 1, c.fn());
    REQUIRE(found);
    CHECK(found->source == RouteSource::kComputed);
}

TEST_CASE("tier 2 down: every search is computed, errors are counted, none reaches the caller") {
    ManualClock clock;
    BrokenCache broken;
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache cache(clock, {}, &broken, registry.get());
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(cache.find(RouteCache::Key{1, std::to_string(i)}, 20, 40, mirror, 1, c.fn()));
    }
    CHECK(c.calls == 3);
    CHECK(metric(*registry,
                 R"(flightbook_search_cache_lookups_total{tier="shared",result="error"})") >= 3);
}

TEST_CASE("stampede: 64 threads on one cold key compute it once" *
          doctest::test_suite("concurrent")) {
    SystemClock clock;
    memory::InMemorySearchCache shared(clock);
    auto registry = std::make_shared<metrics::Registry>();
    RouteCache cache(clock, {}, &shared, registry.get());
    SeatMirror mirror(flights_1_to_9());
    Counting c;
    c.delay = 30ms;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int i = 0; i < 64; ++i) {
        threads.emplace_back([&] {
            if (cache.find(kKey, 20, 40, mirror, 1, c.fn())) ++ok;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(ok == 64);
    CHECK(c.calls == 1);
}
