#include "flightbook/postgres/seat_inventory.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "flightbook/seats/reservation_transition.hpp"
#include "seat_queries.hpp"
#include "transaction.hpp"

namespace flightbook::postgres {

namespace {

Result<std::vector<SeatLeg>> read_legs(Connection& conn, const ReservationId& id) {
    FLIGHTBOOK_TRY(rows, conn.exec(queries::kSelectLegs, {id.str()}));
    std::vector<SeatLeg> legs;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        legs.push_back(
            SeatLeg{FlightId{rows.int64(i, 0)}, static_cast<std::int32_t>(rows.int64(i, 1))});
    }
    return legs;
}

// Reads (and with `lock`, row-locks) a reservation. kNotFound if absent.
Result<Reservation> read_reservation(Connection& conn, const ReservationId& id, bool lock) {
    FLIGHTBOOK_TRY(
        row, conn.exec(lock ? queries::kLockReservation : queries::kSelectReservation, {id.str()}));
    if (row.rows() == 0) return fail(ErrorCode::kNotFound, "reservation not found");
    FLIGHTBOOK_TRY(state, parse_reservation_state(row.text(0, 0)));
    FLIGHTBOOK_TRY(legs, read_legs(conn, id));
    return Reservation{id, state, std::move(legs), from_unix_seconds(row.int64(0, 1)), false};
}

// Persists a decision of `transition` for a locked reservation inside `tx`:
// moves its seats between the counters the two states occupy (flight rows in
// ascending id order) and stores the new state.
Status persist(Transaction& tx, Reservation& r, ReservationState next) {
    const bool from_held = r.state == ReservationState::kHeld;
    const Statement* update = nullptr;
    if (from_held && next == ReservationState::kConfirmed) {
        update = &queries::kConfirmSeats;
    } else if (from_held && !occupies_seats(next)) {
        update = &queries::kGiveBackHeld;
    } else if (r.state == ReservationState::kConfirmed && !occupies_seats(next)) {
        update = &queries::kGiveBackConfirmed;
    } else {
        return fail(ErrorCode::kInternal, fmt::format("no seat movement from {} to {}",
                                                      to_string(r.state), to_string(next)));
    }
    for (const SeatLeg& leg : r.legs) {
        FLIGHTBOOK_TRY_STATUS(tx.exec(*update, {leg.flight_id.value(), leg.seats}));
    }
    FLIGHTBOOK_TRY_STATUS(
        tx.exec(queries::kSetReservationState, {r.id.str(), std::string(to_string(next))}));
    r.state = next;
    r.applied = true;
    return ok();
}

}  // namespace

PostgresSeatInventory::PostgresSeatInventory(std::shared_ptr<ConnectionPool> pool,
                                             const Clock& clock)
    : pool_(std::move(pool)), clock_(clock) {}

Result<Reservation> PostgresSeatInventory::hold(const HoldRequest& request) {
    FLIGHTBOOK_TRY(legs, normalize_legs(request.legs));
    if (request.expires_at <= clock_.now()) {
        return fail(ErrorCode::kInvalidArgument, "a hold must expire in the future");
    }
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    Connection& conn = *lease;
    {
        FLIGHTBOOK_TRY(tx, Transaction::begin(conn));
        // Claims the id first: a concurrent hold with the same id waits here
        // until this transaction ends, then sees the row (or takes over).
        FLIGHTBOOK_TRY(
            inserted, tx.exec(queries::kInsertReservation,
                              {request.reservation_id.str(), to_unix_seconds(request.expires_at)}));
        if (inserted.rows() == 1) {
            for (const SeatLeg& leg : legs) {
                FLIGHTBOOK_TRY(taken,
                               tx.exec(queries::kTakeSeats, {leg.flight_id.value(), leg.seats}));
                if (taken.rows() == 0) {
                    // The transaction rolls back: no leg stays held.
                    FLIGHTBOOK_TRY(counts, tx.exec(queries::kSeatCounts, {leg.flight_id.value()}));
                    if (counts.rows() == 0) {
                        return fail(ErrorCode::kNotFound,
                                    fmt::format("flight {} not found", leg.flight_id.value()));
                    }
                    return fail(ErrorCode::kFailedPrecondition,
                                fmt::format("flight {} has {} seats available, {} requested",
                                            leg.flight_id.value(),
                                            counts.int64(0, 0) - counts.int64(0, 1), leg.seats));
                }
                FLIGHTBOOK_TRY_STATUS(
                    tx.exec(queries::kInsertLeg,
                            {request.reservation_id.str(), leg.flight_id.value(), leg.seats}));
            }
            FLIGHTBOOK_TRY_STATUS(tx.commit());
            return Reservation{request.reservation_id, ReservationState::kHeld, std::move(legs),
                               request.expires_at, true};
        }
    }
    // The id exists: an idempotent repeat, or a misuse of the id.
    FLIGHTBOOK_TRY(existing, read_reservation(conn, request.reservation_id, false));
    FLIGHTBOOK_TRY_STATUS(check_repeat_hold(existing, legs));
    return existing;
}

