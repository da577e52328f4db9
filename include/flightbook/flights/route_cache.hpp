#pragma once
/// \file
/// `RouteCache`: the two-tier search cache of SPEC §6 (ADR 0009). What it
/// keeps is a ranked route list — the best `depth` itineraries of a query and
/// the query's `total` — never availability: every answer built from it is
/// checked against live seat counts by `FlightService::search`.
///
/// Tier 1 is an in-process `LruCache` (bounded by bytes, TTL, probabilistic
/// early refresh); concurrent misses of one key in one process compute once
/// (`SingleFlight`). Tier 2 is a `SearchCache` that instances share (Redis):
/// consulted on a local miss, written only with lists whose computation took
/// at least `shared_min_compute` (a Redis round trip costs more than most
/// searches; cheaper ones leave a one-byte "cheap: compute it yourself" note
/// instead, so other instances skip the lock), and guarded by a short lock
/// per key so that a cold expensive key is computed once across instances.
/// Any failure of tier 2 is counted and degrades to computing.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "flightbook/clock.hpp"
#include "flightbook/flights/seat_mirror.hpp"
#include "flightbook/lru_cache.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/search_cache.hpp"
#include "flightbook/result.hpp"
#include "flightbook/search/search.hpp"
#include "flightbook/single_flight.hpp"

