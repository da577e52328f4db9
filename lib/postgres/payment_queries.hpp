#pragma once
// Every SQL statement of the PostgreSQL payment store, in one place. Instants
// travel as Unix seconds, amounts as NUMERIC text ("8500.00"), never as
// floating point.

#include "flightbook/postgres/connection.hpp"

namespace flightbook::postgres::queries {

// The columns every read returns, in the order read_payment() expects.
#define FLIGHTBOOK_PAYMENT_COLUMNS                                                           \
    "id, idempotency_key, booking_id, user_id, amount::text, payment_type, status, reason, " \
    "extract(epoch FROM created_at)::bigint, extract(epoch FROM refunded_at)::bigint"

// Stores a payment unless its idempotency key exists. A concurrent insert of
// the same key makes this one wait for the other's commit and then do
// nothing, so exactly one row wins.
inline constexpr Statement kInsertPayment{
    "payments_insert",
    "INSERT INTO payments (id, idempotency_key, booking_id, user_id, amount, payment_type, "
    "status, reason, created_at, refunded_at) "
    "VALUES ($1, $2, $3, $4, $5::numeric, $6, $7, $8, to_timestamp($9::bigint), "
    "to_timestamp($10::bigint)) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING " FLIGHTBOOK_PAYMENT_COLUMNS};

inline constexpr Statement kPaymentByKey{"payments_by_key",
                                         "SELECT " FLIGHTBOOK_PAYMENT_COLUMNS
                                         " FROM payments WHERE idempotency_key = $1"};

inline constexpr Statement kPaymentById{
    "payments_by_id", "SELECT " FLIGHTBOOK_PAYMENT_COLUMNS " FROM payments WHERE id = $1"};

inline constexpr Statement kPaymentsByBooking{
    "payments_by_booking",
    "SELECT " FLIGHTBOOK_PAYMENT_COLUMNS
    " FROM payments WHERE booking_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2"};

// The compare-and-set success → refunded: the condition and the change are
// one row update, so of concurrent refunds exactly one returns a row.
inline constexpr Statement kMarkRefunded{
    "payments_mark_refunded",
    "UPDATE payments SET status = 'refunded', refunded_at = to_timestamp($2::bigint) "
    "WHERE id = $1 AND status = 'success' RETURNING " FLIGHTBOOK_PAYMENT_COLUMNS};

inline constexpr Statement kPing{"payments_ping", "SELECT 1"};

#undef FLIGHTBOOK_PAYMENT_COLUMNS

}  // namespace flightbook::postgres::queries
