#include "flightbook/booking/booking.hpp"

#include <fmt/format.h>

#include <array>

#include "flightbook/ports/booking_repository.hpp"
#include "flightbook/rules.hpp"

namespace flightbook::booking {

namespace {

constexpr std::array<std::string_view, 5> kStatusNames{"pending", "confirmed", "failed", "expired",
                                                       "cancelled"};
constexpr std::array<std::string_view, 4> kEventNames{"confirm", "fail", "expire", "cancel"};
// What the refusal message says the event would have done: "it cannot <...>".
constexpr std::array<std::string_view, 4> kEventVerbs{"be confirmed", "fail", "expire",
                                                      "be cancelled"};

}  // namespace

std::string status_reason(std::string_view code, std::string_view message) {
    return fmt::format("{}: {}", code, message);
}

std::string_view to_string(BookingStatus status) noexcept {
    return kStatusNames[static_cast<std::size_t>(status)];
}

Result<BookingStatus> parse_booking_status(std::string_view text) {
    for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
        if (kStatusNames[i] == text) return static_cast<BookingStatus>(i);
    }
    return fail(ErrorCode::kInvalidArgument,
                "booking status must be one of pending, confirmed, failed, expired, cancelled");
}

std::string_view to_string(BookingEvent event) noexcept {
    return kEventNames[static_cast<std::size_t>(event)];
}

Result<BookingEvent> parse_booking_event(std::string_view text) {
    for (std::size_t i = 0; i < kEventNames.size(); ++i) {
        if (kEventNames[i] == text) return static_cast<BookingEvent>(i);
    }
    return fail(ErrorCode::kInvalidArgument,
                "booking event must be one of confirm, fail, expire, cancel");
}

Result<BookingStatus> next_status(BookingStatus from, BookingEvent event) {
    if (from == BookingStatus::kPending) {
        switch (event) {
            case BookingEvent::kConfirm: return BookingStatus::kConfirmed;
            case BookingEvent::kFail: return BookingStatus::kFailed;
            case BookingEvent::kExpire: return BookingStatus::kExpired;
            case BookingEvent::kCancel: return BookingStatus::kCancelled;
        }
    } else if (from == BookingStatus::kConfirmed && event == BookingEvent::kCancel) {
        return BookingStatus::kCancelled;
    }
    return fail(ErrorCode::kConflict, fmt::format("booking is {}; it cannot {}", to_string(from),
                                                  kEventVerbs[static_cast<std::size_t>(event)]));
}

std::string reservation_id_for(BookingId id) { return fmt::format("booking-{}", id.value()); }

}  // namespace flightbook::booking

namespace flightbook {

Status validate(const NewBooking& b) {
    if (b.user_id.value() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "user_id must be a positive integer");
    }
    FLIGHTBOOK_TRY_STATUS(rules::check_itinerary_legs(b.legs.size()));
    FLIGHTBOOK_TRY_STATUS(rules::check_seats(b.seats));
    Money sum;
    for (const booking::BookingLeg& leg : b.legs) {
        if (leg.flight_id.value() <= 0) {
            return fail(ErrorCode::kInvalidArgument, "flight_id must be a positive integer");
        }
        if (leg.price.cents() < 0 || leg.price.cents() > payment::kMaxPaymentAmountCents) {
            return fail(
                ErrorCode::kInvalidArgument,
                fmt::format("the price of flight {} is out of range", leg.flight_id.value()));
        }
        sum += leg.price;
    }
    // Checked before multiplying, so the product below cannot overflow.
    if (sum.cents() > payment::kMaxPaymentAmountCents || sum * b.seats != b.total_amount ||
        b.total_amount.cents() > payment::kMaxPaymentAmountCents) {
        return fail(ErrorCode::kInvalidArgument,
                    "total_amount must be the sum of the leg prices times seats, at most " +
                        Money::from_cents(payment::kMaxPaymentAmountCents).to_string());
    }
    if (b.idempotency_key && b.idempotency_key->empty()) {
        return fail(ErrorCode::kInvalidArgument, "an idempotency key must not be empty");
    }
    return ok();
}

}  // namespace flightbook
