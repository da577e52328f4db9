#include "flightbook/flights/flight_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "flightbook/search/result_json.hpp"

namespace flightbook::flights {
namespace {

std::string_view result_label(const Status& s) {
    return s ? std::string_view("ok") : to_string(s.error().code);
}

// The one wording of "wrong date" for every seat operation that names one.
Status check_departs_on(const Flight& flight, UtcDate date) {
    if (date_of(flight.departure_time) == date) return ok();
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("flight {} departs on {}, not on {}", flight.flight_number,
                            format_date(date_of(flight.departure_time)), format_date(date)));
}

}  // namespace

Status validate(const FlightServiceOptions& options) {
    FLIGHTBOOK_TRY_STATUS(rules::check_hold_ttl(options.hold_ttl));
    FLIGHTBOOK_TRY_STATUS(validate(options.cache));
    return search::validate(options.rules);
}

std::string SearchAnswer::to_json() const {
    return search::search_result_to_json(result, *timetable, *seats);
}

FlightService::FlightService(FlightRepository& flights, SeatInventory& seats, const Clock& clock,
                             FlightServiceOptions options,
                             std::shared_ptr<metrics::Registry> registry, SearchCache* shared_cache)
    : flights_(flights),
      seats_(seats),
      clock_(clock),
      options_(options),
      registry_(std::move(registry)),
      cache_(clock, options_.cache, shared_cache, registry_.get()) {
    if (auto valid = flights::validate(options_); !valid) {
        throw std::invalid_argument("FlightServiceOptions: " + valid.error().message);
    }
    if (registry_) {
        seat_ops_ =
            &registry_->counter("flightbook_seat_operations_total",
                                "Seat operations by kind and outcome", {"operation", "result"});
        searches_ = &registry_->counter("flightbook_searches_total",
                                        "Itinerary searches by outcome", {"result"});
        m_feed_up_ = &registry_
                          ->gauge("flightbook_seat_feed_up",
                                  "1 while the subscription to other instances' seat changes "
                                  "is live",
                                  {})
                          .with({});
        m_feed_rtt_ = &registry_
                           ->gauge("flightbook_seat_feed_heartbeat_seconds",
                                   "Round trip of the last seat-feed heartbeat: how far the "
                                   "feed lags behind the seat store at most, plus its interval",
                                   {})
                           .with({});
        m_feed_messages_ = &registry_
                                ->counter("flightbook_seat_feed_changes_total",
                                          "Seat counts received from other instances", {})
                                .with({});
        m_feed_sessions_ = &registry_
                                ->counter("flightbook_seat_feed_sessions_total",
                                          "Subscriptions to the seat-change feed started", {})
                                .with({});
        m_index_bytes_ = &registry_
                              ->gauge("flightbook_search_index_bytes",
                                      "Memory of the completion index serving searches (0: none "
                                      "attached yet)",
                                      {})
                              .with({});
        m_store_reads_ = &registry_
                              ->counter("flightbook_search_seat_reads_total",
                                        "Legs of search pages read again from the seat store: "
                                        "their counts were older than the freshness bound and "
                                        "the seat-change feed did not vouch for them",
                                        {})
                              .with({});
    }
}

FlightService::Snapshot FlightService::snapshot() const {
    std::lock_guard lock(snapshot_mutex_);
    return snapshot_;
}

std::shared_ptr<const search::Timetable> FlightService::timetable() const {
    return snapshot().timetable;
}

