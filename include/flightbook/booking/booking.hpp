#pragma once
/// \file
/// The booking aggregate and its state machine (SPEC §5, docs/bookings.md):
///
///     pending ──payment charged + seats confirmed──▶ confirmed ──cancel──▶ cancelled
///        │ ──declined / sold out / nothing charged──▶ failed
///        │ ──hold expired before payment settled──▶ expired
///        └──cancel──────────────────────────────────▶ cancelled
///
/// `next_status` is the one transition table; every adapter persists its
/// decisions with a compare-and-set on the stored version.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/money.hpp"
#include "flightbook/payment/payment.hpp"
#include "flightbook/result.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook::booking {

/// JSON: "pending", "confirmed", "failed", "expired", "cancelled".
enum class BookingStatus : std::uint8_t { kPending, kConfirmed, kFailed, kExpired, kCancelled };

[[nodiscard]] std::string_view to_string(BookingStatus status) noexcept;
/// Inverse of `to_string`. Errors: `kInvalidArgument`.
[[nodiscard]] Result<BookingStatus> parse_booking_status(std::string_view text);
/// True for failed, expired and cancelled: no transition leaves them.
[[nodiscard]] constexpr bool is_final(BookingStatus s) noexcept {
    return s == BookingStatus::kFailed || s == BookingStatus::kExpired ||
           s == BookingStatus::kCancelled;
}

/// What happened to a booking. JSON/history: "confirm", "fail", "expire", "cancel".
enum class BookingEvent : std::uint8_t {
    kConfirm,  ///< The payment was charged and the seats confirmed.
    kFail,     ///< Nothing was charged (declined, sold out, unknown flight, gateway timeout).
    kExpire,   ///< The seat hold expired before the payment settled.
    kCancel,   ///< The owner cancelled.
};

[[nodiscard]] std::string_view to_string(BookingEvent event) noexcept;
/// Inverse of `to_string(BookingEvent)`. Errors: `kInvalidArgument`.
[[nodiscard]] Result<BookingEvent> parse_booking_event(std::string_view text);

/// The transition table: the state `event` leads to from `from`.
/// Errors: `kConflict` with a message such as "booking is cancelled; it
/// cannot be cancelled" for every pair the diagram above does not allow.
/// Pure and thread-safe.
[[nodiscard]] Result<BookingStatus> next_status(BookingStatus from, BookingEvent event);

/// One flight of a booked itinerary, as it was when booked.
struct BookingLeg {
    FlightId flight_id;
    std::string flight_number;
    std::string source;
    std::string destination;
    UtcTime departure_time;
    UtcTime arrival_time;
    Money price;  ///< One seat.

    friend bool operator==(const BookingLeg&, const BookingLeg&) = default;
};

/// The `reason` of a status change that records an outcome: "<code>: <message>".
[[nodiscard]] std::string status_reason(std::string_view code, std::string_view message);

/// One row of a booking's status history.
struct StatusChange {
    std::optional<BookingStatus> from;  ///< nullopt for the creation row.
    BookingStatus to = BookingStatus::kPending;
    std::string reason;
    UtcTime at;

    friend bool operator==(const StatusChange&, const StatusChange&) = default;
};

/// The first answer given to a create request, replayed byte for byte to a
/// repeat with the same idempotency key.
struct StoredResponse {
    int status = 0;
    std::string body;

    friend bool operator==(const StoredResponse&, const StoredResponse&) = default;
};

/// True for an HTTP status a `StoredResponse` may carry (100..599).
[[nodiscard]] constexpr bool is_valid_response_status(int status) noexcept {
    return status >= 100 && status <= 599;
}

/// A booking as stored. Plain value type.
struct Booking {
    BookingId id;
    UserId user_id;
    std::vector<BookingLeg> legs;  ///< In travel order; 1..rules::kMaxItineraryLegs.
    std::int32_t seats = 0;        ///< Per leg.
    Money total_amount;            ///< Sum of leg prices × seats.
    payment::PaymentType payment_type = payment::PaymentType::kCreditCard;
    BookingStatus status = BookingStatus::kPending;
    /// Starts at 1; every transition and every payment-id change adds one.
    std::int64_t version = 1;
    std::optional<std::string> payment_id;
    /// The seat hold's id in the flight service: "booking-<id>".
    std::string reservation_id;
    std::optional<std::string> idempotency_key;
    /// Hash of the create request's normalized body (same key + other body → 422).
    std::string request_hash;
    UtcDate date;  ///< Departure date of the first leg (UTC).
    UtcTime hold_expires_at;
    UtcTime created_at;
    UtcTime updated_at;
    /// True once a final booking's seats and money are back where they belong
    /// (hold released, charge refunded); false while that clean-up is owed.
    /// Pending and confirmed bookings are never settled.
    bool settled = false;
    std::vector<StatusChange> history;  ///< Oldest first; the first row is the creation.
    std::optional<StoredResponse> response;

    friend bool operator==(const Booking&, const Booking&) = default;
};

/// "booking-<id>": the reservation id of a booking's seat hold.
[[nodiscard]] std::string reservation_id_for(BookingId id);

}  // namespace flightbook::booking
