#pragma once
/// \file
/// `booking::BookingService`: the booking service's use cases (SPEC §4-§5,
/// docs/bookings.md) over the ports — create a booking (validate, store it
/// pending, hold seats, charge, confirm), cancel, read, list, and reconcile
/// bookings that a crash or a lost answer left half-done. No HTTP, SQL or
/// JSON here; the routes in flightbook::api render the answers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/booking/booking.hpp"
#include "flightbook/clock.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/booking_repository.hpp"
#include "flightbook/ports/flight_seats.hpp"
#include "flightbook/ports/payment_gateway.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/search/query.hpp"

namespace flightbook::booking {

/// Settings. Field names carry their unit.
struct BookingServiceOptions {
    /// Life of the seat hold a booking takes while its payment settles.
    std::chrono::seconds hold_ttl = rules::kDefaultHoldTtl;
    /// Connection rules a multi-leg booking must satisfy (as search does).
    search::SearchRules rules;
    /// How long a repeat of a create request waits for the first request's
    /// answer before giving up with "idempotency_key_in_use".
    std::int64_t idempotency_wait_ms = 10'000;
    /// Pause between two looks at the first request's progress.
    std::int64_t idempotency_poll_ms = 25;
    /// Sleeps for the given time (tests inject one that advances a clock or
    /// returns at once). Empty: `std::this_thread::sleep_for`.
    std::function<void(std::chrono::milliseconds)> sleep;
    /// How long a pending booking must stay untouched before the reconciler
    /// resolves it, and how long a cancelled pending booking waits before its
    /// clean-up is final. Must exceed the time a create request can still
    /// spend after storing its booking (seat hold + charge, with retries).
    std::chrono::seconds reconcile_grace{30};
    /// The longest one `PaymentGateway::charge` call can take (the payment
    /// client's whole time budget, retries included). A create starts a
    /// charge only while less than `reconcile_grace - max_charge_time` has
    /// passed since it began storing the booking, so every charge has ended
    /// before the reconciler may look at its booking. Must be below
    /// `reconcile_grace`.
    std::chrono::milliseconds max_charge_time{0};
    /// Attempts per seat call (hold, confirm, release) on transient errors;
    /// every attempt uses the booking's reservation id, so a retry never
    /// moves seats twice.
    int seat_call_attempts = 2;
    /// Test hook: called after each durable step of a create ("pending",
    /// "held", "charged", "confirmed"). A hook that throws or exits simulates
    /// a crash at that point. Empty in production.
    std::function<void(std::string_view step)> on_step;
};

/// Checks the options: hold ttl within rules, valid search rules, waits and
/// grace positive, 0 <= max charge time < grace, 1..10 seat call attempts.
/// Errors: `kInvalidArgument`.
[[nodiscard]] Status validate(const BookingServiceOptions& options);

/// A create request (SPEC §4 `POST /api/bookings`), as parsed by the route.
struct CreateBookingRequest {
    UserId user_id;
    /// Legs in travel order (`flight_id` of old clients is a one-leg list).
    std::vector<FlightId> flight_ids;
    std::int64_t seats = 0;  ///< Per leg; checked with rules::check_seats.
    UtcDate date;            ///< UTC departure date of the first leg.
    payment::PaymentType payment_type = payment::PaymentType::kCreditCard;
    /// The `Idempotency-Key` header, scoped to `user_id`.
    std::optional<std::string> idempotency_key;
    /// The caller's id (`X-User-Id`) when sent; must equal `user_id`.
    std::optional<UserId> caller;
};

/// Hash of a create request's normalized body (user, legs, seats, date,
/// payment type): equal for equal requests in any process. Pure.
[[nodiscard]] std::string request_hash(const CreateBookingRequest& request);

/// How a create request ended.
enum class CreateOutcome : std::uint8_t {
    kConfirmed,  ///< Seats sold and paid (HTTP 200).
    kPending,    ///< Payment outcome unknown or a dependency failed after the booking was
                 ///< stored; the service resolves it later (HTTP 202).
    kFailed,     ///< Refused; `code` names the cause (HTTP 400, "status":"failed").
    kReplay,     ///< A repeat of an answered request: send `replay` as it is.
    kKeyReused,  ///< The idempotency key was used with another body (HTTP 422).
    kKeyInUse,   ///< The first request with this key is still running (HTTP 409).
};

/// The answer to a create request: everything a route needs to render it.
struct CreateAnswer {
    CreateOutcome outcome = CreateOutcome::kFailed;
    /// "confirmed", "pending", a failure cause ("payment_declined",
    /// "sold_out", "flight_not_found", "wrong_date", "legs_do_not_connect",
    /// "hold_expired", ...), "idempotency_key_reused" or "idempotency_key_in_use".
    std::string code;
    std::string message;
    /// The stored booking; nullopt when the request was refused before one
    /// was stored (unknown flight, wrong date, legs that do not connect).
    std::optional<Booking> booking;
    /// The first answer, for `kReplay`.
    std::optional<StoredResponse> replay;
};

/// The answer to a cancel.
struct CancelAnswer {
    Booking booking;        ///< As stored after the cancel (status cancelled).
    bool released = false;  ///< The seats are given back (else the reconciler will).
    bool refunded = false;  ///< A charged payment was refunded by this call.
    bool settled = false;   ///< Every clean-up step is done and recorded.
};

/// What one reconciliation pass did.
struct ReconcileReport {
    std::size_t pending_examined = 0;
    std::size_t confirmed = 0;  ///< Pending → confirmed (a charge was found).
    std::size_t failed = 0;     ///< Pending → failed (nothing charged).
    std::size_t expired = 0;    ///< Pending → expired (hold gone or past expiry).
    std::size_t unsettled_examined = 0;
    std::size_t settled = 0;   ///< Final bookings whose clean-up is now done.
    std::size_t refunded = 0;  ///< Payments refunded.
    std::size_t skipped = 0;   ///< Left for a later pass (a dependency failed).
};

/// The booking use cases. Thread-safe: any number of threads may call any
/// method; concurrency between requests (and processes) is resolved by the
/// repository's compare-and-set and the idempotency of seat and payment calls.
class BookingService {
public:
    /// The ports and the clock must outlive the service. `registry`
    /// (optional) receives `flightbook_bookings_total{status}` (one per
    /// transition into a status, creation counted as "pending") and
    /// `flightbook_booking_reconciler_actions_total{action}`.
    BookingService(BookingRepository& bookings, FlightSeats& seats, PaymentGateway& payments,
                   const Clock& clock, BookingServiceOptions options = {},
                   std::shared_ptr<metrics::Registry> registry = nullptr);

