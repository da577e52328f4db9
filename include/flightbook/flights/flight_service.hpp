#pragma once
/// \file
/// `FlightService`: the use cases of the flight service (SPEC §3-§5) on top
/// of the ports — search with live availability, flight lookup, validation
/// and the seat operations the booking service calls. No HTTP, SQL or Redis
/// here; the HTTP routes in flightbook::http call these methods.

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/flights/route_cache.hpp"
#include "flightbook/flights/seat_feed_tracker.hpp"
#include "flightbook/flights/seat_mirror.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/flight_repository.hpp"
#include "flightbook/ports/search_cache.hpp"
#include "flightbook/ports/seat_change_feed.hpp"
#include "flightbook/ports/seat_inventory.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/search/completion_index.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/search/search.hpp"
#include "flightbook/search/timetable.hpp"

namespace flightbook::flights {

/// Settings. Field names carry their unit.
struct FlightServiceOptions {
    search::SearchRules rules;
    /// How long a hold lasts before its seats come back by themselves;
    /// within `rules::check_hold_ttl` (checked by the constructor).
    std::chrono::seconds hold_ttl = rules::kDefaultHoldTtl;
    /// Before answering, re-read the live count of every leg on the page
    /// from the SeatInventory (the truth) and search again if one fell
    /// below the requested seats. Off only for benchmarks of the bare engine.
    bool verify_page_seats = true;
    /// How old a seat count may be when a search answer is checked against
    /// it (SPEC §5 "live"): counts this process read from the store (by a
    /// search, a seat operation or an expiry) within this bound are used as
    /// they are; older ones are read again, in one round trip per page.
    /// 0: every page is checked against the store.
    std::chrono::milliseconds seat_freshness{100};
    /// The search cache (SPEC §6, ADR 0009): ranked route lists reused
    /// while their timetable and the seat levels they were computed at hold;
    /// every page cut from one is checked as above. `max_bytes` 0: off.
    RouteCacheOptions cache{};
    /// Memory allowed for the completion index of a timetable (ADR 0010),
    /// which `ensure_index` builds beside each snapshot so that searches
    /// count their last two legs instead of enumerating them. 0: none.
    std::size_t index_max_bytes = std::size_t{256} << 20;
};

/// What `ensure_index` did.
struct IndexBuild {
    bool attached = false;    ///< An index now serves the current snapshot.
    std::size_t bytes = 0;    ///< Its size.
    std::size_t entries = 0;  ///< Its departures.
    std::chrono::milliseconds took{0};
};

/// Checks `options` against rules.hpp and `search::validate(rules)`.
/// Errors: `kInvalidArgument` naming the setting.
[[nodiscard]] Status validate(const FlightServiceOptions& options);

/// The answer of a search plus the snapshot it was computed on, so that the
/// caller can write flights with the same data and live counts.
struct SearchAnswer {
    search::SearchResult result;
    std::shared_ptr<const search::Timetable> timetable;
    std::shared_ptr<const SeatMirror> seats;

    /// The body of `GET /api/flights/search` (SPEC §4).
    [[nodiscard]] std::string to_json() const;
};

/// Answer of `validate` (SPEC §4 `POST /api/flights/validate`).
struct Validation {
    bool valid = false;
    std::string message;
    Money price;  ///< One seat; zero for an unknown flight.
    std::int32_t available_seats = 0;
};

/// A seat operation's outcome: the reservation and the flight's counts after it.
struct SeatChange {
    Reservation reservation;
    std::vector<SeatCounts> counts;  ///< One per leg, in the reservation's order.
};

/// The flight service's use cases. Thread-safe: any number of threads may
/// call any method; `reload` swaps snapshots without blocking searches.
class FlightService {
public:
    /// The ports and the clock must outlive the service. `registry` (optional)
    /// receives the service's metrics; `shared_cache` (optional) is the
    /// search cache's second tier, shared with other instances. Throws
    /// std::invalid_argument when `options` break a rule (hold ttl, search
    /// rules, cache): a wiring bug, so apps check their settings with
    /// `validate(options)` first.
    FlightService(FlightRepository& flights, SeatInventory& seats, const Clock& clock,
                  FlightServiceOptions options = {},
                  std::shared_ptr<metrics::Registry> registry = nullptr,
                  SearchCache* shared_cache = nullptr);

