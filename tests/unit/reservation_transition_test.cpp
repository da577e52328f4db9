// The reservation state machine: every state × event × expiry combination,
// asserted once here; the adapters only persist these decisions.
#include <doctest/doctest.h>

#include <optional>

#include "flightbook/seats/reservation_transition.hpp"

using namespace flightbook;

namespace {

using S = ReservationState;
using E = ReservationEvent;

struct Row {
    S from;
    E event;
    bool expired;
    std::optional<S> next;  // nullopt: refused with kFailedPrecondition
    bool applied;
};

// The whole table: 5 states × 3 events × {live, expired} = 30 rows.
constexpr Row kTable[] = {
    {S::kHeld, E::kConfirm, false, S::kConfirmed, true},
    {S::kHeld, E::kConfirm, true, std::nullopt, false},
    {S::kConfirmed, E::kConfirm, false, S::kConfirmed, false},
    {S::kConfirmed, E::kConfirm, true, S::kConfirmed, false},
    {S::kReleased, E::kConfirm, false, std::nullopt, false},
    {S::kReleased, E::kConfirm, true, std::nullopt, false},
    {S::kExpired, E::kConfirm, false, std::nullopt, false},
    {S::kExpired, E::kConfirm, true, std::nullopt, false},
    {S::kCancelled, E::kConfirm, false, std::nullopt, false},
    {S::kCancelled, E::kConfirm, true, std::nullopt, false},

    {S::kHeld, E::kRelease, false, S::kReleased, true},
    {S::kHeld, E::kRelease, true, S::kReleased, true},
    {S::kConfirmed, E::kRelease, false, S::kCancelled, true},
    {S::kConfirmed, E::kRelease, true, S::kCancelled, true},
    {S::kReleased, E::kRelease, false, S::kReleased, false},
    {S::kReleased, E::kRelease, true, S::kReleased, false},
    {S::kExpired, E::kRelease, false, S::kExpired, false},
    {S::kExpired, E::kRelease, true, S::kExpired, false},
    {S::kCancelled, E::kRelease, false, S::kCancelled, false},
    {S::kCancelled, E::kRelease, true, S::kCancelled, false},

    {S::kHeld, E::kExpire, false, std::nullopt, false},
    {S::kHeld, E::kExpire, true, S::kExpired, true},
    {S::kConfirmed, E::kExpire, false, std::nullopt, false},
    {S::kConfirmed, E::kExpire, true, std::nullopt, false},
    {S::kReleased, E::kExpire, false, std::nullopt, false},
    {S::kReleased, E::kExpire, true, std::nullopt, false},
    {S::kExpired, E::kExpire, false, std::nullopt, false},
    {S::kExpired, E::kExpire, true, std::nullopt, false},
    {S::kCancelled, E::kExpire, false, std::nullopt, false},
    {S::kCancelled, E::kExpire, true, std::nullopt, false},
};

}  // namespace

TEST_CASE("reservation transition table: every state × event × expiry") {
    for (const Row& row : kTable) {
        CAPTURE(to_string(row.from));
        CAPTURE(to_string(row.event));
        CAPTURE(row.expired);
        auto t = transition(row.from, row.event, row.expired);
        if (row.next) {
            REQUIRE(t);
            CHECK(t->next == *row.next);
            CHECK(t->applied == row.applied);
        } else {
            REQUIRE_FALSE(t);
            CHECK(t.error().code == ErrorCode::kFailedPrecondition);
        }
    }
}

TEST_CASE("refusals say why, in one wording") {
    CHECK(transition(S::kHeld, E::kConfirm, true).error().message == "hold expired");
    CHECK(transition(S::kCancelled, E::kConfirm, false).error().message ==
          "reservation is cancelled");
    CHECK(transition(S::kHeld, E::kExpire, false).error().message ==
          "only an expired hold can expire");
}

TEST_CASE("a repeated hold must name the same legs of a live reservation") {
    const std::vector<SeatLeg> legs{{FlightId{1}, 2}, {FlightId{4}, 2}};
    Reservation r{ReservationId::parse("trip").value(), S::kHeld, legs, UtcTime{}, false};
    CHECK(check_repeat_hold(r, legs));
    auto other = check_repeat_hold(r, {{FlightId{1}, 3}});
    REQUIRE_FALSE(other);
    CHECK(other.error().code == ErrorCode::kConflict);
    r.state = S::kReleased;
    auto spent = check_repeat_hold(r, legs);
    REQUIRE_FALSE(spent);
    CHECK(spent.error().message == "reservation is released");
}