namespace flightbook::flights {

/// Settings. Field names carry their unit.
struct RouteCacheOptions {
    /// Budget of the in-process tier; 0 turns the whole cache off.
    std::size_t max_bytes = std::size_t{64} << 20;
    /// How long a route list is reused, in both tiers.
    std::chrono::milliseconds ttl{30'000};
    /// Lists that took at least this long to compute are written to the
    /// shared tier; measured in docs/benchmarks.md ("Search cache").
    std::chrono::microseconds shared_min_compute{100};
    /// Lifetime of the cross-instance computation lock.
    std::chrono::milliseconds lock_ttl{2'000};
    /// How long an instance that finds the lock taken polls the shared tier
    /// for the holder's list before computing the list itself.
    std::chrono::milliseconds lock_wait{50};
    /// XFetch's beta: larger refreshes earlier (0: never early).
    double early_refresh_beta = 1.0;
};

/// Checks the ranges (ttl and lock times positive, beta >= 0).
[[nodiscard]] Status validate(const RouteCacheOptions& options);

/// A cached route list.
struct RouteList {
    /// The best `depth` itineraries (fewer when the space is smaller), with
    /// `total` and `total_capped` of the whole space, as computed.
    search::SearchResult routes;
    int depth = 0;
    /// `SeatMirror::restocks(seats)` read before computing: the list is
    /// reused only while it is unchanged (a flight sold out for these seats
    /// when the list was computed may have seats again).
    std::uint64_t restocks = 0;
    /// When the computation started, Unix milliseconds (wall clock: shared
    /// entries come from other processes).
    std::int64_t computed_at_ms = 0;
    std::chrono::microseconds compute_time{0};

    /// Every itinerary of the space is in `routes.paths`.
    [[nodiscard]] bool complete() const noexcept {
        return !routes.total_capped &&
               routes.paths.size() >= static_cast<std::size_t>(routes.total);
    }
    /// Enough itineraries to cut a page ending at `page_end` from.
    [[nodiscard]] bool covers(int page_end) const noexcept {
        return complete() || depth >= page_end;
    }
};

/// The bytes of a `RouteList` in the shared tier (the candidates codec plus
/// a header) and back. Decoding checks everything; any bad input is an error.
[[nodiscard]] std::string encode_route_list(const RouteList& list);
[[nodiscard]] Result<RouteList> decode_route_list(std::string_view bytes);

/// Where a list came from.
enum class RouteSource : std::uint8_t { kLocal, kShared, kComputed };

/// The two tiers behind one call. Thread-safe.
class RouteCache {
public:
    /// Computes the best `depth` itineraries of the query the key stands for.
    using Compute = std::function<Result<search::SearchResult>(int depth)>;

    /// `shared` (optional) is the second tier; it, `clock` and `registry`
    /// must outlive the cache. Throws std::invalid_argument for options
    /// that `validate` refuses (a wiring bug).
    RouteCache(const Clock& clock, RouteCacheOptions options, SearchCache* shared = nullptr,
               metrics::Registry* registry = nullptr);

    struct Found {
        std::shared_ptr<const RouteList> list;
        RouteSource source = RouteSource::kComputed;
    };

    /// Where a list lives. `shared` names the query and the timetable's
    /// version for every instance (the tier-2 key); `generation` names this
    /// process's timetable snapshot and its seat mirror, so that tier 1 never
    /// mixes snapshots even when the version does not change (a reload from
    /// an in-memory repository).
    struct Key {
        std::uint64_t generation = 0;
        std::string shared;
    };

    /// The route list of `key` covering `page_end`, valid for `mirror`'s
    /// restocks at `seats`: from tier 1, else tier 2, else `compute(depth)`
    /// (`depth` >= `page_end`). Errors: only `compute`'s.
    [[nodiscard]] Result<Found> find(const Key& key, int page_end, int depth,
                                     const SeatMirror& mirror, std::int32_t seats,
                                     const Compute& compute);

    /// Times `compute(depth)` and makes a list of it, tagged with `mirror`'s
    /// restocks read before computing. Errors: `compute`'s.
    [[nodiscard]] Result<std::shared_ptr<const RouteList>> compute_list(
        int depth, const SeatMirror& mirror, std::int32_t seats, const Compute& compute) const;

    /// Replaces the list of `key` in tier 1 (after a page ran short and the
    /// list was computed again).
    void store(const Key& key, std::shared_ptr<const RouteList> list);

    /// Drops tier 1 (a new timetable: its keys carry a new version anyway,
    /// this frees the memory at once).
    void clear();

    [[nodiscard]] bool enabled() const noexcept { return options_.max_bytes > 0; }
    [[nodiscard]] const RouteCacheOptions& options() const noexcept { return options_; }

private:
    using Lists = std::shared_ptr<const RouteList>;

    [[nodiscard]] static std::string local_key(const Key& key);
    // What a tier-2 list is checked against: this process's restock counter
    // and the time it was first seen at its current value.
    struct Stamp {
        std::uint64_t restocks = 0;
        std::int64_t restocked_ms = 0;
    };
    [[nodiscard]] Result<Found> lead(const Key& key, int depth, const SeatMirror& mirror,
                                     std::int32_t seats, const Compute& compute);
    [[nodiscard]] std::optional<Lists> from_shared(const std::string& key, int depth,
                                                   const Stamp& stamp, bool* cheap);
    [[nodiscard]] std::optional<Lists> wait_for_holder(const std::string& key, int depth,
                                                       const Stamp& stamp, bool* cheap);
    void publish(const std::string& key, const RouteList& list);
    void remember(const std::string& local, const Lists& list);
    [[nodiscard]] std::int64_t restocked_at_ms(const SeatMirror& mirror, std::int32_t seats);
    [[nodiscard]] std::int64_t now_ms() const;
    void count(std::string_view tier, std::string_view result);
    void recompute(std::string_view reason);

    const Clock& clock_;
    RouteCacheOptions options_;
    SearchCache* shared_;
    LruCache<std::string, Lists> local_;
    SingleFlight<std::string, Found> flight_;

    // Per seat level (as SeatMirror::restocks): the mirror's counter last
    // seen and when it was first seen changed. A shared list computed before
    // that time is refused. One mirror per timetable: `clear` resets them.
    static constexpr std::size_t kLevels = 11;
    std::array<std::atomic<std::uint64_t>, kLevels> seen_restocks_{};
    std::array<std::atomic<std::int64_t>, kLevels> restocked_ms_{};

    metrics::CounterFamily* lookups_ = nullptr;
    metrics::CounterFamily* recomputes_ = nullptr;
    metrics::Counter* shared_waits_ = nullptr;
    metrics::CounterFamily* lock_waits_ = nullptr;
};

}  // namespace flightbook::flights
