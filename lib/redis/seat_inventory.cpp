#include "flightbook/redis/seat_inventory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "embedded_scripts.hpp"

namespace flightbook::redis {

namespace {

// The Lua scripts of the seat counters, built once from the embedded sources.
struct SeatScripts {
    static Script make(std::string_view name) {
        return Script{std::string(name), std::string(embedded_script(name))};
    }
    Script hold = make("seat_hold");
    Script release = make("seat_release");
    Script load = make("seat_load");
    Script read = make("seat_read");
    Script reconcile = make("seat_reconcile");
};

const SeatScripts& scripts() {
    static const SeatScripts all;
    return all;
}

// Status codes returned by seat_reconcile.lua.
constexpr std::int64_t kReconcileRewritten = 1;
constexpr std::int64_t kReconcileChanged = 0;

// Reconciliation reads this many counters per round trip.
constexpr std::size_t kReconcileBatch = 500;

// Status codes returned by seat_hold.lua.
constexpr std::int64_t kHoldCounted = 1;
constexpr std::int64_t kHoldSoldOut = 0;
constexpr std::int64_t kHoldCounterMissing = -1;
constexpr std::int64_t kHoldAlreadyCounted = 2;

}  // namespace

RedisSeatInventory::RedisSeatInventory(std::shared_ptr<Client> client, SeatInventory& truth,
                                       const Clock& clock, SeatCounterOptions options)
    : client_(std::move(client)), truth_(truth), clock_(clock), options_(std::move(options)) {}

std::string RedisSeatInventory::counter_key(FlightId flight) const {
    return fmt::format("{}flight:{}", options_.key_prefix, flight.value());
}

Result<RedisSeatInventory::FastPath> RedisSeatInventory::count_hold(
    const HoldRequest& request, const std::vector<SeatLeg>& legs) {
    std::vector<std::string> keys{options_.key_prefix + "rsv:" + request.reservation_id.str()};
    const auto ttl =
        std::chrono::duration_cast<std::chrono::milliseconds>(request.expires_at - clock_.now());
    std::vector<std::string> args{std::to_string(ttl.count() + options_.marker_grace_ms)};
    for (const SeatLeg& leg : legs) {
        keys.push_back(counter_key(leg.flight_id));
        args.push_back(std::to_string(leg.seats));
    }
    // Each round either decides or loads one missing counter: bounded by the legs.
    for (std::size_t round = 0; round <= legs.size(); ++round) {
        auto reply = client_->eval(scripts().hold, keys, args);
        if (!reply) return fail(std::move(reply).error());
        if (reply->elements.size() != 2) {
            return fail(ErrorCode::kInternal, "redis: seat_hold returned an unexpected reply");
        }
        const std::int64_t status = reply->elements[0].integer;
        if (status == kHoldCounted) return FastPath::kCounted;
        if (status == kHoldAlreadyCounted) return FastPath::kSkipped;
        if (status == kHoldSoldOut) return FastPath::kSoldOut;
        if (status != kHoldCounterMissing) {
            return fail(ErrorCode::kInternal, "redis: seat_hold returned an unknown status");
        }
        const auto leg_index = static_cast<std::size_t>(reply->elements[1].integer - 1);
        if (leg_index >= legs.size()) return fail(ErrorCode::kInternal, "redis: bad leg index");
        auto counts = truth_.availability(legs[leg_index].flight_id);
        if (!counts) {
            if (counts.error().code == ErrorCode::kNotFound) return FastPath::kSkipped;
            return fail(std::move(counts).error());
        }
        auto loaded =
            client_->eval(scripts().load, {keys[leg_index + 1]},
                          {std::to_string(counts->available), std::to_string(counts->total)});
        if (!loaded) return fail(std::move(loaded).error());
        if (loaded->integer == 1) {
            ++counter_loads_;
            if (m_counter_loads_ != nullptr) m_counter_loads_->inc();
        }
    }
    return FastPath::kSkipped;
}

void RedisSeatInventory::give_back_counts(const std::vector<SeatLeg>& legs) {
    std::vector<std::string> keys;
    std::vector<std::string> args;
    for (const SeatLeg& leg : legs) {
        keys.push_back(counter_key(leg.flight_id));
        args.push_back(std::to_string(leg.seats));
    }
    // Best effort: a lost increment leaves the counter low until it is reset
    // or lost; the truth still decides every hold.
    if (!client_->eval(scripts().release, keys, args)) {
        ++redis_failures_;
        if (m_fallbacks_ != nullptr) m_fallbacks_->inc();
    }
}

Result<Reservation> RedisSeatInventory::hold(const HoldRequest& request) {
    auto legs = normalize_legs(request.legs);
    if (!legs) return fail(std::move(legs).error());
    if (request.expires_at <= clock_.now()) {
        return fail(ErrorCode::kInvalidArgument, "a hold must expire in the future");
    }
    auto fast = count_hold(request, *legs);
    FastPath path = FastPath::kSkipped;
    if (fast) {
        path = *fast;
    } else {
        ++redis_failures_;  // Redis down or failing: the truth alone decides.
        if (m_fallbacks_ != nullptr) m_fallbacks_->inc();
    }
    if (path == FastPath::kSoldOut) {
        ++fast_rejections_;
        if (m_fast_rejections_ != nullptr) m_fast_rejections_->inc();
        return fail(ErrorCode::kFailedPrecondition, "not enough seats available");
    }
    auto held = truth_.hold(request);
    // Keep the counters in step with the truth: a count for a hold the truth
    // refused, or that it already had (a retry after Redis lost its marker),
    // is given back.
    if (path == FastPath::kCounted && (!held || !held->applied)) {
        give_back_counts(*legs);
        if (!held) {
            (void)client_->command(
                {"DEL", options_.key_prefix + "rsv:" + request.reservation_id.str()});
        }
    }
    return held;
}

Result<Reservation> RedisSeatInventory::confirm(const ReservationId& id) {
    // Confirmation moves no available seat: the counters are unchanged.
    return truth_.confirm(id);
}

Result<Reservation> RedisSeatInventory::release(const ReservationId& id) {
    auto released = truth_.release(id);
    if (released && released->applied) give_back_counts(released->legs);
    return released;
}

Result<Reservation> RedisSeatInventory::get(const ReservationId& id) { return truth_.get(id); }

Result<SeatCounts> RedisSeatInventory::availability(FlightId flight) {
    return truth_.availability(flight);
}

Result<std::vector<SeatCounts>> RedisSeatInventory::availability_many(
    const std::vector<FlightId>& flights) {
    return truth_.availability_many(flights);
}

Result<std::vector<Reservation>> RedisSeatInventory::release_expired(UtcTime now,
                                                                     std::size_t limit) {
    auto expired = truth_.release_expired(now, limit);
    if (expired) {
        for (const Reservation& r : *expired) give_back_counts(r.legs);
    }
    return expired;
}

Result<SeatCounts> RedisSeatInventory::counter(FlightId flight) {
    auto reply = client_->command({"HMGET", counter_key(flight), "available", "total"});
    if (!reply) return fail(std::move(reply).error());
    if (reply->elements.size() != 2 || reply->elements[0].is_nil() || reply->elements[1].is_nil()) {
        return fail(ErrorCode::kNotFound, fmt::format("no counter for flight {}", flight.value()));
    }
    const auto available = reply->elements[0].as_integer();
    const auto total = reply->elements[1].as_integer();
    if (!available || !total) return fail(ErrorCode::kInternal, "redis: malformed seat counter");
    SeatCounts c;
    c.flight_id = flight;
    c.total = static_cast<std::int32_t>(*total);
    c.available = static_cast<std::int32_t>(*available);
    return c;
}

Status RedisSeatInventory::reset_counter(FlightId flight) {
    auto reply = client_->command({"DEL", counter_key(flight)});
    if (!reply) return fail(std::move(reply).error());
    return ok();
}

Result<ReconcileReport> RedisSeatInventory::reconcile(const std::vector<FlightId>& flights) {
    ReconcileReport report;
    for (std::size_t from = 0; from < flights.size(); from += kReconcileBatch) {
        const auto to = std::min(flights.size(), from + kReconcileBatch);
        const std::vector<FlightId> batch(flights.begin() + static_cast<std::ptrdiff_t>(from),
                                          flights.begin() + static_cast<std::ptrdiff_t>(to));
        FLIGHTBOOK_TRY_STATUS(reconcile_batch(batch, report));
    }
    return report;
}

// The counters are read before the truth, and a rewrite only applies if the
// counter's version is still the one read. An operation the truth has seen
// but the counter has not yet (a release between its commit and its
// give-back) can then only push the counter above the truth, never below.
Status RedisSeatInventory::reconcile_batch(const std::vector<FlightId>& flights,
                                           ReconcileReport& report) {
    std::vector<std::string> keys;
    keys.reserve(flights.size());
    for (FlightId f : flights) keys.push_back(counter_key(f));
    auto read = client_->eval(scripts().read, keys, {});
    if (!read) return fail(std::move(read).error());
    if (read->elements.size() != 3 * flights.size()) {
        return fail(ErrorCode::kInternal, "redis: seat_read returned an unexpected reply");
    }
    auto truth = truth_.availability_many(flights);
    if (!truth) return fail(std::move(truth).error());
    std::unordered_map<FlightId, SeatCounts> by_id;
    for (const SeatCounts& c : *truth) by_id.emplace(c.flight_id, c);
    for (std::size_t i = 0; i < flights.size(); ++i) {
        const Reply& available = read->elements[3 * i];
        const Reply& total = read->elements[3 * i + 1];
        const Reply& version = read->elements[3 * i + 2];
        if (available.is_nil() || total.is_nil()) {
            ++report.missing;
            continue;
        }
        const auto truth_counts = by_id.find(flights[i]);
        if (truth_counts == by_id.end()) continue;  // unknown to the truth: not ours to judge
        ++report.checked;
        const SeatCounts& want = truth_counts->second;
        if (available.as_integer() == want.available && total.as_integer() == want.total) continue;
        auto rewritten =
            client_->eval(scripts().reconcile, {keys[i]},
                          {version.is_nil() ? std::string() : version.str,
                           std::to_string(want.available), std::to_string(want.total)});
        if (!rewritten) return fail(std::move(rewritten).error());
        if (rewritten->integer == kReconcileRewritten) {
            ++report.repaired;
            ++counter_repairs_;
        } else if (rewritten->integer == kReconcileChanged) {
            ++report.busy;
        } else {
            ++report.missing;
        }
    }
    return ok();
}

SeatCounterStats RedisSeatInventory::stats() const noexcept {
    return SeatCounterStats{fast_rejections_.load(), counter_loads_.load(), redis_failures_.load(),
                            counter_repairs_.load()};
}

void RedisSeatInventory::attach_metrics(metrics::Registry& registry) {
    auto& family = registry.counter(
        "flightbook_seat_counter_events_total",
        "Redis seat counter events: holds refused by Redis alone, counters loaded from "
        "PostgreSQL, calls that fell back to PostgreSQL alone because Redis failed",
        {"event"});
    m_fast_rejections_ = &family.with({"fast_rejection"});
    m_counter_loads_ = &family.with({"counter_load"});
    m_fallbacks_ = &family.with({"redis_fallback"});
}

}  // namespace flightbook::redis
