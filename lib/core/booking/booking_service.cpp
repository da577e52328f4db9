// BookingService: construction, reads, answers and the small helpers that
// every use case shares. Create, cancel, clean-up and reconcile live in
// their own files (booking_create.cpp, booking_cancel.cpp, ...).
#include "flightbook/booking/booking_service.hpp"

#include <fmt/format.h>

#include <thread>

namespace flightbook::booking {

Status validate(const BookingServiceOptions& o) {
    FLIGHTBOOK_TRY_STATUS(rules::check_hold_ttl(o.hold_ttl));
    FLIGHTBOOK_TRY_STATUS(search::validate(o.rules));
    if (o.idempotency_wait_ms < 0 || o.idempotency_poll_ms < 1) {
        return fail(ErrorCode::kInvalidArgument,
                    "idempotency wait must be >= 0 ms and its poll interval >= 1 ms");
    }
    if (o.reconcile_grace.count() < 1) {
        return fail(ErrorCode::kInvalidArgument, "reconcile grace must be at least 1 second");
    }
    if (o.max_charge_time.count() < 0 || o.max_charge_time >= o.reconcile_grace) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("reconcile grace ({} s) must exceed the payment client's time "
                                "budget ({} ms)",
                                o.reconcile_grace.count(), o.max_charge_time.count()));
    }
    if (o.seat_call_attempts < 1 || o.seat_call_attempts > 10) {
        return fail(ErrorCode::kInvalidArgument, "seat call attempts must be between 1 and 10");
    }
    return ok();
}

std::string request_hash(const CreateBookingRequest& r) {
    // The normalized body: every field that changes what is booked or
    // charged, in a fixed order. Not the key or the caller: they select the
    // request, they are not part of it.
    std::string canonical = fmt::format("v1|user={}|flights=", r.user_id.value());
    for (std::size_t i = 0; i < r.flight_ids.size(); ++i) {
        if (i > 0) canonical += ',';
        canonical += std::to_string(r.flight_ids[i].value());
    }
    canonical += fmt::format("|seats={}|date={}|payment_type={}", r.seats, format_date(r.date),
                             payment::to_string(r.payment_type));
    // FNV-1a, 64 bits: stable across processes and builds. The key is scoped
    // to one user, so only that user's own requests could ever collide.
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : canonical) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return fmt::format("fnv1a64:{:016x}", h);
}

BookingService::BookingService(BookingRepository& bookings, FlightSeats& seats,
                               PaymentGateway& payments, const Clock& clock,
                               BookingServiceOptions options,
                               std::shared_ptr<metrics::Registry> registry)
    : bookings_(bookings),
      seats_(seats),
      payments_(payments),
      clock_(clock),
      options_(std::move(options)),
      registry_(std::move(registry)) {
    if (registry_) {
        bookings_total_ = &registry_->counter(
            "flightbook_bookings_total", "Booking transitions, by the status entered", {"status"});
        reconciler_actions_ = &registry_->counter("flightbook_booking_reconciler_actions_total",
                                                  "What the booking reconciler did", {"action"});
    }
}

Result<StoredResponse> BookingService::save_response(BookingId id, StoredResponse response) {
    auto stored = bookings_.save_response(id, std::move(response));
    if (!stored) return fail(std::move(stored).error());
    if (!stored->response) {
        return fail(ErrorCode::kInternal, "the repository did not keep the answer");
    }
    return *stored->response;
}

Result<Booking> BookingService::get(BookingId id, UserId caller) {
    auto b = bookings_.get(id);
    // Another user's booking is indistinguishable from a missing one, so ids
    // cannot be probed.
    if ((!b && b.error().code == ErrorCode::kNotFound) || (b && b->user_id != caller)) {
        return fail(ErrorCode::kNotFound, fmt::format("booking {} not found", id.value()));
    }
    return b;
}

