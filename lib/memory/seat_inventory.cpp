#include "flightbook/memory/seat_inventory.hpp"

#include "flightbook/seats/reservation_transition.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <unordered_map>

namespace flightbook::memory {

namespace {

struct FlightSeats {
    std::int32_t total = 0;
    std::int32_t held = 0;
    std::int32_t confirmed = 0;
    [[nodiscard]] std::int32_t available() const { return total - held - confirmed; }
};

Reservation with_applied(Reservation r, bool applied) {
    r.applied = applied;
    return r;
}

}  // namespace

struct InMemorySeatInventory::State {
    std::mutex mutex;
    std::unordered_map<FlightId, FlightSeats> flights;
    std::map<ReservationId, Reservation> reservations;

    // Moves `r` to `next` (a decision of `transition`), moving its seats
    // between the counters the two states occupy. The caller holds the mutex.
    void persist(Reservation& r, ReservationState next) {
        for (const SeatLeg& leg : r.legs) {
            FlightSeats& f = flights.at(leg.flight_id);
            if (r.state == ReservationState::kHeld) f.held -= leg.seats;
            if (r.state == ReservationState::kConfirmed) f.confirmed -= leg.seats;
            if (next == ReservationState::kHeld) f.held += leg.seats;
            if (next == ReservationState::kConfirmed) f.confirmed += leg.seats;
        }
        r.state = next;
    }

    // Applies `event` to the reservation `id`. The caller holds the mutex.
    Result<Reservation> apply(const ReservationId& id, ReservationEvent event, UtcTime now) {
        auto it = reservations.find(id);
        if (it == reservations.end()) return fail(ErrorCode::kNotFound, "reservation not found");
        Reservation& r = it->second;
        auto t = transition(r.state, event, now >= r.expires_at);
        if (!t) return fail(std::move(t).error());
        if (t->applied) persist(r, t->next);
        return with_applied(r, t->applied);
    }
};

InMemorySeatInventory::InMemorySeatInventory(const Clock& clock)
    : clock_(clock), state_(std::make_unique<State>()) {}

InMemorySeatInventory::~InMemorySeatInventory() = default;

Status InMemorySeatInventory::add_flight(FlightId id, std::int32_t total, std::int32_t confirmed) {
    if (total <= 0 || confirmed < 0 || confirmed > total) {
        return fail(ErrorCode::kInvalidArgument, "seat counts out of range");
    }
    std::lock_guard lock(state_->mutex);
    if (!state_->flights.emplace(id, FlightSeats{total, 0, confirmed}).second) {
        return fail(ErrorCode::kAlreadyExists, fmt::format("flight {} exists", id.value()));
    }
    return ok();
}

Status InMemorySeatInventory::add_flights(const std::vector<Flight>& flights) {
    for (const Flight& f : flights)
        FLIGHTBOOK_TRY_STATUS(add_flight(f.id, f.total_seats, f.booked_seats));
    return ok();
}

Result<Reservation> InMemorySeatInventory::hold(const HoldRequest& request) {
    auto legs = normalize_legs(request.legs);
    if (!legs) return fail(std::move(legs).error());
    if (request.expires_at <= clock_.now()) {
        return fail(ErrorCode::kInvalidArgument, "a hold must expire in the future");
    }
    std::lock_guard lock(state_->mutex);
    if (auto it = state_->reservations.find(request.reservation_id);
        it != state_->reservations.end()) {
        const Reservation& existing = it->second;
        FLIGHTBOOK_TRY_STATUS(check_repeat_hold(existing, *legs));
        return with_applied(existing, false);
    }
    // Check every leg before touching any: all or nothing.
    for (const SeatLeg& leg : *legs) {
        auto f = state_->flights.find(leg.flight_id);
        if (f == state_->flights.end()) {
            return fail(ErrorCode::kNotFound,
                        fmt::format("flight {} not found", leg.flight_id.value()));
        }
        if (f->second.available() < leg.seats) {
            return fail(ErrorCode::kFailedPrecondition,
                        fmt::format("flight {} has {} seats available, {} requested",
                                    leg.flight_id.value(), f->second.available(), leg.seats));
        }
    }
    for (const SeatLeg& leg : *legs) state_->flights.at(leg.flight_id).held += leg.seats;
    Reservation r{request.reservation_id, ReservationState::kHeld, std::move(legs).value(),
                  request.expires_at, true};
    state_->reservations.emplace(r.id, r);
    return r;
}

Result<Reservation> InMemorySeatInventory::confirm(const ReservationId& id) {
    const UtcTime now = clock_.now();
    std::lock_guard lock(state_->mutex);
    return state_->apply(id, ReservationEvent::kConfirm, now);
}

Result<Reservation> InMemorySeatInventory::release(const ReservationId& id) {
    const UtcTime now = clock_.now();
    std::lock_guard lock(state_->mutex);
    return state_->apply(id, ReservationEvent::kRelease, now);
}

Result<Reservation> InMemorySeatInventory::get(const ReservationId& id) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->reservations.find(id);
    if (it == state_->reservations.end()) {
        return fail(ErrorCode::kNotFound, "reservation not found");
    }
    return with_applied(it->second, false);
}

Result<SeatCounts> InMemorySeatInventory::availability(FlightId flight) {
    std::lock_guard lock(state_->mutex);
    auto it = state_->flights.find(flight);
    if (it == state_->flights.end()) {
        return fail(ErrorCode::kNotFound, fmt::format("flight {} not found", flight.value()));
    }
    const FlightSeats& f = it->second;
    return SeatCounts{flight, f.total, f.held, f.confirmed, f.available()};
}

Result<std::vector<SeatCounts>> InMemorySeatInventory::availability_many(
    const std::vector<FlightId>& flights) {
    std::vector<SeatCounts> out;
    out.reserve(flights.size());
    std::lock_guard lock(state_->mutex);
    for (FlightId id : flights) {
        auto it = state_->flights.find(id);
        if (it == state_->flights.end()) continue;
        const FlightSeats& f = it->second;
        out.push_back(SeatCounts{id, f.total, f.held, f.confirmed, f.available()});
    }
    return out;
}

Result<std::vector<Reservation>> InMemorySeatInventory::release_expired(UtcTime now,
                                                                        std::size_t limit) {
    std::vector<Reservation> expired;
    std::lock_guard lock(state_->mutex);
    for (auto& [id, r] : state_->reservations) {
        if (expired.size() >= limit) break;
        if (r.state != ReservationState::kHeld || r.expires_at > now) continue;
        auto t = transition(r.state, ReservationEvent::kExpire, true);
        if (!t) return fail(std::move(t).error());
        state_->persist(r, t->next);
        expired.push_back(with_applied(r, true));
    }
    return expired;
}

}  // namespace flightbook::memory
