// The SeatInventory contract: one set of bodies, run against every adapter.
// docs/seats.md describes the state machine these tests pin down.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include "seat_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

SeatCounts counts(SeatInventory& inv, FlightId id) {
    auto c = inv.availability(id);
    REQUIRE_MESSAGE(c, (c ? "" : c.error().message));
    CHECK(c->available + c->held + c->confirmed == c->total);
    CHECK(c->available >= 0);
    return *c;
}

}  // namespace

#define SEAT_ADAPTERS MemoryFixture, PostgresFixture, RedisFixture

TEST_CASE_TEMPLATE("hold, confirm and release move seats through the states", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(180, 50);
    CHECK(counts(inv, flight) == SeatCounts{flight, 180, 0, 50, 130});

    auto held = inv.hold(hold_request(f.clock, "r-1", {{flight, 2}}));
    REQUIRE_MESSAGE(held, (held ? "" : held.error().message));
    CHECK(held->applied);
    CHECK(held->state == ReservationState::kHeld);
    CHECK(held->expires_at == f.clock.now() + 15min);
    CHECK(counts(inv, flight) == SeatCounts{flight, 180, 2, 50, 128});

    auto confirmed = inv.confirm(rid("r-1"));
    REQUIRE(confirmed);
    CHECK(confirmed->applied);
    CHECK(confirmed->state == ReservationState::kConfirmed);
    CHECK(counts(inv, flight) == SeatCounts{flight, 180, 0, 52, 128});

    auto cancelled = inv.release(rid("r-1"));
    REQUIRE(cancelled);
    CHECK(cancelled->applied);
    CHECK(cancelled->state == ReservationState::kCancelled);
    CHECK(counts(inv, flight) == SeatCounts{flight, 180, 0, 50, 130});

    auto stored = inv.get(rid("r-1"));
    REQUIRE(stored);
    CHECK(stored->state == ReservationState::kCancelled);
    CHECK(stored->legs == std::vector<SeatLeg>{{flight, 2}});
    CHECK_FALSE(stored->applied);
}

TEST_CASE_TEMPLATE("a held reservation released before confirm is released", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(10);
    REQUIRE(inv.hold(hold_request(f.clock, "r-2", {{flight, 3}})));
    auto released = inv.release(rid("r-2"));
    REQUIRE(released);
    CHECK(released->applied);
    CHECK(released->state == ReservationState::kReleased);
    CHECK(counts(inv, flight).available == 10);

    auto confirm = inv.confirm(rid("r-2"));
    REQUIRE_FALSE(confirm);
    CHECK(confirm.error().code == ErrorCode::kFailedPrecondition);
    CHECK(counts(inv, flight).available == 10);
}

