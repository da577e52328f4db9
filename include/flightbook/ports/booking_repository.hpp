#pragma once
/// \file
/// The `BookingRepository` port: durable bookings with their legs, status
/// history and the first answer to their create request. Adapters: in memory
/// and PostgreSQL (the bookings database).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "flightbook/booking/booking.hpp"
#include "flightbook/result.hpp"

namespace flightbook {

/// What `create` stores: a `pending` booking.
struct NewBooking {
    UserId user_id;
    std::vector<booking::BookingLeg> legs;
    std::int32_t seats = 0;
    Money total_amount;
    payment::PaymentType payment_type = payment::PaymentType::kCreditCard;
    UtcDate date;
    std::optional<std::string> idempotency_key;
    std::string request_hash;
    UtcTime hold_expires_at;
    std::string reason = "created";  ///< Reason of the first history row.
};

/// Checks what every adapter's `create` refuses before storing anything:
/// user_id > 0; 1..rules::kMaxItineraryLegs legs with positive flight ids and
/// prices in 0..payment::kMaxPaymentAmountCents; seats within
/// rules::check_seats; total_amount == sum of leg prices × seats and at most
/// payment::kMaxPaymentAmountCents; an idempotency key, when given, not empty.
/// Pure and thread-safe. Errors: `kInvalidArgument` naming the field.
[[nodiscard]] Status validate(const NewBooking& b);

/// Outcome of `create`.
struct CreatedBooking {
    booking::Booking booking;
    /// False when (user_id, idempotency_key) already named a booking: then
    /// `booking` is that one, unchanged (whatever its request hash).
    bool created = false;
};

/// Stores bookings. Implementations are thread-safe and safe across
/// processes sharing the same store. Every method returns the booking as
/// stored after the call, with legs, history (oldest first) and response.
class BookingRepository {
public:
    virtual ~BookingRepository() = default;

    /// Inserts `b` as `pending` (version 1, one history row "created" with
    /// from = nullopt), assigning the id and `reservation_id =
    /// booking::reservation_id_for(id)`, all in one commit. With an
    /// idempotency key that this user already used, inserts nothing and
    /// returns the existing booking (`created == false`); concurrent creates
    /// with one key insert exactly one. Errors: `kInvalidArgument` (no legs,
    /// seats < 1), `kUnavailable`, `kInDoubt` (commit outcome unknown: retry
    /// with the same idempotency key is safe).
    [[nodiscard]] virtual Result<CreatedBooking> create(const NewBooking& b, UtcTime now) = 0;

    /// One booking. Errors: `kNotFound`.
    [[nodiscard]] virtual Result<booking::Booking> get(BookingId id) = 0;

    /// A user's bookings, newest first (created_at, then id, descending).
    [[nodiscard]] virtual Result<std::vector<booking::Booking>> list_by_user(
        UserId user, std::int64_t limit, std::int64_t offset) = 0;

    /// Applies `event` if the stored version is still `expected_version`:
    /// status = next_status(status, event), version + 1, one history row
    /// (from, to, reason, now), updated_at = now — in one commit.
    /// Errors: `kNotFound`; `kAborted` when the version moved (re-read and
    /// decide again); `kConflict` when the table refuses the transition.
    [[nodiscard]] virtual Result<booking::Booking> apply(BookingId id,
                                                         std::int64_t expected_version,
                                                         booking::BookingEvent event,
                                                         std::string reason, UtcTime now) = 0;

    /// Records the id of the booking's payment if the stored version is still
    /// `expected_version` (version + 1). Errors: `kNotFound`, `kAborted`.
    [[nodiscard]] virtual Result<booking::Booking> set_payment_id(BookingId id,
                                                                  std::int64_t expected_version,
                                                                  std::string payment_id,
                                                                  UtcTime now) = 0;

    /// Stores the first answer to the create request; a later call keeps the
    /// first one (returns the booking either way). Errors: `kNotFound`.
    [[nodiscard]] virtual Result<booking::Booking> save_response(
        BookingId id, booking::StoredResponse response) = 0;

    /// Up to `limit` `pending` bookings last updated at or before
    /// `updated_before`, oldest first: the reconciler's work list.
    [[nodiscard]] virtual Result<std::vector<booking::Booking>> list_pending(UtcTime updated_before,
                                                                             std::size_t limit) = 0;

    /// Marks a final booking settled (its clean-up is done); a repeat is a
    /// no-op. Errors: `kNotFound`; `kFailedPrecondition` when not final.
    [[nodiscard]] virtual Result<booking::Booking> mark_settled(BookingId id, UtcTime now) = 0;

    /// Up to `limit` final bookings that are not settled yet, last updated at
    /// or before `updated_before`, oldest first: clean-up the reconciler owes.
    [[nodiscard]] virtual Result<std::vector<booking::Booking>> list_unsettled(
        UtcTime updated_before, std::size_t limit) = 0;

    /// Whether the store answers (for `/ready`).
    [[nodiscard]] virtual Status ping() = 0;

    /// Number of bookings per status (for /metrics and checks).
    [[nodiscard]] virtual Result<std::vector<std::pair<booking::BookingStatus, std::int64_t>>>
    count_by_status() = 0;
};

}  // namespace flightbook
