// BookingService::create: validate, store pending, hold, charge, confirm
// (docs/bookings.md "Create"). The rule of every step: never give seats back
// while a charge may exist, never confirm without one; when in doubt, answer
// "pending" and leave the booking to the reconciler.
#include <fmt/format.h>

#include <algorithm>

#include "flightbook/booking/booking_service.hpp"
#include "flightbook/booking/itinerary.hpp"

namespace flightbook::booking {
namespace {

constexpr int kCasAttempts = 3;
constexpr int kInDoubtAttempts = 3;

bool is_transient(ErrorCode code) {
    return code == ErrorCode::kUnavailable || code == ErrorCode::kDeadlineExceeded ||
           code == ErrorCode::kInDoubt || code == ErrorCode::kAborted ||
           code == ErrorCode::kResourceExhausted || code == ErrorCode::kInternal;
}

CreateAnswer refused(std::string_view code, std::string message) {
    return CreateAnswer{CreateOutcome::kFailed, std::string(code), std::move(message), std::nullopt,
                        std::nullopt};
}

Status check_key(const std::optional<std::string>& key) {
    if (!key) return ok();
    const bool printable =
        std::all_of(key->begin(), key->end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
    if (key->empty() || key->size() > payment::kMaxIdempotencyKeyLength || !printable) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("Idempotency-Key must be 1 to {} printable ASCII characters",
                                payment::kMaxIdempotencyKeyLength));
    }
    return ok();
}

constexpr std::string_view kPendingPayment =
    "the payment outcome is not known yet; the booking stays pending and will be confirmed or "
    "failed shortly";
constexpr std::string_view kPendingSteps =
    "the booking could not be completed right now; it stays pending and will be confirmed or "
    "failed shortly";

}  // namespace

Result<CreateAnswer> BookingService::create(const CreateBookingRequest& request) {
    if (request.user_id.value() <= 0) {
        return fail(ErrorCode::kInvalidArgument, "user_id must be a positive integer");
    }
    if (request.caller && *request.caller != request.user_id) {
        return fail(ErrorCode::kPermissionDenied, "X-User-Id does not match the body's user_id");
    }
    FLIGHTBOOK_TRY_STATUS(rules::check_seats(request.seats));
    for (FlightId id : request.flight_ids) {
        if (id.value() <= 0) {
            return fail(ErrorCode::kInvalidArgument, "flight ids must be positive integers");
        }
    }
    if (auto ids = check_flight_ids(request.flight_ids); !ids.ok()) {
        if (ids.problem == ItineraryProblem::kLegCount) {
            return fail(ErrorCode::kInvalidArgument, ids.message);
        }
        return refused(to_string(ids.problem), ids.message);
    }
    FLIGHTBOOK_TRY_STATUS(check_key(request.idempotency_key));

    std::vector<Flight> flights;
    flights.reserve(request.flight_ids.size());
    for (FlightId id : request.flight_ids) {
        auto flight = seats_.get_flight(id);
        if (!flight) {
            if (flight.error().code == ErrorCode::kNotFound) {
                return refused("flight_not_found", fmt::format("flight {} not found", id.value()));
            }
            return fail(ErrorCode::kUnavailable,
                        fmt::format("flights cannot be looked up now: {}", flight.error().message));
        }
        flights.push_back(std::move(*flight));
    }
    if (auto it = check_itinerary(flights, request.date, options_.rules); !it.ok()) {
        return refused(to_string(it.problem), std::move(it.message));
    }

    NewBooking nb;
    nb.user_id = request.user_id;
    nb.seats = static_cast<std::int32_t>(request.seats);
    Money per_seat;
    for (const Flight& f : flights) {
        nb.legs.push_back(BookingLeg{f.id, f.flight_number, f.source.str(), f.destination.str(),
                                     f.departure_time, f.arrival_time, f.price});
        per_seat += f.price;
    }
    nb.total_amount = per_seat * nb.seats;
    if (nb.total_amount.cents() <= 0 || nb.total_amount.cents() > payment::kMaxPaymentAmountCents) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("the total amount must be greater than 0 and at most {}",
                                Money::from_cents(payment::kMaxPaymentAmountCents).to_string()));
    }
    nb.payment_type = request.payment_type;
    nb.date = request.date;
    nb.idempotency_key = request.idempotency_key;
    nb.request_hash = request_hash(request);
    // Taken before the stored times are read: the charge deadline below
    // measures from no later than the booking's created_at.
    const auto started = clock_.steady_now();
    nb.hold_expires_at = clock_.now() + options_.hold_ttl;
    nb.reason = "created: booking received";

    auto created = bookings_.create(nb, clock_.now());
    // A commit in doubt is safe to repeat only with a key: the key finds the
    // row if the first commit went through. Without one, a stored row is
    // failed by the reconciler (it never got seats or a charge).
    for (int i = 0; i < kInDoubtAttempts && !created && nb.idempotency_key &&
                    created.error().code == ErrorCode::kInDoubt;
         ++i) {
        created = bookings_.create(nb, clock_.now());
    }
    if (!created) {
        if (created.error().code == ErrorCode::kInvalidArgument) {
            return fail(std::move(created).error());
        }
        return fail(ErrorCode::kUnavailable,
                    fmt::format("the booking could not be stored: {}", created.error().message));
    }
    if (!created->created) return answer_repeat(std::move(created->booking), nb.request_hash);
    count_status(BookingStatus::kPending);
    step("pending");
    return run_steps(std::move(created->booking), started);
}

