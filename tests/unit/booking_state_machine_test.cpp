// The booking state machine (SPEC §5): every status × event pair against the
// diagram in include/flightbook/booking/booking.hpp, the names used in JSON
// and history rows, and the checks every repository applies before `create`.
//
//     pending ──confirm──▶ confirmed ──cancel──▶ cancelled
//        │ ──fail──▶ failed
//        │ ──expire──▶ expired
//        └──cancel──▶ cancelled

#include <doctest/doctest.h>

#include <array>
#include <optional>
#include <string>

#include "flightbook/booking/booking.hpp"
#include "flightbook/ports/booking_repository.hpp"

using namespace flightbook;
using booking::BookingEvent;
using booking::BookingStatus;

namespace {

constexpr std::array kStatuses{BookingStatus::kPending, BookingStatus::kConfirmed,
                               BookingStatus::kFailed, BookingStatus::kExpired,
                               BookingStatus::kCancelled};
constexpr std::array kEvents{BookingEvent::kConfirm, BookingEvent::kFail, BookingEvent::kExpire,
                             BookingEvent::kCancel};

struct Transition {
    BookingStatus from;
    BookingEvent event;
    std::optional<BookingStatus> to;  ///< nullopt: refused with kConflict.
    const char* refusal;              ///< The message when refused.
};

// All 5 × 4 pairs, written out rather than derived, so the table is checked
// against an independent statement of the diagram.
constexpr std::array<Transition, 20> kTable{{
    {BookingStatus::kPending, BookingEvent::kConfirm, BookingStatus::kConfirmed, ""},
    {BookingStatus::kPending, BookingEvent::kFail, BookingStatus::kFailed, ""},
    {BookingStatus::kPending, BookingEvent::kExpire, BookingStatus::kExpired, ""},
    {BookingStatus::kPending, BookingEvent::kCancel, BookingStatus::kCancelled, ""},
    {BookingStatus::kConfirmed, BookingEvent::kConfirm, std::nullopt,
     "booking is confirmed; it cannot be confirmed"},
    {BookingStatus::kConfirmed, BookingEvent::kFail, std::nullopt,
     "booking is confirmed; it cannot fail"},
    {BookingStatus::kConfirmed, BookingEvent::kExpire, std::nullopt,
     "booking is confirmed; it cannot expire"},
    {BookingStatus::kConfirmed, BookingEvent::kCancel, BookingStatus::kCancelled, ""},
    {BookingStatus::kFailed, BookingEvent::kConfirm, std::nullopt,
     "booking is failed; it cannot be confirmed"},
    {BookingStatus::kFailed, BookingEvent::kFail, std::nullopt,
     "booking is failed; it cannot fail"},
    {BookingStatus::kFailed, BookingEvent::kExpire, std::nullopt,
     "booking is failed; it cannot expire"},
    {BookingStatus::kFailed, BookingEvent::kCancel, std::nullopt,
     "booking is failed; it cannot be cancelled"},
    {BookingStatus::kExpired, BookingEvent::kConfirm, std::nullopt,
     "booking is expired; it cannot be confirmed"},
    {BookingStatus::kExpired, BookingEvent::kFail, std::nullopt,
     "booking is expired; it cannot fail"},
    {BookingStatus::kExpired, BookingEvent::kExpire, std::nullopt,
     "booking is expired; it cannot expire"},
    {BookingStatus::kExpired, BookingEvent::kCancel, std::nullopt,
     "booking is expired; it cannot be cancelled"},
    {BookingStatus::kCancelled, BookingEvent::kConfirm, std::nullopt,
     "booking is cancelled; it cannot be confirmed"},
    {BookingStatus::kCancelled, BookingEvent::kFail, std::nullopt,
     "booking is cancelled; it cannot fail"},
    {BookingStatus::kCancelled, BookingEvent::kExpire, std::nullopt,
     "booking is cancelled; it cannot expire"},
    {BookingStatus::kCancelled, BookingEvent::kCancel, std::nullopt,
     "booking is cancelled; it cannot be cancelled"},
}};

NewBooking valid_new_booking() {
    NewBooking b;
    b.user_id = UserId{7};
    b.legs = {
        booking::BookingLeg{FlightId{1}, "AI101", "DEL", "BOM", {}, {}, Money::from_cents(850000)},
        booking::BookingLeg{FlightId{6}, "AI301", "BOM", "BLR", {}, {}, Money::from_cents(650000)}};
    b.seats = 2;
    b.total_amount = Money::from_cents(3'000'000);
    return b;
}

}  // namespace

