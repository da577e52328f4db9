#include "flightbook/postgres/payment_store.hpp"

#include <fmt/format.h>

#include "payment_queries.hpp"

namespace flightbook::postgres {

namespace {

using payment::Payment;
using payment::PaymentStatus;

// Propagates the error of a Result expression, else binds its value. `var`
// names a declaration, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FLIGHTBOOK_PG_TRY(var, expr)                                   \
    auto var##_result_ = (expr);                                       \
    if (!var##_result_) return fail(std::move(var##_result_).error()); \
    auto var = std::move(var##_result_).value()
// NOLINTEND(bugprone-macro-parentheses)

// A row that does not parse is a schema bug, not bad input: kInternal.
Result<Payment> read_payment(const QueryResult& rows, std::size_t row) {
    auto amount = Money::parse(rows.text(row, 4));
    auto type = payment::parse_payment_type(rows.text(row, 5));
    auto status = payment::parse_payment_status(rows.text(row, 6));
    if (!amount || !type || !status) {
        return fail(ErrorCode::kInternal,
                    fmt::format("payments row {} does not parse", rows.text(row, 0)));
    }
    Payment p;
    p.id = std::string(rows.text(row, 0));
    p.idempotency_key = std::string(rows.text(row, 1));
    p.booking_id = BookingId{rows.int64(row, 2)};
    p.user_id = UserId{rows.int64(row, 3)};
    p.amount = *amount;
    p.type = *type;
    p.status = *status;
    p.reason = std::string(rows.text(row, 7));
    p.created_at = from_unix_seconds(rows.int64(row, 8));
    if (!rows.is_null(row, 9)) p.refunded_at = from_unix_seconds(rows.int64(row, 9));
    return p;
}

// libpq passes parameters as C strings: text with a NUL byte would be cut
// short and could name another row, so such text names nothing.
bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

// A lookup by text PostgreSQL cannot even hold (invalid UTF-8: SQLSTATE class
// 22) names no row, as in the memory store.
template <typename T>
Result<T> not_found_if_unstorable(Result<T> r) {
    if (!r && r.error().code == ErrorCode::kInvalidArgument) {
        return fail(ErrorCode::kNotFound, "payment not found");
    }
    return r;
}

}  // namespace

PostgresPaymentStore::PostgresPaymentStore(std::shared_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

Result<PaymentInsert> PostgresPaymentStore::insert_or_get(const Payment& p) {
    FLIGHTBOOK_TRY_STATUS(check_storable(p));
    if (has_nul(p.id)) return fail(ErrorCode::kInvalidArgument, "payment id contains NUL");
    const std::vector<Param> params{
        p.id,
        p.idempotency_key,
        p.booking_id.value(),
        p.user_id.value(),
        p.amount.to_string(),
        std::string(payment::to_string(p.type)),
        std::string(payment::to_string(p.status)),
        p.reason,
        to_unix_seconds(p.created_at),
        p.refunded_at ? Param(to_unix_seconds(*p.refunded_at)) : Param(nullptr)};
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(inserted, lease->exec(queries::kInsertPayment, params));
    if (inserted.rows() == 1) {
        FLIGHTBOOK_PG_TRY(stored, read_payment(inserted, 0));
        return PaymentInsert{std::move(stored), true};
    }
    // The key exists: its row was committed before our insert gave up, so
    // this read (a new snapshot) sees it.
    FLIGHTBOOK_PG_TRY(rows, lease->exec(queries::kPaymentByKey, {p.idempotency_key}));
    if (rows.rows() == 0) {
        // Only if the row was deleted in between, which nothing does.
        return fail(ErrorCode::kAborted, "payment vanished during insert; retry");
    }
    FLIGHTBOOK_PG_TRY(stored, read_payment(rows, 0));
    return PaymentInsert{std::move(stored), false};
}

Result<Payment> PostgresPaymentStore::get(std::string_view payment_id) {
    if (payment_id.empty() || has_nul(payment_id)) {
        return fail(ErrorCode::kNotFound, "payment not found");
    }
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(rows,
                      not_found_if_unstorable(lease->exec(queries::kPaymentById, {payment_id})));
    if (rows.rows() == 0) return fail(ErrorCode::kNotFound, "payment not found");
    return read_payment(rows, 0);
}

Result<std::optional<Payment>> PostgresPaymentStore::find_by_key(std::string_view idempotency_key) {
    if (idempotency_key.empty() || has_nul(idempotency_key)) return std::optional<Payment>{};
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    auto found = lease->exec(queries::kPaymentByKey, {idempotency_key});
    if (!found && found.error().code == ErrorCode::kInvalidArgument) {
        return std::optional<Payment>{};
    }
    FLIGHTBOOK_PG_TRY(rows, std::move(found));
    if (rows.rows() == 0) return std::optional<Payment>{};
    FLIGHTBOOK_PG_TRY(p, read_payment(rows, 0));
    return std::optional<Payment>{std::move(p)};
}

Result<std::vector<Payment>> PostgresPaymentStore::find_by_booking(BookingId booking) {
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(
        rows, lease->exec(queries::kPaymentsByBooking, {booking.value(), kMaxPaymentsPerBooking}));
    std::vector<Payment> out;
    out.reserve(rows.rows());
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        FLIGHTBOOK_PG_TRY(p, read_payment(rows, i));
        out.push_back(std::move(p));
    }
    return out;
}

Result<PaymentRefund> PostgresPaymentStore::mark_refunded(std::string_view payment_id, UtcTime at) {
    if (payment_id.empty() || has_nul(payment_id)) {
        return fail(ErrorCode::kNotFound, "payment not found");
    }
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(updated, not_found_if_unstorable(lease->exec(
                                   queries::kMarkRefunded, {payment_id, to_unix_seconds(at)})));
    if (updated.rows() == 1) {
        FLIGHTBOOK_PG_TRY(p, read_payment(updated, 0));
        return PaymentRefund{std::move(p), true};
    }
    // Not refundable now: say why from the row as it is.
    FLIGHTBOOK_PG_TRY(rows, lease->exec(queries::kPaymentById, {payment_id}));
    if (rows.rows() == 0) return fail(ErrorCode::kNotFound, "payment not found");
    FLIGHTBOOK_PG_TRY(p, read_payment(rows, 0));
    if (p.status == PaymentStatus::kRefunded) return PaymentRefund{std::move(p), false};
    return fail(ErrorCode::kFailedPrecondition,
                fmt::format("payment {} was never charged (status {})", p.id,
                            payment::to_string(p.status)));
}

Status PostgresPaymentStore::ping() {
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_TRY_STATUS(lease->exec(queries::kPing));
    return ok();
}

#undef FLIGHTBOOK_PG_TRY

}  // namespace flightbook::postgres