    /// Rebuilds the search timetable and the seat mirror from the repository.
    /// On error the previous snapshot stays in use.
    [[nodiscard]] Status reload();

    /// Reloads when the repository's `schedule_version` differs from the one
    /// the current snapshot was built at (or nothing is loaded yet). Answers
    /// whether it reloaded. One cheap read when nothing changed.
    [[nodiscard]] Result<bool> reload_if_changed();

    /// Exact search (SPEC §3) with every shown leg checked against live seat
    /// counts (at most `seat_freshness` old). Pages come from the search
    /// cache when it holds the query's route list. Errors: `kUnavailable`
    /// before the first `reload`; `kInvalidArgument` from validation.
    [[nodiscard]] Result<SearchAnswer> search(const search::SearchQuery& query);

    /// One flight with its live seat counts. Errors: `kNotFound`.
    [[nodiscard]] Result<Flight> get_flight(FlightId id);

    /// Whether `seats` seats on `flight` departing on `date` can be sold now.
    /// An unknown flight, another date, or a seat count outside
    /// `rules::check_seats` is `valid == false` with a message, not an error
    /// (SPEC §4: a well-formed body never gets a 400).
    /// Errors: `kUnavailable` from the stores.
    [[nodiscard]] Result<Validation> validate(FlightId flight, std::int32_t seats, UtcDate date);

    /// Sells `seats` seats on `flight` as `reservation` at once (hold +
    /// confirm). Idempotent: a retry moves nothing and answers the same.
    /// `applied` is true for exactly one call per reservation, also among
    /// concurrent identical calls: the one whose confirm sold the seats.
    /// Errors: `kNotFound` (flight), `kInvalidArgument` (seats, or a date
    /// that is not the flight's), `kFailedPrecondition` (not enough seats),
    /// `kConflict` (the reservation id is used for other seats).
    [[nodiscard]] Result<SeatChange> decrement(const ReservationId& reservation, FlightId flight,
                                               std::int32_t seats, UtcDate date);

    /// Gives back the seats that `reservation` holds on `flight`, once.
    /// `date`, when given, must be the flight's departure date, as for
    /// `decrement`. Errors: `kNotFound` (no such reservation), `kConflict`
    /// (the reservation holds other seats than `flight`×`seats`),
    /// `kInvalidArgument` (seats, or a date that is not the flight's).
    [[nodiscard]] Result<SeatChange> increment(const ReservationId& reservation, FlightId flight,
                                               std::int32_t seats,
                                               std::optional<UtcDate> date = std::nullopt);

    /// Holds seats on one or more flights, all or nothing, for `ttl`
    /// (nullopt: the configured default). Errors as `SeatInventory::hold`,
    /// plus `kInvalidArgument` for a ttl outside `rules::check_hold_ttl`.
    [[nodiscard]] Result<SeatChange> hold(const ReservationId& reservation,
                                          std::vector<SeatLeg> legs,
                                          std::optional<std::chrono::seconds> ttl = std::nullopt);
    /// held → confirmed. Errors as `SeatInventory::confirm`.
    [[nodiscard]] Result<SeatChange> confirm(const ReservationId& reservation);
    /// Gives the seats back (held → released, confirmed → cancelled), once.
    [[nodiscard]] Result<SeatChange> release(const ReservationId& reservation);
    /// The stored reservation. Errors: `kNotFound`.
    [[nodiscard]] Result<SeatChange> reservation(const ReservationId& reservation);

    /// Tells the service that the hold sweeper expired `reservation`, so that
    /// search sees its seats again at once (wire it as the sweeper's
    /// `OnExpired` callback).
    void note_expired(const Reservation& reservation);

    /// From now on, the counts every applied seat operation and expiry leave
    /// behind are published to `publisher` (the seat-change feed; null: not
    /// published). Call before serving.
    void publish_seat_changes_to(SeatChangePublisher* publisher) noexcept {
        publisher_ = publisher;
    }
    /// Where the subscription to other instances' seat changes delivers: the
    /// counts go into the current seat mirror, and while the feed is live a
    /// search page needs no store read for a leg it vouches for (ADR 0011).
    [[nodiscard]] SeatChangeListener& seat_feed() noexcept { return feed_listener_; }

