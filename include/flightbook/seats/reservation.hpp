#pragma once
/// \file
/// The vocabulary of seat accounting: reservation ids, legs, hold requests,
/// reservation states and per-flight seat counts (SPEC §5, docs/seats.md).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook {

/// The caller-chosen key that makes hold/confirm/release idempotent: 1 to 64
/// characters from [A-Za-z0-9._:-]. Value type.
class ReservationId {
public:
    /// Validates `text`. Errors: `kInvalidArgument`.
    [[nodiscard]] static Result<ReservationId> parse(std::string_view text);

    [[nodiscard]] const std::string& str() const noexcept { return value_; }

    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>
    friend auto operator<=>(const ReservationId&, const ReservationId&) = default;

    ReservationId() = default;

private:
    explicit ReservationId(std::string value) : value_(std::move(value)) {}
    std::string value_;
};

/// `seats` seats on one flight.
struct SeatLeg {
    FlightId flight_id;
    std::int32_t seats = 0;

    friend bool operator==(const SeatLeg&, const SeatLeg&) = default;
};

/// Hold `legs` all-or-nothing under `reservation_id` until `expires_at`.
struct HoldRequest {
    ReservationId reservation_id;
    std::vector<SeatLeg> legs;
    UtcTime expires_at;
};

/// Checks a leg list and puts it in canonical form: legs for the same flight
/// merged, sorted by flight id (the fixed lock order of every adapter).
/// Errors: `kInvalidArgument` for no legs, more than
/// `rules::kMaxReservationFlights` flights, seats per flight outside
/// `rules::check_seats`, or a non-positive flight id.
[[nodiscard]] Result<std::vector<SeatLeg>> normalize_legs(std::vector<SeatLeg> legs);

/// Life cycle of a reservation (docs/seats.md has the diagram):
///   held → confirmed → cancelled;  held → released;  held → expired.
/// `held` and `confirmed` count against a flight; the other states are final.
enum class ReservationState : std::uint8_t {
    kHeld,       ///< Seats taken, awaiting confirm; expires at `expires_at`.
    kConfirmed,  ///< Seats sold; never expire.
    kReleased,   ///< Given back by `release` before confirmation.
    kExpired,    ///< Given back because the hold outlived `expires_at`.
    kCancelled,  ///< Sold seats given back by `release` after confirmation.
};

/// "held", "confirmed", "released", "expired", "cancelled".
[[nodiscard]] std::string_view to_string(ReservationState state) noexcept;
/// Inverse of `to_string`. Errors: `kInvalidArgument`.
[[nodiscard]] Result<ReservationState> parse_reservation_state(std::string_view text);
/// True for `kHeld` and `kConfirmed`: the seats count against the flights.
[[nodiscard]] constexpr bool occupies_seats(ReservationState s) noexcept {
    return s == ReservationState::kHeld || s == ReservationState::kConfirmed;
}

/// A reservation as stored, plus whether the call that returned it changed it.
struct Reservation {
    ReservationId id;
    ReservationState state = ReservationState::kHeld;
    std::vector<SeatLeg> legs;  ///< Canonical order (by flight id).
    UtcTime expires_at;
    /// True when this call performed the transition (moved seats or changed
    /// state); false for an idempotent repeat that found the work done.
    bool applied = false;
};

/// Seat counts of one flight. Invariant: available + held + confirmed = total,
/// available >= 0. `confirmed` includes seats sold outside reservations (the
/// reference data's pre-booked seats).
struct SeatCounts {
    FlightId flight_id;
    std::int32_t total = 0;
    std::int32_t held = 0;
    std::int32_t confirmed = 0;
    std::int32_t available = 0;

    friend bool operator==(const SeatCounts&, const SeatCounts&) = default;
};

}  // namespace flightbook
