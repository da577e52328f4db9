// The seat-change feed (ADR 0011): its wire format, the tracker's rule, and
// two flight services on one seat store that follow each other's changes.
#include <doctest/doctest.h>

#include <atomic>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/seat_feed_tracker.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_change_feed.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "search_fixtures.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

TEST_CASE("seat changes: the wire format round-trips and rejects anything else") {
    const std::vector<SeatCountChange> changes{{FlightId{3}, 1}, {FlightId{42}, 0}};
    const std::string wire = encode_seat_changes("a1b2", changes);
    CHECK(wire == "a1b2 3=1,42=0");
    std::string origin;
    std::vector<SeatCountChange> decoded;
    REQUIRE(decode_seat_changes(wire, origin, decoded));
    CHECK(origin == "a1b2");
    CHECK(decoded == changes);
    for (const char* bad : {"", "a1b2", " 3=1", "a 3=", "a =1", "a 3=1,", "a 3=1,,4=2", "a 3:1",
                            "a 3=x", "a 99999999999999999999=1", "a 3=1 4=2"}) {
        CAPTURE(bad);
        CHECK_FALSE(decode_seat_changes(bad, origin, decoded));
        CHECK(decoded.empty());
    }
}

TEST_CASE("seat feed tracker: vouches only while live and only up to its last heartbeat") {
    flights::SeatFeedTracker feed;
    const auto t0 = std::chrono::steady_clock::time_point(10s);
    CHECK_FALSE(feed.vouch_window(t0));
    feed.started(t0);
    CHECK(feed.vouch_window(t0) == t0);        // the start is the first watermark
    CHECK_FALSE(feed.vouch_window(t0 + 1ms));  // newer than any heartbeat
    feed.heartbeat(t0 + 5ms);
    CHECK(feed.vouch_window(t0 + 5ms) == t0);
    feed.heartbeat(t0 + 2ms);  // an older one never moves it back
    CHECK(feed.watermark() == t0 + 5ms);
    feed.lost();
    CHECK_FALSE(feed.vouch_window(t0));
    feed.heartbeat(t0 + 9ms);  // none while down
    CHECK_FALSE(feed.live());
    feed.started(t0 + 20ms);
    CHECK(feed.vouch_window(t0 + 20ms) == t0 + 20ms);
}

namespace {

// The in-memory store, counting the legs that search pages read from it.
class CountingSeats final : public SeatInventory {
public:
    explicit CountingSeats(SeatInventory& inner) : inner_(inner) {}
    Result<Reservation> hold(const HoldRequest& r) override { return inner_.hold(r); }
    Result<Reservation> confirm(const ReservationId& id) override { return inner_.confirm(id); }
    Result<Reservation> release(const ReservationId& id) override { return inner_.release(id); }
    Result<Reservation> get(const ReservationId& id) override { return inner_.get(id); }
    Result<SeatCounts> availability(FlightId f) override { return inner_.availability(f); }
    Result<std::vector<SeatCounts>> availability_many(const std::vector<FlightId>& f) override {
        page_reads += f.size();
        return inner_.availability_many(f);
    }
    Result<std::vector<Reservation>> release_expired(UtcTime now, std::size_t limit) override {
        return inner_.release_expired(now, limit);
    }
    std::atomic<std::size_t> page_reads{0};

private:
    SeatInventory& inner_;
};

// Two instances, "a" and "b", on one store, both following the feed.
struct TwoInstances {
    TwoInstances() {
        REQUIRE(store.add_flights(testing::reference_flights()));
        flights::FlightServiceOptions o;
        o.seat_freshness = 100ms;
        a = std::make_unique<flights::FlightService>(repo, seats_a, clock, o);
        b = std::make_unique<flights::FlightService>(repo, seats_b, clock, o);
        REQUIRE(a->reload());
        REQUIRE(b->reload());
        pub_a = feed.publisher("a");
        pub_b = feed.publisher("b");
        a->publish_seat_changes_to(pub_a.get());
        b->publish_seat_changes_to(pub_b.get());
    }
    ~TwoInstances() {
        feed.unsubscribe(a->seat_feed());
        feed.unsubscribe(b->seat_feed());
    }
    void subscribe() {
        feed.subscribe("a", a->seat_feed());
        feed.subscribe("b", b->seat_feed());
    }
    // Searches DEL→BOM for 2 seats on `service`: how many itineraries, and
    // how many legs it read from the store.
    std::pair<std::size_t, std::size_t> search(flights::FlightService& service,
                                               CountingSeats& seats) {
        const std::size_t before = seats.page_reads;
        auto answer = service.search(testing::query("DEL", "BOM", 2));
        REQUIRE(answer);
        return {answer->result.paths.size(), seats.page_reads - before};
    }
    std::pair<std::size_t, std::size_t> search_b() { return search(*b, seats_b); }
    // Time passes beyond the freshness bound.
    void later() { clock.advance(1s); }

    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemoryFlightRepository repo{testing::reference_flights()};
    memory::InMemorySeatInventory store{clock};
    CountingSeats seats_a{store};
    CountingSeats seats_b{store};
    memory::InMemorySeatChangeFeed feed{clock};
    std::unique_ptr<SeatChangePublisher> pub_a;
    std::unique_ptr<SeatChangePublisher> pub_b;
    std::unique_ptr<flights::FlightService> a;
    std::unique_ptr<flights::FlightService> b;
};

const auto kAi103 = FlightId{3};

}  // namespace

