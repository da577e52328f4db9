#pragma once
/// \file
/// The Redis-accelerated `SeatInventory`: Lua counters in front of a source
/// of truth (in production the PostgreSQL adapter).

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/seat_counter_repair.hpp"
#include "flightbook/ports/seat_inventory.hpp"
#include "flightbook/redis/client.hpp"

namespace flightbook::redis {

/// Settings of the Redis seat counters.
struct SeatCounterOptions {
    /// Prefix of every key: `<prefix>flight:<id>` (hash {available, total})
    /// and `<prefix>rsv:<id>` (reservation marker).
    std::string key_prefix = "flightbook:seats:";
    /// How long a reservation marker outlives the hold's expiry.
    std::int64_t marker_grace_ms = 24LL * 3600 * 1000;
};

/// Counters for metrics and tests.
struct SeatCounterStats {
    std::uint64_t fast_rejections = 0;  ///< Sold-out holds turned away by Redis alone.
    std::uint64_t counter_loads = 0;    ///< Counters created from the source of truth.
    std::uint64_t redis_failures = 0;   ///< Calls that fell back to the truth alone.
    std::uint64_t counter_repairs = 0;  ///< Counters rewritten by `reconcile`.
};

/// What one `reconcile` call found.
using ReconcileReport = CounterRepairReport;

/// Seat accounting with Redis counters as a fast path and `truth` as the
/// source of truth. A hold is first counted by a Lua script that checks every
/// leg before any write and turns sold-out requests away without touching the
/// truth; a counted hold is then applied to the truth, and the count is given
/// back if the truth refuses it. Counters are created only by an atomic
/// load-if-missing from `truth.availability()`; increments never create one
/// and are clamped at capacity. Losing Redis (FLUSHALL, restart) loses no
/// sale and oversells nothing: every hold is decided by the truth, and the
/// counters are rebuilt on first use. When Redis is unreachable the adapter
/// goes to the truth directly. Requires Redis with `maxmemory-policy
/// noeviction` (docs/redis.md).
///
/// Thread-safe. `truth` and `clock` must outlive the adapter.
class RedisSeatInventory final : public SeatInventory, public SeatCounterRepair {
public:
    RedisSeatInventory(std::shared_ptr<Client> client, SeatInventory& truth, const Clock& clock,
                       SeatCounterOptions options = {});

    [[nodiscard]] Result<Reservation> hold(const HoldRequest& request) override;
    [[nodiscard]] Result<Reservation> confirm(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> release(const ReservationId& id) override;
    [[nodiscard]] Result<Reservation> get(const ReservationId& id) override;
    /// Always answered by the truth (live and exact).
    [[nodiscard]] Result<SeatCounts> availability(FlightId flight) override;
    [[nodiscard]] Result<std::vector<SeatCounts>> availability_many(
        const std::vector<FlightId>& flights) override;
    [[nodiscard]] Result<std::vector<Reservation>> release_expired(UtcTime now,
                                                                   std::size_t limit) override;

    /// The Redis counter of a flight as {available, total}, or kNotFound when
    /// it does not exist (not loaded yet, or lost). For tests and operators.
    [[nodiscard]] Result<SeatCounts> counter(FlightId flight);

    /// Drops the counter of `flight` so that the next hold reloads it from the
    /// truth. An operator action for when counters drifted (docs/redis.md).
    [[nodiscard]] Status reset_counter(FlightId flight);

    /// Compares the counters of `flights` with the truth and rewrites each one
    /// that differs, unless it changed while being compared (a version
    /// compare-and-set). Repairs the drift left by a process that died between
    /// counting a hold and committing it, which would otherwise turn away
    /// requests for seats the truth still has. Safe while holds and releases
    /// run: a rewrite may leave a counter above the truth for a moment (more
    /// requests go on to the truth, which decides), never below it
    /// (docs/seats.md, "Counter drift"). Missing counters stay missing.
    /// Reads in batches of 500: one Redis round trip and one truth query each.
    [[nodiscard]] Result<ReconcileReport> reconcile(const std::vector<FlightId>& flights) override;

    [[nodiscard]] SeatCounterStats stats() const noexcept;

    /// Counts in `registry` from now on: `flightbook_seat_counter_events_total{event=
    /// fast_rejection|counter_load|redis_fallback}`. Call once, before use.
    void attach_metrics(metrics::Registry& registry);
    [[nodiscard]] const SeatCounterOptions& options() const noexcept { return options_; }

private:
    enum class FastPath { kCounted, kSoldOut, kSkipped };
    [[nodiscard]] Result<FastPath> count_hold(const HoldRequest& request,
                                              const std::vector<SeatLeg>& legs);
    void give_back_counts(const std::vector<SeatLeg>& legs);
    [[nodiscard]] Status reconcile_batch(const std::vector<FlightId>& flights,
                                         ReconcileReport& report);
    [[nodiscard]] std::string counter_key(FlightId flight) const;

    std::shared_ptr<Client> client_;
    SeatInventory& truth_;
    const Clock& clock_;
    SeatCounterOptions options_;
    std::atomic<std::uint64_t> fast_rejections_{0};
    std::atomic<std::uint64_t> counter_loads_{0};
    std::atomic<std::uint64_t> redis_failures_{0};
    metrics::Counter* m_fast_rejections_ = nullptr;
    metrics::Counter* m_counter_loads_ = nullptr;
    metrics::Counter* m_fallbacks_ = nullptr;
    std::atomic<std::uint64_t> counter_repairs_{0};
};

}  // namespace flightbook::redis
