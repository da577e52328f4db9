#pragma once
// Every SQL statement of the PostgreSQL seat inventory and flight repository,
// in one place. Instants travel as Unix seconds.

#include "flightbook/postgres/connection.hpp"

namespace flightbook::postgres::queries {

// --- seat reservations ------------------------------------------------------

inline constexpr Statement kInsertReservation{
    "seats_insert_reservation",
    "INSERT INTO seat_reservations (id, state, expires_at) "
    "VALUES ($1, 'held', to_timestamp($2::bigint)) ON CONFLICT (id) DO NOTHING RETURNING id"};

inline constexpr Statement kSelectReservation{
    "seats_select_reservation",
    "SELECT state, extract(epoch FROM expires_at)::bigint FROM seat_reservations WHERE id = $1"};

inline constexpr Statement kLockReservation{
    "seats_lock_reservation",
    "SELECT state, extract(epoch FROM expires_at)::bigint FROM seat_reservations "
    "WHERE id = $1 FOR UPDATE"};

inline constexpr Statement kLockNextExpired{
    "seats_lock_next_expired",
    "SELECT id, extract(epoch FROM expires_at)::bigint FROM seat_reservations "
    "WHERE state = 'held' AND expires_at <= to_timestamp($1::bigint) "
    "ORDER BY expires_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"};

inline constexpr Statement kSetReservationState{
    "seats_set_state", "UPDATE seat_reservations SET state = $2, updated_at = now() WHERE id = $1"};

inline constexpr Statement kSelectLegs{
    "seats_select_legs",
    "SELECT flight_id, seats FROM seat_reservation_legs WHERE reservation_id = $1 "
    "ORDER BY flight_id"};

inline constexpr Statement kInsertLeg{
    "seats_insert_leg",
    "INSERT INTO seat_reservation_legs (reservation_id, flight_id, seats) VALUES ($1, $2, $3)"};

// --- flight seat counters (row locks taken in ascending flight id order) ----

// Takes seats only if enough are left: the condition and the increment are one
// atomic row update, so concurrent holds cannot both see the last seat.
inline constexpr Statement kTakeSeats{
    "seats_take",
    "UPDATE flights SET booked_seats = booked_seats + $2, held_seats = held_seats + $2, "
    "updated_at = now() WHERE id = $1 AND total_seats - booked_seats >= $2 RETURNING id"};

inline constexpr Statement kConfirmSeats{
    "seats_confirm",
    "UPDATE flights SET held_seats = held_seats - $2, updated_at = now() WHERE id = $1"};

inline constexpr Statement kGiveBackHeld{
    "seats_give_back_held",
    "UPDATE flights SET booked_seats = booked_seats - $2, held_seats = held_seats - $2, "
    "updated_at = now() WHERE id = $1"};

inline constexpr Statement kGiveBackConfirmed{
    "seats_give_back_confirmed",
    "UPDATE flights SET booked_seats = booked_seats - $2, updated_at = now() WHERE id = $1"};

inline constexpr Statement kSeatCounts{
    "seats_counts", "SELECT total_seats, booked_seats, held_seats FROM flights WHERE id = $1"};

inline constexpr Statement kSeatCountsMany{
    "seats_counts_many",
    "SELECT id, total_seats, booked_seats, held_seats FROM flights WHERE id = ANY($1::bigint[])"};

// --- flights ----------------------------------------------------------------

#define FLIGHTBOOK_FLIGHT_COLUMNS                                                               \
    "SELECT id, flight_number, source, destination, "                                           \
    "extract(epoch FROM departure_time)::bigint, extract(epoch FROM arrival_time)::bigint, "    \
    "total_seats, booked_seats, (price * 100)::bigint, extract(epoch FROM created_at)::bigint " \
    "FROM flights "

inline constexpr Statement kFlightById{"flights_by_id", FLIGHTBOOK_FLIGHT_COLUMNS "WHERE id = $1"};

inline constexpr Statement kFlightsAll{"flights_all", FLIGHTBOOK_FLIGHT_COLUMNS "ORDER BY id"};

inline constexpr Statement kScheduleVersion{"schedule_version",
                                            "SELECT version FROM schedule_version"};

inline constexpr Statement kFlightsDeparting{"flights_departing", FLIGHTBOOK_FLIGHT_COLUMNS
                                             "WHERE departure_time >= to_timestamp($1::bigint) AND "
                                             "departure_time < to_timestamp($2::bigint) "
                                             "ORDER BY departure_time, id"};

#undef FLIGHTBOOK_FLIGHT_COLUMNS

}  // namespace flightbook::postgres::queries