Result<IndexBuild> FlightService::ensure_index() {
    if (options_.index_max_bytes == 0) return IndexBuild{};
    std::lock_guard build_lock(index_mutex_);
    const Snapshot snap = snapshot();
    if (!snap.timetable || snap.index || index_failed_generation_ == snap.generation) {
        return IndexBuild{};
    }
    const auto start = clock_.steady_now();
    search::CompletionIndex::Options o;
    o.memory_budget_bytes = options_.index_max_bytes;
    auto built = search::CompletionIndex::build(snap.timetable, options_.rules, o);
    if (!built) {
        index_failed_generation_ = snap.generation;
        return fail(std::move(built).error());
    }
    IndexBuild report{
        false, (*built)->memory_bytes(), (*built)->entry_count(),
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.steady_now() - start)};
    {
        std::lock_guard lock(snapshot_mutex_);
        // A reload while building: this index serves a timetable no longer
        // searched; the next call builds one for the new snapshot.
        if (snapshot_.generation != snap.generation) return IndexBuild{};
        snapshot_.index = std::move(*built);
    }
    if (m_index_bytes_ != nullptr) m_index_bytes_->set(static_cast<double>(report.bytes));
    report.attached = true;
    return report;
}

Status FlightService::reload() {
    // The version is read before the flights: a change that lands while
    // they are read leaves the snapshot older than its version says, and
    // the next reload_if_changed() rebuilds it again.
    FLIGHTBOOK_TRY(version, flights_.schedule_version());
    return reload_at(version);
}

Result<bool> FlightService::reload_if_changed() {
    FLIGHTBOOK_TRY(version, flights_.schedule_version());
    {
        std::lock_guard lock(snapshot_mutex_);
        if (snapshot_.timetable && snapshot_.version == version) return false;
    }
    FLIGHTBOOK_TRY_STATUS(reload_at(version));
    return true;
}

Status FlightService::reload_at(std::int64_t version) {
    // Searches go on over the old snapshot while the new one is built; two
    // rebuilds at once would only race to install the same data.
    std::lock_guard rebuild(reload_mutex_);
    auto flights = flights_.list_all();
    if (!flights) return fail(std::move(flights).error());
    auto mirror = std::make_shared<const SeatMirror>(*flights);
    auto timetable = search::Timetable::build(std::move(*flights));
    if (!timetable) return fail(std::move(timetable).error());
    {
        std::lock_guard lock(snapshot_mutex_);
        snapshot_ = Snapshot{std::move(*timetable), std::move(mirror), version,
                             snapshot_.generation + 1, nullptr};
    }
    // The old snapshot's route lists can no longer be asked for (their
    // generation is gone); free their memory now.
    cache_.clear();
    if (m_index_bytes_ != nullptr) m_index_bytes_->set(0);
    return ok();
}

Result<Flight> FlightService::find_flight(FlightId id) {
    Snapshot snap = snapshot();
    if (snap.timetable) {
        if (const Flight* f = snap.timetable->find(id)) return *f;
    }
    // A flight added since the last reload is still found.
    return flights_.get(id);
}

Result<Flight> FlightService::get_flight(FlightId id) {
    auto flight = find_flight(id);
    if (!flight) return flight;
    auto counts = seats_.availability(id);
    if (!counts) return fail(std::move(counts).error());
    flight->booked_seats = counts->total - counts->available;
    if (auto snap = snapshot(); snap.seats) {
        snap.seats->set(id, counts->available, clock_.steady_now());
    }
    return flight;
}

Result<Validation> FlightService::validate(FlightId id, std::int32_t seats, UtcDate date) {
    auto flight = find_flight(id);
    if (!flight) {
        if (flight.error().code != ErrorCode::kNotFound) return fail(std::move(flight).error());
        return Validation{false, fmt::format("flight {} not found", id.value()), Money{}, 0};
    }
    if (date_of(flight->departure_time) != date) {
        return Validation{
            false,
            fmt::format("flight {} departs on {}, not on {}", flight->flight_number,
                        format_date(date_of(flight->departure_time)), format_date(date)),
            flight->price, 0};
    }
    auto counts = seats_.availability(id);
    if (!counts) return fail(std::move(counts).error());
    if (auto snap = snapshot(); snap.seats) {
        snap.seats->set(id, counts->available, clock_.steady_now());
    }
    if (auto in_range = rules::check_seats(seats); !in_range) {
        return Validation{false, in_range.error().message, flight->price, counts->available};
    }
    if (counts->available < seats) {
        return Validation{false,
                          fmt::format("only {} seats available on flight {}", counts->available,
                                      flight->flight_number),
                          flight->price, counts->available};
    }
    return Validation{true, "seats available", flight->price, counts->available};
}

