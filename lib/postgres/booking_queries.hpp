#pragma once
// Every SQL statement of the PostgreSQL booking repository (bookings
// database, migrations sql/bookings/0001 and 0002), in one place. Instants
// travel as Unix seconds, dates as days since 1970-01-01, money as the exact
// decimal text of NUMERIC(10,2): never as floating point.

#include "flightbook/postgres/connection.hpp"

namespace flightbook::postgres::booking_queries {

// The columns `booking_from_row` reads, in its order.
#define FLIGHTBOOK_BOOKING_COLUMNS                                                     \
    "SELECT id, user_id, seats, total_amount::text, payment_type, status, version, "   \
    "payment_id, reservation_id, idempotency_key, request_hash, "                      \
    "travel_date - DATE '1970-01-01', extract(epoch FROM hold_expires_at)::bigint, "   \
    "extract(epoch FROM created_at)::bigint, extract(epoch FROM updated_at)::bigint, " \
    "settled, response_status, response_body FROM bookings "

// --- create -----------------------------------------------------------------

// Takes the id first, so that the reservation id ("booking-<id>", see
// booking::reservation_id_for, which the adapter checks the answer against)
// is written by the same INSERT. A second create with the same (user,
// idempotency key) waits for the first one's commit on the unique index, then
// inserts nothing and returns no row.
inline constexpr Statement kInsertBooking{
    "bookings_insert",
    "WITH new_id AS (SELECT nextval(pg_get_serial_sequence('bookings', 'id')) AS id) "
    "INSERT INTO bookings (id, user_id, flight_id, seats, total_amount, status, payment_type, "
    "reservation_id, idempotency_key, request_hash, travel_date, hold_expires_at, created_at, "
    "updated_at) "
    "SELECT id, $1, $2, $3, $4::numeric, 'pending', $5, 'booking-' || id, $6, $7, "
    "DATE '1970-01-01' + $8::integer, to_timestamp($9::bigint), to_timestamp($10::bigint), "
    "to_timestamp($10::bigint) FROM new_id "
    "ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
    "RETURNING id, reservation_id"};

inline constexpr Statement kSelectIdByKey{
    "bookings_id_by_key", "SELECT id FROM bookings WHERE user_id = $1 AND idempotency_key = $2"};

inline constexpr Statement kInsertLeg{
    "bookings_insert_leg",
    "INSERT INTO booking_legs (booking_id, leg_no, flight_id, flight_number, source, "
    "destination, departure_time, arrival_time, price) "
    "VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7::bigint), to_timestamp($8::bigint), "
    "$9::numeric)"};

inline constexpr Statement kInsertHistory{
    "bookings_insert_history",
    "INSERT INTO booking_status_history (booking_id, from_status, to_status, reason, changed_at) "
    "VALUES ($1, $2, $3, $4, to_timestamp($5::bigint))"};

// --- reads ------------------------------------------------------------------

inline constexpr Statement kSelectBooking{"bookings_select",
                                          FLIGHTBOOK_BOOKING_COLUMNS "WHERE id = $1"};

// Row lock taken by every change: legs and history of a booking are written
// only while its row is locked, so a read inside the same transaction is whole.
inline constexpr Statement kLockBooking{
    "bookings_lock",
    "SELECT status, version, payment_id IS NOT NULL, settled FROM bookings "
    "WHERE id = $1 FOR UPDATE"};

inline constexpr Statement kSelectLegs{
    "bookings_select_legs",
    "SELECT booking_id, flight_id, COALESCE(flight_number, ''), COALESCE(source, ''), "
    "COALESCE(destination, ''), COALESCE(extract(epoch FROM departure_time)::bigint, 0), "
    "COALESCE(extract(epoch FROM arrival_time)::bigint, 0), price::text "
    "FROM booking_legs WHERE booking_id = ANY($1::bigint[]) ORDER BY booking_id, leg_no"};

// History ids grow in commit order per booking (rows are added under its row lock).
inline constexpr Statement kSelectHistory{
    "bookings_select_history",
    "SELECT booking_id, from_status, to_status, reason, extract(epoch FROM changed_at)::bigint "
    "FROM booking_status_history WHERE booking_id = ANY($1::bigint[]) ORDER BY booking_id, id"};

inline constexpr Statement kListByUser{
    "bookings_list_by_user", FLIGHTBOOK_BOOKING_COLUMNS
    "WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"};

// Both work lists match the partial indexes of migration 0002.
inline constexpr Statement kListPending{
    "bookings_list_pending", FLIGHTBOOK_BOOKING_COLUMNS
    "WHERE status = 'pending' AND updated_at <= to_timestamp($1::bigint) "
    "ORDER BY updated_at, id LIMIT $2"};

inline constexpr Statement kListUnsettled{
    "bookings_list_unsettled", FLIGHTBOOK_BOOKING_COLUMNS
    "WHERE NOT settled AND status IN ('failed', 'expired', 'cancelled') "
    "AND updated_at <= to_timestamp($1::bigint) ORDER BY updated_at, id LIMIT $2"};

inline constexpr Statement kCountByStatus{"bookings_count_by_status",
                                          "SELECT status, count(*) FROM bookings GROUP BY status"};

inline constexpr Statement kPing{"bookings_ping", "SELECT 1"};

// --- changes (each under the row lock, and still checking the version) -------

inline constexpr Statement kSetStatus{
    "bookings_set_status",
    "UPDATE bookings SET status = $3, version = version + 1, "
    "updated_at = to_timestamp($4::bigint) WHERE id = $1 AND version = $2"};

inline constexpr Statement kSetPaymentId{
    "bookings_set_payment_id",
    "UPDATE bookings SET payment_id = $3, version = version + 1, "
    "updated_at = to_timestamp($4::bigint) WHERE id = $1 AND version = $2"};

// Keeps the first answer: a later one finds response_status set and changes nothing.
inline constexpr Statement kSaveResponse{
    "bookings_save_response",
    "UPDATE bookings SET response_status = $2, response_body = $3 "
    "WHERE id = $1 AND response_status IS NULL"};

inline constexpr Statement kMarkSettled{
    "bookings_mark_settled",
    "UPDATE bookings SET settled = true, updated_at = to_timestamp($2::bigint) WHERE id = $1"};

#undef FLIGHTBOOK_BOOKING_COLUMNS

}  // namespace flightbook::postgres::booking_queries
