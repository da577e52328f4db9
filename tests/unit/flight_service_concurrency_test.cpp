// FlightService under concurrency: snapshots swapped by reload() while
// searches run, and searches on many threads at once (each thread has its own
// search scratch). Tagged "concurrent" so the ThreadSanitizer build runs them.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;

namespace {

// A repository whose schedule flips between the reference world and a world
// of one unrelated flight on every list_all(), so that every reload swaps in
// a different snapshot.
class FlippingRepository final : public FlightRepository {
public:
    Result<Flight> get(FlightId id) override {
        for (const Flight& f : testing::reference_flights()) {
            if (f.id == id) return f;
        }
        return fail(ErrorCode::kNotFound, "no such flight");
    }
    Result<std::vector<Flight>> list_all() override {
        if (flip_.fetch_xor(1) == 0) return testing::reference_flights();
        return std::vector<Flight>{testing::leg(1, "AAA", "BBB", "07:00", "08:00")};
    }
    Result<std::vector<Flight>> list_departing(UtcTime, UtcTime) override {
        return fail(ErrorCode::kInternal, "not used");
    }

private:
    std::atomic<int> flip_{0};
};

}  // namespace

TEST_CASE("reload swaps snapshots while searches keep whole ones" *
          doctest::test_suite("concurrent")) {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    FlippingRepository repo;
    memory::InMemorySeatInventory seats{clock};
    REQUIRE(seats.add_flights(testing::reference_flights()));
    flights::FlightService service{repo, seats, clock};
    REQUIRE(service.reload());

    std::atomic<int> whole{0};
    std::atomic<int> torn{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
        readers.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                auto r = service.search(testing::query("DEL", "BOM"));
                // Either world, never a mix: 3 itineraries or none.
                if (r && (r->result.total == 3 || r->result.total == 0)) {
                    whole.fetch_add(1);
                } else {
                    torn.fetch_add(1);
                }
            }
        });
    }
    for (int i = 0; i < 200; ++i) CHECK(service.reload());
    for (auto& t : readers) t.join();
    CHECK(whole.load() == 600);
    CHECK(torn.load() == 0);
}

TEST_CASE("searches on many threads answer exactly as on one" * doctest::test_suite("concurrent")) {
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    auto flights = testing::reference_flights();
    struct Repo final : FlightRepository {
        std::vector<Flight> all;
        Result<Flight> get(FlightId) override { return fail(ErrorCode::kNotFound, "-"); }
        Result<std::vector<Flight>> list_all() override { return all; }
        Result<std::vector<Flight>> list_departing(UtcTime, UtcTime) override { return all; }
    } repo;
    repo.all = flights;
    memory::InMemorySeatInventory seats{clock};
    REQUIRE(seats.add_flights(flights));
    flights::FlightService service{repo, seats, clock};
    REQUIRE(service.reload());

    const std::vector<search::SearchQuery> queries{
        testing::query("DEL", "BOM"), testing::query("DEL", "BLR"), testing::query("HYD", "BOM"),
        testing::query("BOM", "BLR"), testing::query("BLR", "DEL")};
    std::vector<std::string> expected;
    for (const auto& q : queries) expected.push_back(service.search(q).value().to_json());

    std::atomic<int> same{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) {
                const std::size_t k = static_cast<std::size_t>(t + i) % queries.size();
                auto r = service.search(queries[k]);
                if (r && r->to_json() == expected[k]) same.fetch_add(1);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(same.load() == 400);
}