Result<CreateAnswer> BookingService::answer_repeat(Booking existing, const std::string& hash) {
    if (existing.request_hash != hash) {
        return CreateAnswer{CreateOutcome::kKeyReused, "idempotency_key_reused",
                            "this Idempotency-Key was already used with a different request",
                            std::nullopt, std::nullopt};
    }
    // The first request may still be running: wait for its answer, bounded.
    const std::int64_t polls = (options_.idempotency_wait_ms + options_.idempotency_poll_ms - 1) /
                               options_.idempotency_poll_ms;
    Booking current = std::move(existing);
    for (std::int64_t i = 0; !current.response && i < polls; ++i) {
        sleep_for(std::chrono::milliseconds{options_.idempotency_poll_ms});
        auto again = bookings_.get(current.id);
        if (!again) {
            return fail(ErrorCode::kUnavailable,
                        fmt::format("the first request's answer cannot be read now: {}",
                                    again.error().message));
        }
        current = std::move(*again);
    }
    if (current.response) {
        auto replay = current.response;
        return CreateAnswer{CreateOutcome::kReplay, "replay", "", std::move(current),
                            std::move(replay)};
    }
    if (current.status == BookingStatus::kPending) {
        return CreateAnswer{CreateOutcome::kKeyInUse, "idempotency_key_in_use",
                            "a request with this Idempotency-Key is still being processed; "
                            "retry later",
                            std::move(current), std::nullopt};
    }
    // The first request ended without recording its answer (it crashed after
    // the last step): answer from the stored state; the caller saves it, and
    // the first answer saved wins.
    return answer_from_state(std::move(current));
}