TEST_CASE_TEMPLATE("a multi-leg hold is all or nothing", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId first = f.add_flight(100);
    const FlightId second = f.add_flight(3, 2);  // one seat left

    auto sold_out = inv.hold(hold_request(f.clock, "multi", {{first, 2}, {second, 2}}));
    REQUIRE_FALSE(sold_out);
    CHECK(sold_out.error().code == ErrorCode::kFailedPrecondition);
    CHECK(counts(inv, first) == SeatCounts{first, 100, 0, 0, 100});
    CHECK(counts(inv, second) == SeatCounts{second, 3, 0, 2, 1});
    CHECK(inv.get(rid("multi")).error().code == ErrorCode::kNotFound);

    auto unknown = inv.hold(hold_request(f.clock, "multi", {{first, 1}, {FlightId{999'999}, 1}}));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == ErrorCode::kNotFound);
    CHECK(counts(inv, first).available == 100);

    // The failed id is not burnt: a later hold that fits succeeds.
    auto fits = inv.hold(hold_request(f.clock, "multi", {{second, 1}, {first, 2}}));
    REQUIRE_MESSAGE(fits, (fits ? "" : fits.error().message));
    CHECK(fits->legs == std::vector<SeatLeg>{{first, 2}, {second, 1}});
    CHECK(counts(inv, first).held == 2);
    CHECK(counts(inv, second) == SeatCounts{second, 3, 1, 2, 0});
}

TEST_CASE_TEMPLATE("legs on the same flight are merged", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(10);
    auto r = inv.hold(hold_request(f.clock, "merge", {{flight, 2}, {flight, 3}}));
    REQUIRE(r);
    CHECK(r->legs == std::vector<SeatLeg>{{flight, 5}});
    CHECK(counts(inv, flight).held == 5);
}

TEST_CASE_TEMPLATE("repeated calls are idempotent on the reservation id", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(10);
    const HoldRequest request = hold_request(f.clock, "idem", {{flight, 4}});
    REQUIRE(inv.hold(request)->applied);
    auto again = inv.hold(request);
    REQUIRE(again);
    CHECK_FALSE(again->applied);
    CHECK(again->state == ReservationState::kHeld);
    CHECK(counts(inv, flight).held == 4);

    auto other = inv.hold(hold_request(f.clock, "idem", {{flight, 5}}));
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::kConflict);

    REQUIRE(inv.confirm(request.reservation_id)->applied);
    auto confirm_again = inv.confirm(request.reservation_id);
    REQUIRE(confirm_again);
    CHECK_FALSE(confirm_again->applied);
    auto hold_after_confirm = inv.hold(request);
    REQUIRE(hold_after_confirm);
    CHECK_FALSE(hold_after_confirm->applied);
    CHECK(hold_after_confirm->state == ReservationState::kConfirmed);
    CHECK(counts(inv, flight) == SeatCounts{flight, 10, 0, 4, 6});

    REQUIRE(inv.release(request.reservation_id)->applied);
    auto release_again = inv.release(request.reservation_id);
    REQUIRE(release_again);
    CHECK_FALSE(release_again->applied);
    CHECK(counts(inv, flight).available == 10);

    // Ids are single-use: a finished reservation is not held again.
    auto rehold = inv.hold(request);
    REQUIRE_FALSE(rehold);
    CHECK(rehold.error().code == ErrorCode::kConflict);
    CHECK(counts(inv, flight).available == 10);
}

TEST_CASE_TEMPLATE("unknown ids and flights are kNotFound", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    CHECK(inv.confirm(rid("nope")).error().code == ErrorCode::kNotFound);
    CHECK(inv.release(rid("nope")).error().code == ErrorCode::kNotFound);
    CHECK(inv.get(rid("nope")).error().code == ErrorCode::kNotFound);
    CHECK(inv.availability(FlightId{987'654}).error().code == ErrorCode::kNotFound);
}

TEST_CASE_TEMPLATE("invalid requests are kInvalidArgument and move nothing", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(10);
    CHECK(inv.hold(hold_request(f.clock, "bad", {})).error().code == ErrorCode::kInvalidArgument);
    CHECK(inv.hold(hold_request(f.clock, "bad", {{flight, 0}})).error().code ==
          ErrorCode::kInvalidArgument);
    CHECK(inv.hold(hold_request(f.clock, "bad", {{flight, -2}})).error().code ==
          ErrorCode::kInvalidArgument);
    CHECK(inv.hold(hold_request(f.clock, "bad", {{flight, 1}}, 0s)).error().code ==
          ErrorCode::kInvalidArgument);
    CHECK(ReservationId::parse("").error().code == ErrorCode::kInvalidArgument);
    CHECK(ReservationId::parse("a b").error().code == ErrorCode::kInvalidArgument);
    CHECK(ReservationId::parse(std::string(65, 'x')).error().code == ErrorCode::kInvalidArgument);
    CHECK(counts(inv, flight).available == 10);
}

TEST_CASE_TEMPLATE("a sold-out flight turns holds away", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(5);
    REQUIRE(inv.hold(hold_request(f.clock, "a", {{flight, 5}})));
    auto none_left = inv.hold(hold_request(f.clock, "b", {{flight, 1}}));
    REQUIRE_FALSE(none_left);
    CHECK(none_left.error().code == ErrorCode::kFailedPrecondition);
    REQUIRE(inv.release(rid("a")));
    CHECK(inv.hold(hold_request(f.clock, "b", {{flight, 5}})));
}

TEST_CASE_TEMPLATE("expired holds are released once; confirmed seats never expire", F,
                   SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(20);
    REQUIRE(inv.hold(hold_request(f.clock, "short", {{flight, 2}}, 60s)));
    REQUIRE(inv.hold(hold_request(f.clock, "long", {{flight, 3}}, 600s)));
    REQUIRE(inv.hold(hold_request(f.clock, "sold", {{flight, 4}}, 60s)));
    REQUIRE(inv.confirm(rid("sold")));

    f.clock.advance(30s);
    auto none = inv.release_expired(f.clock.now(), 100);
    REQUIRE(none);
    CHECK(none->empty());

    f.clock.advance(60s);
    auto swept = inv.release_expired(f.clock.now(), 100);
    REQUIRE(swept);
    REQUIRE(swept->size() == 1);
    CHECK(swept->front().id == rid("short"));
    CHECK(swept->front().state == ReservationState::kExpired);
    CHECK(swept->front().legs == std::vector<SeatLeg>{{flight, 2}});
    CHECK(counts(inv, flight) == SeatCounts{flight, 20, 3, 4, 13});
    CHECK(inv.release_expired(f.clock.now(), 100)->empty());

    // A hold past its expiry is never sold; the sweeper gives it back once.
    f.clock.advance(600s);
    auto late = inv.confirm(rid("long"));
    REQUIRE_FALSE(late);
    CHECK(late.error().code == ErrorCode::kFailedPrecondition);
    CHECK(inv.get(rid("long"))->state == ReservationState::kHeld);
    CHECK(counts(inv, flight) == SeatCounts{flight, 20, 3, 4, 13});
    CHECK(inv.release_expired(f.clock.now(), 100)->size() == 1);
    CHECK(inv.get(rid("long"))->state == ReservationState::kExpired);
    CHECK(inv.release_expired(f.clock.now(), 100)->empty());
    CHECK(counts(inv, flight) == SeatCounts{flight, 20, 0, 4, 16});

    // Releasing an expired reservation is a no-op.
    auto release = inv.release(rid("short"));
    REQUIRE(release);
    CHECK_FALSE(release->applied);
    CHECK(release->state == ReservationState::kExpired);
    CHECK(counts(inv, flight).available == 16);
}

TEST_CASE_TEMPLATE("release_expired honours its limit", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId flight = f.add_flight(20);
    for (int i = 0; i < 5; ++i) {
        REQUIRE(inv.hold(hold_request(f.clock, "lim-" + std::to_string(i), {{flight, 1}}, 10s)));
    }
    f.clock.advance(10s);
    CHECK(inv.release_expired(f.clock.now(), 2)->size() == 2);
    CHECK(inv.release_expired(f.clock.now(), 10)->size() == 3);
    CHECK(counts(inv, flight).available == 20);
}

TEST_CASE_TEMPLATE("availability_many answers several flights in request order", F, SEAT_ADAPTERS) {
    F f;
    SeatInventory& inv = f.inventory();
    const FlightId a = f.add_flight(10, 1);
    const FlightId b = f.add_flight(20);
    REQUIRE(inv.hold(hold_request(f.clock, "many", {{b, 3}})));
    auto many = inv.availability_many({b, FlightId{987'654}, a, b});
    REQUIRE(many);
    CHECK(*many == std::vector<SeatCounts>{{b, 20, 3, 0, 17}, {a, 10, 0, 1, 9}, {b, 20, 3, 0, 17}});
    CHECK(inv.availability_many({})->empty());
}

TEST_CASE("redis: sold-out holds are turned away by the counters alone") {
    RedisFixture f;
    auto& inv = f.inventory();
    const FlightId flight = f.add_flight(3, 1);
    REQUIRE(inv.hold(hold_request(f.clock, "first", {{flight, 2}})));
    auto counter = inv.counter(flight);
    REQUIRE(counter);
    CHECK(counter->available == 0);
    CHECK(counter->total == 3);
    CHECK(inv.stats().counter_loads == 1);

    auto rejected = inv.hold(hold_request(f.clock, "second", {{flight, 1}}));
    REQUIRE_FALSE(rejected);
    CHECK(rejected.error().code == ErrorCode::kFailedPrecondition);
    CHECK(inv.stats().fast_rejections == 1);

    // A retry of the successful hold is answered by the truth, counted once.
    auto retry = inv.hold(hold_request(f.clock, "first", {{flight, 2}}));
    REQUIRE(retry);
    CHECK_FALSE(retry->applied);
    CHECK(inv.counter(flight)->available == 0);

    // Release gives the count back, clamped at capacity; lost counters reload.
    REQUIRE(inv.release(rid("first"))->applied);
    CHECK(inv.counter(flight)->available == 2);
    REQUIRE(inv.reset_counter(flight));
    CHECK(inv.counter(flight).error().code == ErrorCode::kNotFound);
    REQUIRE(inv.release(rid("first")));  // no-op: creates no counter
    CHECK(inv.counter(flight).error().code == ErrorCode::kNotFound);
    REQUIRE(inv.hold(hold_request(f.clock, "third", {{flight, 2}})));
    CHECK(inv.counter(flight)->available == 0);
    CHECK(inv.stats().counter_loads == 2);
}

TEST_CASE("redis: an increment never pushes a counter past capacity") {
    RedisFixture f;
    auto& inv = f.inventory();
    const FlightId flight = f.add_flight(4);
    REQUIRE(inv.hold(hold_request(f.clock, "a", {{flight, 3}})));
    CHECK(inv.counter(flight)->available == 1);
    // Simulate drift: the counter claims every seat is free.
    REQUIRE(f.client().command(
        {"HSET", fmt::format("{}flight:{}", inv.options().key_prefix, flight.value()), "available",
         "4"}));
    REQUIRE(inv.release(rid("a"))->applied);
    CHECK(inv.counter(flight)->available == 4);
    CHECK(inv.counter(flight)->total == 4);
    CHECK(inv.availability(flight)->available == 4);
}