    /// Books an itinerary (docs/bookings.md "Create"). Validation failures
    /// that the client can fix are `kFailed` answers (nothing stored) or
    /// errors: `kInvalidArgument` (seats, leg count, ids, key, amount),
    /// `kPermissionDenied` (caller ≠ user). Dependency failures before the
    /// booking is stored: `kUnavailable`. Once stored, every outcome is an
    /// answer (transient failures give `kPending`).
    [[nodiscard]] Result<CreateAnswer> create(const CreateBookingRequest& request);

    /// Records the rendered first answer of a create request; the first call
    /// wins. Returns the answer as stored, which the caller must send so that
    /// every repeat is byte-identical. Errors: `kNotFound`, `kUnavailable`.
    [[nodiscard]] Result<StoredResponse> save_response(BookingId id, StoredResponse response);

    /// Cancels a pending or confirmed booking of `caller` exactly once, gives
    /// its seats back and refunds its payment. Errors: `kNotFound` (unknown,
    /// or another user's); `kConflict` (already final: "booking is cancelled;
    /// it cannot be cancelled"); `kUnavailable` (the cancel was not stored).
    /// A clean-up step that fails after the cancel is stored is left to the
    /// reconciler and reported in the answer.
    [[nodiscard]] Result<CancelAnswer> cancel(BookingId id, UserId caller);