Result<std::vector<Booking>> BookingService::list(UserId user, UserId caller, std::int64_t limit,
                                                  std::int64_t offset) {
    if (user != caller) {
        return fail(ErrorCode::kPermissionDenied, "a user may list only their own bookings");
    }
    if (limit < 1 || limit > rules::kMaxPageLimit) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("limit must be between 1 and {}", rules::kMaxPageLimit));
    }
    if (offset < 0) {
        return fail(ErrorCode::kInvalidArgument, "offset must be 0 or more");
    }
    return bookings_.list_by_user(user, limit, offset);
}

Status BookingService::check_ready() { return bookings_.ping(); }

CreateAnswer BookingService::pending_answer(Booking booking, std::string message) const {
    return CreateAnswer{CreateOutcome::kPending, "pending", std::move(message), std::move(booking),
                        std::nullopt};
}

CreateAnswer BookingService::answer_from_state(Booking b) const {
    // Reasons are stored as "<code>: <text>", so the cause of a final
    // booking can be told again from its history alone.
    std::string code;
    std::string message;
    if (!b.history.empty()) {
        const std::string& reason = b.history.back().reason;
        const auto colon = reason.find(": ");
        code = reason.substr(0, colon);
        message = colon == std::string::npos ? reason : reason.substr(colon + 2);
    }
    switch (b.status) {
        case BookingStatus::kConfirmed:
            return CreateAnswer{CreateOutcome::kConfirmed, "confirmed", "booking confirmed",
                                std::move(b), std::nullopt};
        case BookingStatus::kPending:
            return pending_answer(std::move(b),
                                  "the booking is pending; its outcome will be settled shortly");
        case BookingStatus::kCancelled:
            return CreateAnswer{CreateOutcome::kFailed, "booking_cancelled",
                                "the booking was cancelled before it completed", std::move(b),
                                std::nullopt};
        case BookingStatus::kFailed:
        case BookingStatus::kExpired: break;
    }
    if (code.empty() || code.find(' ') != std::string::npos) {
        code = b.status == BookingStatus::kExpired ? "hold_expired" : "booking_failed";
    }
    return CreateAnswer{CreateOutcome::kFailed, std::move(code), std::move(message), std::move(b),
                        std::nullopt};
}

Result<Booking> BookingService::apply_event(const Booking& booking, BookingEvent event,
                                            std::string reason) {
    auto applied =
        bookings_.apply(booking.id, booking.version, event, std::move(reason), clock_.now());
    if (applied) count_status(applied->status);
    return applied;
}

Result<ReservationId> BookingService::reservation_of(const Booking& booking) const {
    auto id = ReservationId::parse(booking.reservation_id);
    if (!id) {
        return fail(ErrorCode::kInternal,
                    fmt::format("booking {} has no usable reservation id", booking.id.value()));
    }
    return id;
}

Result<Reservation> BookingService::seat_call(
    const std::function<Result<Reservation>()>& call) const {
    Result<Reservation> r = call();
    for (int i = 1; i < options_.seat_call_attempts && !r; ++i) {
        const ErrorCode code = r.error().code;
        if (code != ErrorCode::kUnavailable && code != ErrorCode::kDeadlineExceeded) break;
        r = call();
    }
    return r;
}

void BookingService::step(std::string_view name) const {
    if (options_.on_step) options_.on_step(name);
}

void BookingService::count_status(BookingStatus status) const {
    if (bookings_total_ != nullptr) bookings_total_->with({to_string(status)}).inc();
}

void BookingService::count_action(std::string_view action, std::uint64_t n) const {
    if (reconciler_actions_ != nullptr && n > 0) reconciler_actions_->with({action}).inc(n);
}

void BookingService::sleep_for(std::chrono::milliseconds d) const {
    if (options_.sleep) {
        options_.sleep(d);
    } else {
        std::this_thread::sleep_for(d);
    }
}

}  // namespace flightbook::booking
