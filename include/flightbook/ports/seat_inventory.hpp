#pragma once
/// \file
/// The `SeatInventory` port: seat accounting shaped like a two-phase transfer
/// (hold → confirm | release), idempotent on a reservation id. SPEC §5.
///
/// The flight service's seat endpoints map onto it (SPEC §4):
///   decrement {flight_id, seats, reservation_id} → hold(...) (+ confirm(...)
///     when the caller wants the seats sold at once);
///   increment {flight_id, seats, reservation_id} → release(reservation_id):
///     gives back only what that reservation holds, once.

#include <cstddef>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/seats/reservation.hpp"

namespace flightbook {

/// Seat accounting. Implementations are thread-safe and safe across
/// processes sharing the same store; they read time only through the Clock
/// they were built with.
///
/// Idempotency: each call is keyed by the reservation id. A repeat (or a
/// concurrent retry) of a call that already took effect returns the stored
/// reservation with `applied == false` and moves no seat.
class SeatInventory {
public:
    virtual ~SeatInventory() = default;

    /// Takes every leg's seats, all or nothing, as reservation `request.reservation_id`
    /// in state `held` until `request.expires_at`.
    /// Repeat with the same legs while held/confirmed → the reservation, `applied == false`.
    /// Errors: `kInvalidArgument` (bad legs, expiry not in the future);
    /// `kNotFound` (unknown flight); `kFailedPrecondition` (a leg has fewer
    /// seats available: nothing is held); `kConflict` (the id exists with other
    /// legs, or is already released/expired/cancelled: ids are single-use);
    /// `kUnavailable`/`kInDoubt` from the store (a retry with the same id is safe).
    [[nodiscard]] virtual Result<Reservation> hold(const HoldRequest& request) = 0;

    /// held → confirmed, if the hold has not expired (clock now < expires_at).
    /// Repeat on a confirmed reservation → `applied == false`.
    /// Errors: `kNotFound` (unknown id); `kFailedPrecondition` (released,
    /// cancelled or expired, or held but past its expiry: such a hold is never
    /// sold; it stays held until `release` or `release_expired` gives its
    /// seats back, so that only those two calls ever return seats).
    [[nodiscard]] virtual Result<Reservation> confirm(const ReservationId& id) = 0;

    /// Gives the reservation's seats back: held → released, confirmed →
    /// cancelled. Repeat on a released/expired/cancelled reservation →
    /// `applied == false`, no seat moves. Errors: `kNotFound` (unknown id).
    [[nodiscard]] virtual Result<Reservation> release(const ReservationId& id) = 0;

    /// The stored reservation. Errors: `kNotFound`.
    [[nodiscard]] virtual Result<Reservation> get(const ReservationId& id) = 0;

    /// Current counts of one flight. Errors: `kNotFound` (unknown flight).
    [[nodiscard]] virtual Result<SeatCounts> availability(FlightId flight) = 0;

    /// Current counts of several flights in one call (one round trip for the
    /// stores that can), in the order of `flights`; unknown flights are left
    /// out. The default asks `availability()` once per flight.
    [[nodiscard]] virtual Result<std::vector<SeatCounts>> availability_many(
        const std::vector<FlightId>& flights);

    /// Expires up to `limit` held reservations whose `expires_at <= now` and
    /// gives their seats back, each exactly once even with several sweepers.
    /// Confirmed reservations never expire. Returns the expired reservations.
    [[nodiscard]] virtual Result<std::vector<Reservation>> release_expired(UtcTime now,
                                                                           std::size_t limit) = 0;
};

}  // namespace flightbook