    /// One booking of `caller`. Errors: `kNotFound` (unknown or another user's).
    [[nodiscard]] Result<Booking> get(BookingId id, UserId caller);

    /// `user`'s bookings, newest first. Errors: `kPermissionDenied` (caller ≠
    /// user); `kInvalidArgument` (limit outside 1..rules::kMaxPageLimit,
    /// negative offset).
    [[nodiscard]] Result<std::vector<Booking>> list(UserId user, UserId caller,
                                                    std::int64_t limit = rules::kDefaultPageLimit,
                                                    std::int64_t offset = 0);

    /// One reconciliation pass over at most `limit` pending and `limit`
    /// unsettled bookings last changed more than `reconcile_grace` (plus one
    /// second, the resolution of stored times) ago
    /// (docs/bookings.md "Reconciler"). A booking whose dependency fails is
    /// skipped and retried next pass. Errors: `kUnavailable` when the
    /// repository cannot list the work.
    [[nodiscard]] Result<ReconcileReport> reconcile_once(std::size_t limit);

    /// Whether the repository answers (for `/ready`).
    [[nodiscard]] Status check_ready();

    [[nodiscard]] const BookingServiceOptions& options() const noexcept { return options_; }

private:
    // create (booking_create.cpp)
    [[nodiscard]] Result<CreateAnswer> run_steps(Booking booking,
                                                 std::chrono::steady_clock::time_point started);
    [[nodiscard]] Result<CreateAnswer> finish_charged(Booking booking, std::string payment_id);
    [[nodiscard]] Result<CreateAnswer> end_booking(Booking booking, BookingEvent event,
                                                   std::string code, std::string message,
                                                   bool cleaned_up);
    [[nodiscard]] Result<CreateAnswer> after_interference(Booking stale);
    [[nodiscard]] Result<CreateAnswer> answer_repeat(Booking existing, const std::string& hash);
    [[nodiscard]] CreateAnswer answer_from_state(Booking booking) const;
    [[nodiscard]] CreateAnswer pending_answer(Booking booking, std::string message) const;

    // clean-up shared by create, cancel and reconcile (booking_cleanup.cpp)
    [[nodiscard]] Status release_seats(const Booking& booking);
    [[nodiscard]] Result<bool> refund_charge(const Booking& booking);
    [[nodiscard]] Result<Reservation> seat_call(
        const std::function<Result<Reservation>()>& call) const;
    [[nodiscard]] Result<Booking> apply_event(const Booking& booking, BookingEvent event,
                                              std::string reason);
    [[nodiscard]] Result<ReservationId> reservation_of(const Booking& booking) const;
    /// Latest `updated_at` of a booking the reconciler may take over now.
    [[nodiscard]] UtcTime reconcile_cutoff() const;

    // reconcile (booking_reconcile.cpp)
    /// False when the payment gateway is unreachable: the pass stops early.
    [[nodiscard]] bool reconcile_pending(Booking booking, ReconcileReport& report);
    void reconcile_unsettled(const Booking& booking, ReconcileReport& report);

    void step(std::string_view name) const;
    void count_status(BookingStatus status) const;
    void count_action(std::string_view action, std::uint64_t n = 1) const;
    void sleep_for(std::chrono::milliseconds d) const;

    BookingRepository& bookings_;
    FlightSeats& seats_;
    PaymentGateway& payments_;
    const Clock& clock_;
    BookingServiceOptions options_;
    std::shared_ptr<metrics::Registry> registry_;
    metrics::CounterFamily* bookings_total_ = nullptr;
    metrics::CounterFamily* reconciler_actions_ = nullptr;
};

}  // namespace flightbook::booking