Result<SeatChange> FlightService::with_counts(Reservation reservation, bool moved) {
    SeatChange change{std::move(reservation), {}};
    Snapshot snap = snapshot();
    std::vector<SeatCountChange> published;
    for (const SeatLeg& leg : change.reservation.legs) {
        // The time before the read: the count is at least this new.
        const auto read_at = clock_.steady_now();
        auto counts = seats_.availability(leg.flight_id);
        if (!counts) return fail(std::move(counts).error());
        if (snap.seats) snap.seats->set(leg.flight_id, counts->available, read_at);
        change.counts.push_back(*counts);
        published.push_back(SeatCountChange{leg.flight_id, counts->available});
    }
    if (moved) publish(published);
    return change;
}

void FlightService::publish(const std::vector<SeatCountChange>& changes) {
    // After the store's commit and the read: another instance that reads
    // this flight later either sees the new count or receives this message.
    if (publisher_ != nullptr && !changes.empty()) publisher_->publish(changes);
}

void FlightService::count_seat_op(std::string_view op, const Status& outcome) {
    if (seat_ops_) seat_ops_->with({op, result_label(outcome)}).inc();
}

Result<SeatChange> FlightService::decrement(const ReservationId& reservation, FlightId id,
                                            std::int32_t seats, UtcDate date) {
    auto flight = find_flight(id);
    if (!flight) return fail(std::move(flight).error());
    FLIGHTBOOK_TRY_STATUS(check_departs_on(*flight, date));
    auto held = hold(reservation, {SeatLeg{id, seats}});
    if (!held) return held;
    // The sale is the held → confirmed transition, and the store lets exactly
    // one confirm make it (a compare-and-set on the reservation's state), so
    // `applied` is that confirm's own answer. Not the hold's too: among
    // concurrent identical decrements, the one whose hold applied and the one
    // whose confirm applied may differ, and both would say `applied`. A retry
    // that finds the hold of an earlier call that never confirmed is the one
    // that sells, and says so.
    auto confirmed = seats_.confirm(reservation);
    count_seat_op("confirm", confirmed ? ok() : Status(confirmed.error()));
    if (!confirmed) return fail(std::move(confirmed).error());
    // The hold published the counts; selling held seats changes none.
    return with_counts(std::move(*confirmed), false);
}

Result<SeatChange> FlightService::increment(const ReservationId& reservation, FlightId id,
                                            std::int32_t seats, std::optional<UtcDate> date) {
    FLIGHTBOOK_TRY_STATUS(rules::check_seats(seats));
    if (date) {
        auto flight = find_flight(id);
        if (!flight) return fail(std::move(flight).error());
        FLIGHTBOOK_TRY_STATUS(check_departs_on(*flight, *date));
    }
    auto stored = seats_.get(reservation);
    if (!stored) {
        if (stored.error().code == ErrorCode::kNotFound) {
            return fail(ErrorCode::kNotFound,
                        fmt::format("reservation {} holds no seats", reservation.str()));
        }
        return fail(std::move(stored).error());
    }
    if (stored->legs != std::vector<SeatLeg>{SeatLeg{id, seats}}) {
        return fail(ErrorCode::kConflict,
                    fmt::format("reservation {} does not hold {} seats on flight {}",
                                reservation.str(), seats, id.value()));
    }
    return release(reservation);
}

Result<SeatChange> FlightService::hold(const ReservationId& reservation, std::vector<SeatLeg> legs,
                                       std::optional<std::chrono::seconds> ttl) {
    const std::chrono::seconds life = ttl.value_or(options_.hold_ttl);
    FLIGHTBOOK_TRY_STATUS(rules::check_hold_ttl(life));
    auto held = seats_.hold(HoldRequest{reservation, std::move(legs), clock_.now() + life});
    count_seat_op("hold", held ? ok() : Status(held.error()));
    if (!held) return fail(std::move(held).error());
    const bool moved = held->applied;
    return with_counts(std::move(*held), moved);
}