Result<CreateAnswer> BookingService::run_steps(Booking b,
                                               std::chrono::steady_clock::time_point started) {
    auto rid = reservation_of(b);
    if (!rid) return pending_answer(std::move(b), std::string(kPendingSteps));
    std::vector<SeatLeg> legs;
    legs.reserve(b.legs.size());
    for (const BookingLeg& leg : b.legs) legs.push_back(SeatLeg{leg.flight_id, b.seats});

    auto held = seat_call([&] { return seats_.hold(*rid, legs, options_.hold_ttl); });
    if (!held) {
        const Error& e = held.error();
        if (is_transient(e.code)) return pending_answer(std::move(b), std::string(kPendingSteps));
        // A refused hold holds nothing (all or nothing), except a conflict:
        // the id is spent or holds other seats, so give back what it holds.
        const std::string_view code = e.code == ErrorCode::kFailedPrecondition ? "sold_out"
                                      : e.code == ErrorCode::kNotFound         ? "flight_not_found"
                                                                       : "seat_hold_refused";
        const bool cleaned = e.code != ErrorCode::kConflict || release_seats(b).has_value();
        return end_booking(std::move(b), BookingEvent::kFail, std::string(code), e.message,
                           cleaned);
    }
    step("held");

    // A cancel that arrived while the seats were being held wins before any
    // money moves.
    auto current = bookings_.get(b.id);
    if (!current) return pending_answer(std::move(b), std::string(kPendingSteps));
    if (current->status != BookingStatus::kPending) return after_interference(std::move(b));
    b = std::move(*current);

    // Past this point a charge could still be running when the reconciler
    // takes the booking for abandoned; charging nothing is the safe side.
    // (Measured on the steady clock: the stored times have one-second
    // resolution, which the reconciler's extra second absorbs.)
    if (clock_.steady_now() - started + options_.max_charge_time >= options_.reconcile_grace) {
        return pending_answer(std::move(b), std::string(kPendingSteps));
    }
    const payment::PaymentRequest pay{b.id, b.user_id, b.total_amount, b.payment_type,
                                      payment::default_idempotency_key(b.id)};
    auto charge = payments_.charge(pay);
    if (!charge) {
        if (charge.error().code == ErrorCode::kInvalidArgument) {
            // Refused as malformed: nothing was charged.
            const bool cleaned = release_seats(b).has_value();
            return end_booking(std::move(b), BookingEvent::kFail, "payment_rejected",
                               charge.error().message, cleaned);
        }
        return pending_answer(std::move(b), std::string(kPendingPayment));
    }
    switch (charge->outcome) {
        case ChargeResult::Outcome::kCharged:
            step("charged");
            if (charge->payment_id.empty()) {
                // Charged without a name: the reconciler looks it up.
                return pending_answer(std::move(b), std::string(kPendingPayment));
            }
            return finish_charged(std::move(b), std::move(charge->payment_id));
        case ChargeResult::Outcome::kDeclined: {
            const bool cleaned = release_seats(b).has_value();
            std::string why = charge->reason.empty()
                                  ? "the payment was declined"
                                  : "the payment was declined: " + charge->reason;
            return end_booking(std::move(b), BookingEvent::kFail, "payment_declined",
                               std::move(why), cleaned);
        }
        case ChargeResult::Outcome::kUnknown: break;
    }
    return pending_answer(std::move(b), std::string(kPendingPayment));
}

