#pragma once
// The JSON forms of bookings and of the booking service's answers
// (docs/bookings.md "JSON shapes"). Private to the booking routes.

#include <string>
#include <string_view>

#include "flightbook/booking/booking.hpp"
#include "flightbook/booking/booking_service.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::api::bookings_json {

// Writes every field of `b` into the open object of `w`: booking_id,
// user_id, flight_id (first leg), flight_ids, legs, seats, total_amount,
// payment_type, status, payment_id, reservation_id, date, hold_expires_at,
// created_at, updated_at, version, history.
void write_booking_fields(json::Writer& w, const booking::Booking& b);

// `b` as a standalone object (GET /api/bookings/{id}).
[[nodiscard]] std::string booking_json(const booking::Booking& b);

// The HTTP status and body of a create answer that is confirmed (200),
// pending (202) or failed (400, "status":"failed" with "error").
struct RenderedAnswer {
    int status = 0;
    std::string body;
};
[[nodiscard]] RenderedAnswer render_create_answer(const booking::CreateAnswer& answer);

// The body of a successful cancel: the booking plus message, seats_released,
// refunded and settled.
[[nodiscard]] std::string cancel_json(const booking::CancelAnswer& answer);

}  // namespace flightbook::api::bookings_json