    /// Builds the completion index of the current snapshot if it has none
    /// yet and attaches it, unless a reload replaced the snapshot meanwhile.
    /// Searches never wait for it: until it is attached they run without.
    /// Call from a background thread after each reload (the services run it
    /// every second). `attached == false` when there is nothing to do (no
    /// snapshot, already built, `index_max_bytes` 0, or this snapshot's
    /// build already failed). Errors: `kResourceExhausted` over the budget
    /// (reported once per snapshot).
    [[nodiscard]] Result<IndexBuild> ensure_index();

    /// The current timetable snapshot (null before the first `reload`).
    [[nodiscard]] std::shared_ptr<const search::Timetable> timetable() const;

    /// Whether the seat store answers (for `/ready`).
    [[nodiscard]] Status check_ready();

private:
    struct Snapshot {
        std::shared_ptr<const search::Timetable> timetable;
        std::shared_ptr<const SeatMirror> seats;
        std::int64_t version = 0;                              // schedule_version it was built at
        std::uint64_t generation = 0;                          // counts reloads of this process
        std::shared_ptr<const search::CompletionIndex> index;  // attached later
    };
    // search() in flight_search.cpp.
    [[nodiscard]] Result<SearchAnswer> search_uncached(const Snapshot& snap,
                                                       const search::SearchQuery& query);
    [[nodiscard]] Result<SearchAnswer> search_cached(const Snapshot& snap,
                                                     const search::SearchQuery& query);
    [[nodiscard]] std::optional<search::SearchResult> cut_page(const Snapshot& snap,
                                                               const RouteList& list,
                                                               const search::SearchQuery& query);
    void refresh_counts(const Snapshot& snap, std::vector<FlightId> legs);
    [[nodiscard]] Snapshot snapshot() const;
    // Reads the counts of the reservation's legs into the mirror, and
    // publishes them when the operation moved seats.
    [[nodiscard]] Result<SeatChange> with_counts(Reservation reservation, bool moved);
    void publish(const std::vector<SeatCountChange>& changes);
    // Whether the page check may use the mirrored count of `flight` without
    // reading the store: read within the freshness bound, or vouched for by
    // the feed (`feed_session` from SeatFeedTracker::vouch_window).
    [[nodiscard]] static bool recent_enough(
        const SeatMirror& mirror, FlightId flight, std::chrono::steady_clock::time_point since,
        const std::optional<std::chrono::steady_clock::time_point>& feed_session);
    void count_store_reads(std::size_t legs);
    [[nodiscard]] Result<Flight> find_flight(FlightId id);
    void count_seat_op(std::string_view op, const Status& outcome);

    FlightRepository& flights_;
    SeatInventory& seats_;
    const Clock& clock_;
    FlightServiceOptions options_;
    std::shared_ptr<metrics::Registry> registry_;
    metrics::CounterFamily* seat_ops_ = nullptr;
    metrics::CounterFamily* searches_ = nullptr;
    RouteCache cache_;

    // The seat-change feed (ADR 0011).
    class FeedListener final : public SeatChangeListener {
    public:
        explicit FeedListener(FlightService& service) : service_(service) {}
        void feed_started(TimePoint at) override;
        void seat_changes(std::span<const SeatCountChange> changes, TimePoint received) override;
        void feed_heartbeat(TimePoint sent) override;
        void feed_lost() override;

    private:
        FlightService& service_;
    };
    SeatChangePublisher* publisher_ = nullptr;
    SeatFeedTracker feed_;
    FeedListener feed_listener_{*this};
    metrics::Gauge* m_feed_up_ = nullptr;
    metrics::Gauge* m_feed_rtt_ = nullptr;
    metrics::Counter* m_feed_messages_ = nullptr;
    metrics::Counter* m_feed_sessions_ = nullptr;
    metrics::Counter* m_store_reads_ = nullptr;

    [[nodiscard]] Status reload_at(std::int64_t version);

    mutable std::mutex snapshot_mutex_;  // guards the pointers only
    Snapshot snapshot_;
    std::mutex reload_mutex_;                    // one rebuild at a time
    std::mutex index_mutex_;                     // one index build at a time
    std::uint64_t index_failed_generation_ = 0;  // guarded by index_mutex_
    metrics::Gauge* m_index_bytes_ = nullptr;
};

}  // namespace flightbook::flights