Result<CreateAnswer> BookingService::finish_charged(Booking b, std::string payment_id) {
    // Record the payment first, so that a cancel or the reconciler refunds it
    // without asking the gateway.
    for (int i = 0;; ++i) {
        auto recorded = bookings_.set_payment_id(b.id, b.version, payment_id, clock_.now());
        if (recorded) {
            b = std::move(*recorded);
            break;
        }
        if (recorded.error().code != ErrorCode::kAborted || i + 1 >= kCasAttempts) {
            return pending_answer(std::move(b), std::string(kPendingSteps));
        }
        auto current = bookings_.get(b.id);
        if (!current) return pending_answer(std::move(b), std::string(kPendingSteps));
        if (current->status != BookingStatus::kPending) return after_interference(std::move(b));
        b = std::move(*current);
    }

    auto rid = reservation_of(b);
    if (!rid) return pending_answer(std::move(b), std::string(kPendingSteps));
    auto sold = seat_call([&] { return seats_.confirm(*rid); });
    if (!sold) {
        const ErrorCode code = sold.error().code;
        if (code != ErrorCode::kFailedPrecondition && code != ErrorCode::kNotFound) {
            return pending_answer(std::move(b), std::string(kPendingSteps));
        }
        // The hold ended before the money arrived: the seats are not ours.
        // Unless a cancel released them, the charge goes back and the booking
        // expires.
        auto current = bookings_.get(b.id);
        if (!current) return pending_answer(std::move(b), std::string(kPendingSteps));
        if (current->status != BookingStatus::kPending) return after_interference(std::move(b));
        b = std::move(*current);
        auto refunded = refund_charge(b);
        // A hold past its expiry still counts until someone gives it back;
        // with the charge returned nothing can be confirmed on it any more.
        const bool released = release_seats(b).has_value();
        std::string why =
            fmt::format("the seat hold ended before the payment settled; payment {} {}", payment_id,
                        refunded ? "is refunded" : "will be refunded");
        return end_booking(std::move(b), BookingEvent::kExpire, "hold_expired", std::move(why),
                           refunded.has_value() && released);
    }

    for (int i = 0;; ++i) {
        auto confirmed =
            apply_event(b, BookingEvent::kConfirm,
                        status_reason("confirmed", "payment " + payment_id + " charged"));
        if (confirmed) {
            b = std::move(*confirmed);
            break;
        }
        const ErrorCode code = confirmed.error().code;
        if (code != ErrorCode::kAborted && code != ErrorCode::kConflict) {
            return pending_answer(std::move(b), std::string(kPendingSteps));
        }
        // A cancel (or the reconciler) moved the booking: it must not be
        // confirmed over that, and what this request took goes back.
        auto current = bookings_.get(b.id);
        if (!current) return pending_answer(std::move(b), std::string(kPendingSteps));
        if (current->status != BookingStatus::kPending || i + 1 >= kCasAttempts) {
            return after_interference(std::move(b));
        }
        b = std::move(*current);
    }
    step("confirmed");
    return CreateAnswer{CreateOutcome::kConfirmed, "confirmed", "booking confirmed", std::move(b),
                        std::nullopt};
}

Result<CreateAnswer> BookingService::end_booking(Booking b, BookingEvent event, std::string code,
                                                 std::string message, bool cleaned_up) {
    for (int i = 0; i < kCasAttempts; ++i) {
        auto ended = apply_event(b, event, status_reason(code, message));
        if (ended) {
            b = std::move(*ended);
            if (cleaned_up) {
                // Best effort: an unsettled final booking is settled by the
                // reconciler, whose clean-up is idempotent.
                if (auto settled = bookings_.mark_settled(b.id, clock_.now())) {
                    b = std::move(*settled);
                }
            }
            return CreateAnswer{CreateOutcome::kFailed, std::move(code), std::move(message),
                                std::move(b), std::nullopt};
        }
        const ErrorCode err = ended.error().code;
        if (err != ErrorCode::kAborted && err != ErrorCode::kConflict) break;
        auto current = bookings_.get(b.id);
        if (!current) break;
        if (current->status != BookingStatus::kPending) return after_interference(std::move(b));
        b = std::move(*current);
    }
    return pending_answer(std::move(b), std::string(kPendingSteps));
}

Result<CreateAnswer> BookingService::after_interference(Booking stale) {
    auto current = bookings_.get(stale.id);
    if (!current) return pending_answer(std::move(stale), std::string(kPendingSteps));
    Booking b = std::move(*current);
    if (b.status == BookingStatus::kPending || b.status == BookingStatus::kConfirmed) {
        return answer_from_state(std::move(b));
    }
    // Final (cancelled while this request ran): this request is the only one
    // that charges, and it stops here, so once its seats and any charge are
    // back the booking is settled for good.
    const bool released = release_seats(b).has_value();
    const auto refunded = refund_charge(b);
    if (released && refunded && !b.settled) {
        if (auto settled = bookings_.mark_settled(b.id, clock_.now())) b = std::move(*settled);
    }
    return answer_from_state(std::move(b));
}

}  // namespace flightbook::booking
