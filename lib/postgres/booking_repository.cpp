#include "flightbook/postgres/booking_repository.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "booking_queries.hpp"
#include "transaction.hpp"

namespace flightbook::postgres {

namespace q = booking_queries;
using booking::Booking;
using booking::BookingStatus;

namespace {

// Propagates the error of a Result expression, else binds its value. `var`
// names a declaration, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FLIGHTBOOK_PG_TRY(var, expr)                                   \
    auto var##_result_ = (expr);                                       \
    if (!var##_result_) return fail(std::move(var##_result_).error()); \
    auto var = std::move(var##_result_).value()
// NOLINTEND(bugprone-macro-parentheses)

// A stored value this adapter cannot read back means the schema and the code
// disagree: a bug, not the caller's fault.
Error unreadable(std::string_view what, std::string_view text) {
    return Error{ErrorCode::kInternal,
                 fmt::format("postgres: unreadable {} '{}' in the bookings database", what, text)};
}

Result<Money> money_from(std::string_view text) {
    auto money = Money::parse(text);
    if (!money) return fail(unreadable("amount", text));
    return *money;
}

Result<BookingStatus> status_from(std::string_view text) {
    auto status = booking::parse_booking_status(text);
    if (!status) return fail(unreadable("booking status", text));
    return *status;
}

std::optional<std::string> optional_text(const QueryResult& r, std::size_t row, std::size_t col) {
    if (r.is_null(row, col)) return std::nullopt;
    return std::string(r.text(row, col));
}

Param optional_param(const std::optional<std::string>& text) {
    if (!text) return nullptr;
    return *text;
}

// The LIMIT parameter: PostgreSQL's bigint cannot hold every size_t.
std::int64_t limit_param(std::size_t limit) {
    return static_cast<std::int64_t>(
        std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

Unexpected not_found(BookingId id) {
    return fail(ErrorCode::kNotFound, fmt::format("booking {} not found", id.value()));
}

// One row of FLIGHTBOOK_BOOKING_COLUMNS, without legs and history.
Result<Booking> booking_from_row(const QueryResult& r, std::size_t i) {
    Booking b;
    b.id = BookingId{r.int64(i, 0)};
    b.user_id = UserId{r.int64(i, 1)};
    b.seats = static_cast<std::int32_t>(r.int64(i, 2));
    FLIGHTBOOK_PG_TRY(total, money_from(r.text(i, 3)));
    b.total_amount = total;
    auto type = payment::parse_payment_type(r.text(i, 4));
    if (!type) return fail(unreadable("payment type", r.text(i, 4)));
    b.payment_type = *type;
    FLIGHTBOOK_PG_TRY(status, status_from(r.text(i, 5)));
    b.status = status;
    b.version = r.int64(i, 6);
    b.payment_id = optional_text(r, i, 7);
    b.reservation_id = std::string(r.text(i, 8));
    b.idempotency_key = optional_text(r, i, 9);
    b.request_hash = std::string(r.text(i, 10));
    b.date = UtcDate{std::chrono::days{r.int64(i, 11)}};
    b.hold_expires_at = from_unix_seconds(r.int64(i, 12));
    b.created_at = from_unix_seconds(r.int64(i, 13));
    b.updated_at = from_unix_seconds(r.int64(i, 14));
    b.settled = r.text(i, 15) == "t";
    if (!r.is_null(i, 16)) {
        b.response =
            booking::StoredResponse{static_cast<int>(r.int64(i, 16)), std::string(r.text(i, 17))};
    }
    return b;
}

// Reads the legs and history of `bookings`: two statements however many there are.
Status attach_details(Connection& conn, std::vector<Booking>& bookings) {
    if (bookings.empty()) return ok();
    std::unordered_map<std::int64_t, std::size_t> index;
    // An array literal of integers formatted here, never from input: "{1,2,3}".
    std::string ids = "{";
    for (std::size_t i = 0; i < bookings.size(); ++i) {
        index.emplace(bookings[i].id.value(), i);
        if (i > 0) ids += ',';
        ids += std::to_string(bookings[i].id.value());
    }
    ids += '}';
    FLIGHTBOOK_PG_TRY(legs, conn.exec(q::kSelectLegs, {ids}));
    for (std::size_t i = 0; i < legs.rows(); ++i) {
        FLIGHTBOOK_PG_TRY(price, money_from(legs.text(i, 7)));
        bookings[index.at(legs.int64(i, 0))].legs.push_back(booking::BookingLeg{
            FlightId{legs.int64(i, 1)}, std::string(legs.text(i, 2)), std::string(legs.text(i, 3)),
            std::string(legs.text(i, 4)), from_unix_seconds(legs.int64(i, 5)),
            from_unix_seconds(legs.int64(i, 6)), price});
    }
    FLIGHTBOOK_PG_TRY(history, conn.exec(q::kSelectHistory, {ids}));
    for (std::size_t i = 0; i < history.rows(); ++i) {
        std::optional<BookingStatus> from;
        if (!history.is_null(i, 1)) {
            FLIGHTBOOK_PG_TRY(status, status_from(history.text(i, 1)));
            from = status;
        }
        FLIGHTBOOK_PG_TRY(to, status_from(history.text(i, 2)));
        bookings[index.at(history.int64(i, 0))].history.push_back(booking::StatusChange{
            from, to, std::string(history.text(i, 3)), from_unix_seconds(history.int64(i, 4))});
    }
    return ok();
}

// The bookings of a statement's rows, with their details.
Result<std::vector<Booking>> bookings_from(Connection& conn, const QueryResult& rows) {
    std::vector<Booking> out;
    out.reserve(rows.rows());
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        FLIGHTBOOK_PG_TRY(b, booking_from_row(rows, i));
        out.push_back(std::move(b));
    }
    FLIGHTBOOK_TRY_STATUS(attach_details(conn, out));
    return out;
}

// One booking with its details. Errors: kNotFound.
Result<Booking> load(Connection& conn, BookingId id) {
    FLIGHTBOOK_PG_TRY(rows, conn.exec(q::kSelectBooking, {id.value()}));
    if (rows.rows() == 0) return not_found(id);
    FLIGHTBOOK_PG_TRY(list, bookings_from(conn, rows));
    return std::move(list.front());
}

// Runs `read` (a few SELECTs) in one REPEATABLE READ snapshot, so a booking's
// row, legs and history agree with each other.
template <typename Read>
auto read_snapshot(ConnectionPool& pool, Read read) -> decltype(read(std::declval<Connection&>())) {
    FLIGHTBOOK_PG_TRY(lease, pool.acquire());
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(*lease, Isolation::kRepeatableRead));
    auto result = read(*lease);
    // Nothing was written: ending the snapshot with a rollback loses nothing.
    (void)tx.rollback();
    return result;
}

// What a change needs to know of a booking, read under its row lock.
struct LockedRow {
    BookingStatus status = BookingStatus::kPending;
    std::int64_t version = 0;
    bool has_payment_id = false;
    bool settled = false;
};

Result<LockedRow> lock_row(Transaction& tx, BookingId id) {
    FLIGHTBOOK_PG_TRY(row, tx.exec(q::kLockBooking, {id.value()}));
    if (row.rows() == 0) return not_found(id);
    FLIGHTBOOK_PG_TRY(status, status_from(row.text(0, 0)));
    return LockedRow{status, row.int64(0, 1), row.text(0, 2) == "t", row.text(0, 3) == "t"};
}

Status check_version(BookingId id, std::int64_t stored, std::int64_t expected) {
    if (stored != expected) {
        return fail(ErrorCode::kAborted, fmt::format("booking {} changed: version {}, expected {}",
                                                     id.value(), stored, expected));
    }
    return ok();
}

// The UPDATE runs under the row lock after check_version, so it always finds
// its row; a miss means the lock did not hold, and the caller should retry.
Status require_one_row(const QueryResult& updated, BookingId id) {
    if (updated.affected_rows() != 1) {
        return fail(ErrorCode::kAborted,
                    fmt::format("booking {} changed while it was being updated", id.value()));
    }
    return ok();
}

}  // namespace

PostgresBookingRepository::PostgresBookingRepository(std::shared_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

Result<CreatedBooking> PostgresBookingRepository::create(const NewBooking& b, UtcTime now) {
    FLIGHTBOOK_TRY_STATUS(validate(b));
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    Connection& conn = *lease;
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(conn));
    FLIGHTBOOK_PG_TRY(
        inserted,
        tx.exec(q::kInsertBooking, {b.user_id.value(), b.legs.front().flight_id.value(), b.seats,
                                    b.total_amount.to_string(), payment::to_string(b.payment_type),
                                    optional_param(b.idempotency_key), b.request_hash,
                                    b.date.time_since_epoch().count(),
                                    to_unix_seconds(b.hold_expires_at), to_unix_seconds(now)}));
    if (inserted.rows() == 0) {
        // This user already used the key: that booking is the answer. The
        // INSERT waited for its transaction, so it is committed and visible.
        if (!b.idempotency_key) {
            return fail(ErrorCode::kInternal, "postgres: booking insert skipped without a key");
        }
        FLIGHTBOOK_PG_TRY(existing,
                          tx.exec(q::kSelectIdByKey, {b.user_id.value(), *b.idempotency_key}));
        if (existing.rows() == 0) {
            return fail(ErrorCode::kAborted, "booking with this idempotency key changed; retry");
        }
        FLIGHTBOOK_PG_TRY(stored, load(conn, BookingId{existing.int64(0, 0)}));
        return CreatedBooking{std::move(stored), false};
    }
    const BookingId id{inserted.int64(0, 0)};
    // The SQL spells the reservation id itself (it needs the new id); this
    // keeps it to the one rule.
    if (inserted.text(0, 1) != booking::reservation_id_for(id)) {
        return fail(ErrorCode::kInternal,
                    fmt::format("postgres: reservation id '{}' for booking {}", inserted.text(0, 1),
                                id.value()));
    }
    for (std::size_t i = 0; i < b.legs.size(); ++i) {
        const booking::BookingLeg& leg = b.legs[i];
        FLIGHTBOOK_TRY_STATUS(tx.exec(
            q::kInsertLeg,
            {id.value(), static_cast<std::int64_t>(i + 1), leg.flight_id.value(), leg.flight_number,
             leg.source, leg.destination, to_unix_seconds(leg.departure_time),
             to_unix_seconds(leg.arrival_time), leg.price.to_string()}));
    }
    FLIGHTBOOK_TRY_STATUS(tx.exec(q::kInsertHistory,
                                  {id.value(), nullptr, booking::to_string(BookingStatus::kPending),
                                   b.reason, to_unix_seconds(now)}));
    FLIGHTBOOK_PG_TRY(stored, load(conn, id));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return CreatedBooking{std::move(stored), true};
}

Result<Booking> PostgresBookingRepository::get(BookingId id) {
    return read_snapshot(*pool_, [&](Connection& conn) { return load(conn, id); });
}

Result<std::vector<Booking>> PostgresBookingRepository::list_by_user(UserId user,
                                                                     std::int64_t limit,
                                                                     std::int64_t offset) {
    if (limit < 0 || offset < 0) {
        return fail(ErrorCode::kInvalidArgument, "limit and offset must not be negative");
    }
    return read_snapshot(*pool_, [&](Connection& conn) -> Result<std::vector<Booking>> {
        FLIGHTBOOK_PG_TRY(rows, conn.exec(q::kListByUser, {user.value(), limit, offset}));
        return bookings_from(conn, rows);
    });
}

Result<Booking> PostgresBookingRepository::apply(BookingId id, std::int64_t expected_version,
                                                 booking::BookingEvent event, std::string reason,
                                                 UtcTime now) {
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(*lease));
    FLIGHTBOOK_PG_TRY(row, lock_row(tx, id));
    FLIGHTBOOK_TRY_STATUS(check_version(id, row.version, expected_version));
    FLIGHTBOOK_PG_TRY(next, booking::next_status(row.status, event));
    // The schema's CHECK would refuse it too; this says why.
    if (next == BookingStatus::kConfirmed && !row.has_payment_id) {
        return fail(
            ErrorCode::kFailedPrecondition,
            fmt::format("booking {} has no payment id; it cannot be confirmed", id.value()));
    }
    FLIGHTBOOK_PG_TRY(
        updated, tx.exec(q::kSetStatus, {id.value(), expected_version, booking::to_string(next),
                                         to_unix_seconds(now)}));
    FLIGHTBOOK_TRY_STATUS(require_one_row(updated, id));
    FLIGHTBOOK_TRY_STATUS(
        tx.exec(q::kInsertHistory, {id.value(), booking::to_string(row.status),
                                    booking::to_string(next), reason, to_unix_seconds(now)}));
    FLIGHTBOOK_PG_TRY(stored, load(*lease, id));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return stored;
}

Result<Booking> PostgresBookingRepository::set_payment_id(BookingId id,
                                                          std::int64_t expected_version,
                                                          std::string payment_id, UtcTime now) {
    if (payment_id.empty()) {
        return fail(ErrorCode::kInvalidArgument, "payment id must not be empty");
    }
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(*lease));
    FLIGHTBOOK_PG_TRY(row, lock_row(tx, id));
    FLIGHTBOOK_TRY_STATUS(check_version(id, row.version, expected_version));
    FLIGHTBOOK_PG_TRY(updated, tx.exec(q::kSetPaymentId, {id.value(), expected_version, payment_id,
                                                          to_unix_seconds(now)}));
    FLIGHTBOOK_TRY_STATUS(require_one_row(updated, id));
    FLIGHTBOOK_PG_TRY(stored, load(*lease, id));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return stored;
}

Result<Booking> PostgresBookingRepository::save_response(BookingId id,
                                                         booking::StoredResponse response) {
    if (!booking::is_valid_response_status(response.status)) {
        return fail(ErrorCode::kInvalidArgument, "response status must be between 100 and 599");
    }
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(*lease));
    FLIGHTBOOK_TRY_STATUS(
        tx.exec(q::kSaveResponse, {id.value(), std::int64_t{response.status}, response.body}));
    FLIGHTBOOK_PG_TRY(stored, load(*lease, id));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return stored;
}