Result<SeatChange> FlightService::confirm(const ReservationId& reservation) {
    auto confirmed = seats_.confirm(reservation);
    count_seat_op("confirm", confirmed ? ok() : Status(confirmed.error()));
    if (!confirmed) return fail(std::move(confirmed).error());
    // Held seats are not available either way: a confirm moves none.
    return with_counts(std::move(*confirmed), false);
}

Result<SeatChange> FlightService::release(const ReservationId& reservation) {
    auto released = seats_.release(reservation);
    count_seat_op("release", released ? ok() : Status(released.error()));
    if (!released) return fail(std::move(released).error());
    const bool moved = released->applied;
    return with_counts(std::move(*released), moved);
}

Result<SeatChange> FlightService::reservation(const ReservationId& reservation) {
    auto stored = seats_.get(reservation);
    if (!stored) return fail(std::move(stored).error());
    return with_counts(std::move(*stored), false);
}

void FlightService::note_expired(const Reservation& reservation) {
    Snapshot snap = snapshot();
    std::vector<SeatCountChange> published;
    for (const SeatLeg& leg : reservation.legs) {
        const auto read_at = clock_.steady_now();
        auto counts = seats_.availability(leg.flight_id);
        if (!counts) continue;
        if (snap.seats) snap.seats->set(leg.flight_id, counts->available, read_at);
        published.push_back(SeatCountChange{leg.flight_id, counts->available});
    }
    publish(published);
    if (seat_ops_) seat_ops_->with({"expire", "ok"}).inc();
}

bool FlightService::recent_enough(
    const SeatMirror& mirror, FlightId flight, std::chrono::steady_clock::time_point since,
    const std::optional<std::chrono::steady_clock::time_point>& feed_session) {
    return mirror.checked_since(flight, since) ||
           (feed_session && mirror.unchanged_since(flight, *feed_session));
}

void FlightService::count_store_reads(std::size_t legs) {
    if (m_store_reads_ != nullptr && legs > 0) m_store_reads_->inc(legs);
}

void FlightService::FeedListener::feed_started(TimePoint at) {
    service_.feed_.started(at);
    if (service_.m_feed_up_ != nullptr) service_.m_feed_up_->set(1);
    if (service_.m_feed_sessions_ != nullptr) service_.m_feed_sessions_->inc();
}

void FlightService::FeedListener::seat_changes(std::span<const SeatCountChange> changes,
                                               TimePoint received) {
    const Snapshot snap = service_.snapshot();
    if (!snap.seats) return;
    for (const SeatCountChange& c : changes) {
        snap.seats->note_change(c.flight, c.available, received);
    }
    if (service_.m_feed_messages_ != nullptr) service_.m_feed_messages_->inc(changes.size());
}

void FlightService::FeedListener::feed_heartbeat(TimePoint sent) {
    service_.feed_.heartbeat(sent);
    if (service_.m_feed_rtt_ != nullptr) {
        const auto rtt = service_.clock_.steady_now() - sent;
        service_.m_feed_rtt_->set(std::chrono::duration<double>(rtt).count());
    }
}

void FlightService::FeedListener::feed_lost() {
    service_.feed_.lost();
    if (service_.m_feed_up_ != nullptr) service_.m_feed_up_->set(0);
}

Status FlightService::check_ready() {
    Snapshot snap = snapshot();
    if (!snap.timetable) return fail(ErrorCode::kUnavailable, "schedule not loaded");
    if (snap.timetable->flights().empty()) return ok();
    auto counts = seats_.availability(snap.timetable->flights().front().id);
    if (!counts && counts.error().code != ErrorCode::kNotFound) return fail(counts.error());
    return ok();
}

}  // namespace flightbook::flights
