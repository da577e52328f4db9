#pragma once
/// \file
/// Every business limit of flightbook, once (SPEC §3-§5, docs/api.md "Rules").
/// Routes parse types and map errors; the ranges and their wording live here,
/// so that search, validation, seat holds and bookings can never disagree.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "flightbook/result.hpp"

namespace flightbook::rules {

/// Seats one request may ask for: a search, a validation, a seat hold on one
/// flight, a booking. (Airlines sell group bookings separately; 100 keeps
/// every seat endpoint and the search on one rule.)
inline constexpr std::int32_t kMinSeatsPerRequest = 1;
inline constexpr std::int32_t kMaxSeatsPerRequest = 100;

/// Legs of one itinerary (SPEC §3: 0 to 3 stops) and so of one booking.
inline constexpr std::size_t kMaxItineraryLegs = 4;
/// Distinct flights one seat reservation may cover (a booking's legs, with
/// room for an operator's multi-itinerary hold).
inline constexpr std::size_t kMaxReservationFlights = 8;

/// Life of a seat hold: the default (SPEC §5: 15 minutes) and the range a
/// caller or an operator may choose.
inline constexpr std::chrono::seconds kDefaultHoldTtl{15 * 60};
inline constexpr std::chrono::seconds kMinHoldTtl{1};
inline constexpr std::chrono::seconds kMaxHoldTtl{60 * 60};

/// Paging of lists (bookings of a user).
inline constexpr std::int64_t kDefaultPageLimit = 20;
inline constexpr std::int64_t kMaxPageLimit = 100;

/// "seats must be an integer between 1 and 100" unless `seats` is in range.
/// Errors: `kInvalidArgument`.
[[nodiscard]] Status check_seats(std::int64_t seats);

/// "hold ttl must be between 1 and 3600 seconds" unless `ttl` is in range.
/// Errors: `kInvalidArgument`.
[[nodiscard]] Status check_hold_ttl(std::chrono::seconds ttl);

/// "an itinerary has 1 to 4 legs" unless `legs` is in range.
/// Errors: `kInvalidArgument`.
[[nodiscard]] Status check_itinerary_legs(std::size_t legs);

}  // namespace flightbook::rules