TEST_CASE("without the feed, a page older than the freshness bound is read again") {
    TwoInstances w;
    CHECK(w.search_b() == std::pair<std::size_t, std::size_t>{3, 3});
    w.later();
    CHECK(w.search_b().second == 3);
}

TEST_CASE("with the feed live, a repeated page needs no store read") {
    TwoInstances w;
    w.subscribe();
    CHECK(w.search_b() == std::pair<std::size_t, std::size_t>{3, 3});  // first read
    for (int i = 0; i < 5; ++i) {
        w.later();
        w.feed.heartbeat();
        CHECK(w.search_b() == std::pair<std::size_t, std::size_t>{3, 0});
    }
}

TEST_CASE("a sale on one instance reaches the other's page through the feed") {
    TwoInstances w;
    w.subscribe();
    REQUIRE(w.search_b().first == 3);
    // "a" sells AI103 down to 1 seat; "b" receives the count, so its page
    // leaves AI103 out without reading anything.
    REQUIRE(w.a->hold(ReservationId::parse("sale").value(), {{kAi103, 99}}));
    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b() == std::pair<std::size_t, std::size_t>{2, 0});
    // A count from the feed is a hint: a page that would show the leg reads
    // it first. "a" gives one seat back (2 left), and "b" reads AI103 once.
    REQUIRE(w.a->hold(ReservationId::parse("small").value(), {{FlightId{1}, 1}}));
    REQUIRE(w.a->release(ReservationId::parse("sale").value()));
    REQUIRE(w.a->hold(ReservationId::parse("again").value(), {{kAi103, 98}}));
    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b() == std::pair<std::size_t, std::size_t>{3, 2});
}

TEST_CASE("a late heartbeat, a lost session or a new one send pages back to the store") {
    TwoInstances w;
    w.subscribe();
    REQUIRE(w.search_b().second == 3);
    w.later();  // no heartbeat within the bound: the feed may be behind
    CHECK(w.search_b().second == 3);

    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b().second == 0);
    w.feed.lose_all();
    w.later();
    CHECK(w.search_b().second == 3);

    // A new session vouches only for counts read after it began.
    w.later();
    w.feed.restart_all();
    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b().second == 3);
    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b().second == 0);
}

TEST_CASE("a restock on one instance brings a cached itinerary back on the other at once") {
    TwoInstances w;
    w.subscribe();
    const auto sale = ReservationId::parse("sale").value();
    REQUIRE(w.a->hold(sale, {{kAi103, 99}}));
    w.later();
    w.feed.heartbeat();
    // "b" computes and caches DEL→BOM for 2 seats without AI103.
    REQUIRE(w.search_b().first == 2);
    REQUIRE(w.search_b().first == 2);
    // "a" gives the seats back: without the feed "b" would serve its cached
    // list without AI103 until the list expired (AI103 is on no page, so no
    // page check reads it).
    REQUIRE(w.a->release(sale));
    w.later();
    w.feed.heartbeat();
    CHECK(w.search_b().first == 3);
}

TEST_CASE("an instance skips its own messages and publishes only what moved seats") {
    TwoInstances w;
    w.subscribe();
    REQUIRE(w.search(*w.a, w.seats_a).second == 3);
    const auto id = ReservationId::parse("own").value();
    REQUIRE(w.a->hold(id, {{kAi103, 1}}));
    // Its own hold read AI103's count just now: no extra read on its page.
    CHECK(w.search(*w.a, w.seats_a).second == 0);
    // A repeated hold and a read move nothing and publish nothing.
    w.later();
    REQUIRE(w.search_b().second == 3);
    w.later();
    w.feed.heartbeat();
    REQUIRE(w.a->hold(id, {{kAi103, 1}}));
    REQUIRE(w.a->reservation(id));
    CHECK(w.search_b().second == 0);
}