Result<std::vector<Booking>> PostgresBookingRepository::list_pending(UtcTime updated_before,
                                                                     std::size_t limit) {
    return read_snapshot(*pool_, [&](Connection& conn) -> Result<std::vector<Booking>> {
        FLIGHTBOOK_PG_TRY(rows, conn.exec(q::kListPending,
                                          {to_unix_seconds(updated_before), limit_param(limit)}));
        return bookings_from(conn, rows);
    });
}

Result<Booking> PostgresBookingRepository::mark_settled(BookingId id, UtcTime now) {
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(tx, Transaction::begin(*lease));
    FLIGHTBOOK_PG_TRY(row, lock_row(tx, id));
    if (!booking::is_final(row.status)) {
        return fail(ErrorCode::kFailedPrecondition,
                    fmt::format("booking {} is {}; only a final booking can be settled", id.value(),
                                booking::to_string(row.status)));
    }
    if (!row.settled) {
        FLIGHTBOOK_TRY_STATUS(tx.exec(q::kMarkSettled, {id.value(), to_unix_seconds(now)}));
    }
    FLIGHTBOOK_PG_TRY(stored, load(*lease, id));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return stored;
}

Result<std::vector<Booking>> PostgresBookingRepository::list_unsettled(UtcTime updated_before,
                                                                       std::size_t limit) {
    return read_snapshot(*pool_, [&](Connection& conn) -> Result<std::vector<Booking>> {
        FLIGHTBOOK_PG_TRY(rows, conn.exec(q::kListUnsettled,
                                          {to_unix_seconds(updated_before), limit_param(limit)}));
        return bookings_from(conn, rows);
    });
}

Status PostgresBookingRepository::ping() {
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_TRY_STATUS(lease->exec(q::kPing));
    return ok();
}

Result<std::vector<std::pair<BookingStatus, std::int64_t>>>
PostgresBookingRepository::count_by_status() {
    // Every status in enum order, so that a status nobody is in still shows as 0.
    std::vector<std::pair<BookingStatus, std::int64_t>> counts{{BookingStatus::kPending, 0},
                                                               {BookingStatus::kConfirmed, 0},
                                                               {BookingStatus::kFailed, 0},
                                                               {BookingStatus::kExpired, 0},
                                                               {BookingStatus::kCancelled, 0}};
    FLIGHTBOOK_PG_TRY(lease, pool_->acquire());
    FLIGHTBOOK_PG_TRY(rows, lease->exec(q::kCountByStatus));
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        FLIGHTBOOK_PG_TRY(status, status_from(rows.text(i, 0)));
        counts[static_cast<std::size_t>(status)].second = rows.int64(i, 1);
    }
    return counts;
}

#undef FLIGHTBOOK_PG_TRY

}  // namespace flightbook::postgres
