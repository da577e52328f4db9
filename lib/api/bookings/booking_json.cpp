#include "booking_json.hpp"

#include "flightbook/http/response.hpp"

namespace flightbook::api::bookings_json {
namespace {

using booking::Booking;
using booking::BookingLeg;
using booking::CreateAnswer;
using booking::CreateOutcome;

void write_payment_id(json::Writer& w, const Booking& b) {
    w.key("payment_id");
    if (b.payment_id) {
        w.value(*b.payment_id);
    } else {
        w.null();
    }
}

void write_flight_ids(json::Writer& w, const Booking& b) {
    w.key("flight_id");
    if (b.legs.empty()) {
        w.null();
    } else {
        w.value(b.legs.front().flight_id.value());
    }
    w.key("flight_ids").begin_array();
    for (const BookingLeg& leg : b.legs) w.value(leg.flight_id.value());
    w.end_array();
}

// The fields every create answer about a stored booking carries.
void write_summary(json::Writer& w, const Booking& b) {
    w.key("booking_id").value(b.id.value()).key("user_id").value(b.user_id.value());
    write_flight_ids(w, b);
    w.key("seats")
        .value(b.seats)
        .key("total_amount")
        .value(b.total_amount)
        .key("payment_type")
        .value(payment::to_string(b.payment_type));
    write_payment_id(w, b);
    w.key("reservation_id")
        .value(b.reservation_id)
        .key("date")
        .value(format_date(b.date))
        .key("hold_expires_at")
        .value(format_rfc3339(b.hold_expires_at));
}

}  // namespace

void write_booking_fields(json::Writer& w, const Booking& b) {
    w.key("booking_id").value(b.id.value()).key("user_id").value(b.user_id.value());
    write_flight_ids(w, b);
    w.key("legs").begin_array();
    for (const BookingLeg& leg : b.legs) {
        w.begin_object()
            .key("flight_id")
            .value(leg.flight_id.value())
            .key("flight_number")
            .value(leg.flight_number)
            .key("source")
            .value(leg.source)
            .key("destination")
            .value(leg.destination)
            .key("departure_time")
            .value(format_rfc3339(leg.departure_time))
            .key("arrival_time")
            .value(format_rfc3339(leg.arrival_time))
            .key("price")
            .value(leg.price)
            .end_object();
    }
    w.end_array()
        .key("seats")
        .value(b.seats)
        .key("total_amount")
        .value(b.total_amount)
        .key("payment_type")
        .value(payment::to_string(b.payment_type))
        .key("status")
        .value(to_string(b.status));
    write_payment_id(w, b);
    w.key("reservation_id")
        .value(b.reservation_id)
        .key("date")
        .value(format_date(b.date))
        .key("hold_expires_at")
        .value(format_rfc3339(b.hold_expires_at))
        .key("created_at")
        .value(format_rfc3339(b.created_at))
        .key("updated_at")
        .value(format_rfc3339(b.updated_at))
        .key("version")
        .value(b.version)
        .key("history")
        .begin_array();
    for (const booking::StatusChange& change : b.history) {
        w.begin_object().key("from");
        if (change.from) {
            w.value(to_string(*change.from));
        } else {
            w.null();
        }
        w.key("to")
            .value(to_string(change.to))
            .key("reason")
            .value(change.reason)
            .key("at")
            .value(format_rfc3339(change.at))
            .end_object();
    }
    w.end_array();
}

std::string booking_json(const Booking& b) {
    json::Writer w;
    w.begin_object();
    write_booking_fields(w, b);
    w.end_object();
    return w.take();
}

RenderedAnswer render_create_answer(const CreateAnswer& a) {
    if (a.outcome != CreateOutcome::kConfirmed && a.outcome != CreateOutcome::kPending) {
        // A refusal: the usual error fields (http::error_body, the one place
        // error JSON is built), "status":"failed" as the reference system's
        // clients expect, and the booking's own final status (failed,
        // expired, cancelled) as "booking_status".
        return RenderedAnswer{400, http::error_body(a.code, a.message, [&](json::Writer& w) {
                                  w.key("status").value("failed");
                                  if (a.booking) {
                                      write_summary(w, *a.booking);
                                      w.key("booking_status").value(to_string(a.booking->status));
                                  }
                              })};
    }
    json::Writer w;
    w.begin_object();
    const int status = a.outcome == CreateOutcome::kConfirmed ? 200 : 202;
    if (a.booking) write_summary(w, *a.booking);
    w.key("status")
        .value(a.outcome == CreateOutcome::kConfirmed ? "confirmed" : "pending")
        .key("message")
        .value(a.message);
    w.end_object();
    return RenderedAnswer{status, w.take()};
}

std::string cancel_json(const booking::CancelAnswer& a) {
    json::Writer w;
    w.begin_object();
    write_booking_fields(w, a.booking);
    w.key("message")
        .value(a.released ? "booking cancelled"
                          : "booking cancelled; its seats will be given back shortly")
        .key("seats_released")
        .value(a.released)
        .key("refunded")
        .value(a.refunded)
        .key("settled")
        .value(a.settled);
    w.end_object();
    return w.take();
}

}  // namespace flightbook::api::bookings_json