TEST_CASE("next_status answers every status x event pair as the diagram says") {
    std::size_t checked = 0;
    for (BookingStatus from : kStatuses) {
        for (BookingEvent event : kEvents) {
            CAPTURE(booking::to_string(from));
            CAPTURE(booking::to_string(event));
            const Transition* expected = nullptr;
            for (const Transition& t : kTable) {
                if (t.from == from && t.event == event) expected = &t;
            }
            REQUIRE(expected != nullptr);
            auto next = booking::next_status(from, event);
            if (expected->to) {
                REQUIRE_MESSAGE(next, (next ? "" : next.error().message));
                CHECK(*next == *expected->to);
            } else {
                REQUIRE_FALSE(next);
                CHECK(next.error().code == ErrorCode::kConflict);
                CHECK(next.error().message == expected->refusal);
            }
            ++checked;
        }
    }
    CHECK(checked == 20);
}

TEST_CASE("only failed, expired and cancelled are final, and nothing leaves them") {
    CHECK_FALSE(booking::is_final(BookingStatus::kPending));
    CHECK_FALSE(booking::is_final(BookingStatus::kConfirmed));
    CHECK(booking::is_final(BookingStatus::kFailed));
    CHECK(booking::is_final(BookingStatus::kExpired));
    CHECK(booking::is_final(BookingStatus::kCancelled));
    for (BookingStatus from : kStatuses) {
        if (!booking::is_final(from)) continue;
        for (BookingEvent event : kEvents) CHECK_FALSE(booking::next_status(from, event));
    }
}

TEST_CASE("status and event names round-trip") {
    const std::array<const char*, 5> status_names{"pending", "confirmed", "failed", "expired",
                                                  "cancelled"};
    for (std::size_t i = 0; i < kStatuses.size(); ++i) {
        CHECK(booking::to_string(kStatuses[i]) == status_names[i]);
        auto parsed = booking::parse_booking_status(status_names[i]);
        REQUIRE(parsed);
        CHECK(*parsed == kStatuses[i]);
    }
    const std::array<const char*, 4> event_names{"confirm", "fail", "expire", "cancel"};
    for (std::size_t i = 0; i < kEvents.size(); ++i) {
        CHECK(booking::to_string(kEvents[i]) == event_names[i]);
        auto parsed = booking::parse_booking_event(event_names[i]);
        REQUIRE(parsed);
        CHECK(*parsed == kEvents[i]);
    }
    for (const char* bad : {"", "Pending", "CONFIRMED", "pending ", "refunded", "confirm"}) {
        CAPTURE(bad);
        auto r = booking::parse_booking_status(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
    for (const char* bad : {"", "Cancel", "cancelled", "refund"}) {
        CAPTURE(bad);
        auto r = booking::parse_booking_event(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
    }
}

TEST_CASE("a booking's seat hold is named after its id") {
    CHECK(booking::reservation_id_for(BookingId{1}) == "booking-1");
    CHECK(booking::reservation_id_for(BookingId{9'000'000'001}) == "booking-9000000001");
}

TEST_CASE("validate(NewBooking) accepts a consistent booking and names what is wrong") {
    CHECK(validate(valid_new_booking()));

    auto refused = [](NewBooking b) {
        auto r = validate(b);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == ErrorCode::kInvalidArgument);
        return r.error().message;
    };
    {
        NewBooking b = valid_new_booking();
        b.user_id = UserId{0};
        CHECK(refused(b) == "user_id must be a positive integer");
    }
    {
        NewBooking b = valid_new_booking();
        b.legs.clear();
        b.total_amount = Money{};
        CHECK(refused(b) == "an itinerary has 1 to 4 legs");
    }
    {
        NewBooking b = valid_new_booking();
        b.legs.resize(5, b.legs[0]);
        CHECK(refused(b) == "an itinerary has 1 to 4 legs");
    }
    for (std::int32_t seats : {0, -1, 101}) {
        NewBooking b = valid_new_booking();
        b.seats = seats;
        CHECK(refused(b) == "seats must be an integer between 1 and 100");
    }
    {
        NewBooking b = valid_new_booking();
        b.legs[1].flight_id = FlightId{0};
        CHECK(refused(b) == "flight_id must be a positive integer");
    }
    {
        NewBooking b = valid_new_booking();
        b.legs[0].price = Money::from_cents(-1);
        CHECK(refused(b) == "the price of flight 1 is out of range");
    }
    {
        NewBooking b = valid_new_booking();
        b.total_amount = Money::from_cents(2'999'999);
        CHECK(refused(b) ==
              "total_amount must be the sum of the leg prices times seats, at most 99999999.99");
    }
    {
        NewBooking b = valid_new_booking();
        b.legs = {b.legs[0]};
        b.legs[0].price = Money::from_cents(9'000'000'000);
        b.total_amount = Money::from_cents(18'000'000'000);  // the right product, too large
        CHECK(refused(b) ==
              "total_amount must be the sum of the leg prices times seats, at most 99999999.99");
    }
    {
        NewBooking b = valid_new_booking();
        b.idempotency_key = "";
        CHECK(refused(b) == "an idempotency key must not be empty");
        b.idempotency_key = "k";
        CHECK(validate(b));
    }
}