Result<Reservation> PostgresSeatInventory::confirm(const ReservationId& id) {
    return apply(id, ReservationEvent::kConfirm);
}

Result<Reservation> PostgresSeatInventory::release(const ReservationId& id) {
    return apply(id, ReservationEvent::kRelease);
}

Result<Reservation> PostgresSeatInventory::apply(const ReservationId& id, ReservationEvent event) {
    const UtcTime now = clock_.now();
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    FLIGHTBOOK_TRY(tx, Transaction::begin(*lease));
    FLIGHTBOOK_TRY(r, read_reservation(*lease, id, true));
    FLIGHTBOOK_TRY(t, transition(r.state, event, now >= r.expires_at));
    if (!t.applied) return r;
    FLIGHTBOOK_TRY_STATUS(persist(tx, r, t.next));
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return r;
}

Result<Reservation> PostgresSeatInventory::get(const ReservationId& id) {
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    return read_reservation(*lease, id, false);
}

Result<SeatCounts> PostgresSeatInventory::availability(FlightId flight) {
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    FLIGHTBOOK_TRY(row, lease->exec(queries::kSeatCounts, {flight.value()}));
    if (row.rows() == 0) {
        return fail(ErrorCode::kNotFound, fmt::format("flight {} not found", flight.value()));
    }
    const auto total = static_cast<std::int32_t>(row.int64(0, 0));
    const auto booked = static_cast<std::int32_t>(row.int64(0, 1));
    const auto held = static_cast<std::int32_t>(row.int64(0, 2));
    return SeatCounts{flight, total, held, booked - held, total - booked};
}

Result<std::vector<SeatCounts>> PostgresSeatInventory::availability_many(
    const std::vector<FlightId>& flights) {
    if (flights.empty()) return std::vector<SeatCounts>{};
    // An array literal of integers we format ourselves: "{1,2,3}".
    std::string ids = "{";
    for (std::size_t i = 0; i < flights.size(); ++i) {
        if (i > 0) ids += ',';
        ids += std::to_string(flights[i].value());
    }
    ids += '}';
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    FLIGHTBOOK_TRY(rows, lease->exec(queries::kSeatCountsMany, {ids}));
    std::unordered_map<FlightId, SeatCounts> by_id;
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        const FlightId id{rows.int64(i, 0)};
        const auto total = static_cast<std::int32_t>(rows.int64(i, 1));
        const auto booked = static_cast<std::int32_t>(rows.int64(i, 2));
        const auto held = static_cast<std::int32_t>(rows.int64(i, 3));
        by_id.emplace(id, SeatCounts{id, total, held, booked - held, total - booked});
    }
    std::vector<SeatCounts> out;
    out.reserve(flights.size());
    for (FlightId id : flights) {
        if (auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
    }
    return out;
}

Result<std::vector<Reservation>> PostgresSeatInventory::release_expired(UtcTime now,
                                                                        std::size_t limit) {
    std::vector<Reservation> expired;
    FLIGHTBOOK_TRY(lease, pool_->acquire());
    // One short transaction per reservation; SKIP LOCKED lets several
    // sweepers share the work without waiting on, or repeating, each other.
    while (expired.size() < limit) {
        FLIGHTBOOK_TRY(tx, Transaction::begin(*lease));
        FLIGHTBOOK_TRY(next, tx.exec(queries::kLockNextExpired, {to_unix_seconds(now)}));
        if (next.rows() == 0) break;
        FLIGHTBOOK_TRY(id, ReservationId::parse(next.text(0, 0)));
        FLIGHTBOOK_TRY(legs, read_legs(*lease, id));
        Reservation r{id, ReservationState::kHeld, std::move(legs),
                      from_unix_seconds(next.int64(0, 1)), false};
        FLIGHTBOOK_TRY(t, transition(r.state, ReservationEvent::kExpire, true));
        FLIGHTBOOK_TRY_STATUS(persist(tx, r, t.next));
        FLIGHTBOOK_TRY_STATUS(tx.commit());
        expired.push_back(std::move(r));
    }
    return expired;
}

}  // namespace flightbook::postgres
