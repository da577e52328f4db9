#pragma once
/// \file
/// The hold sweeper: gives the seats of expired holds back, periodically,
/// through `SeatInventory::release_expired` (SPEC §5: "expired holds come back
/// by themselves, exactly once").

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "flightbook/clock.hpp"
#include "flightbook/log.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/ports/seat_inventory.hpp"

namespace flightbook {

/// Sweeper settings. Units are in the field names.
struct HoldSweeperOptions {
    /// Pause between two sweeps of the background thread.
    std::int64_t interval_ms = 5000;
    /// Reservations expired per `release_expired` call.
    std::size_t batch_size = 100;
    /// Upper bound of calls per sweep, so one sweep always ends.
    std::size_t max_batches_per_sweep = 100;
};

/// Runs `release_expired(clock.now(), batch_size)` until a batch comes back
/// short. Several sweepers (threads or processes) may run against the same
/// store: the adapters hand each expired hold to exactly one of them.
///
/// Thread-safe: `sweep_once()` may be called from any thread, also while the
/// background thread runs. `inventory` and `clock` must outlive the sweeper.
class HoldSweeper {
public:
    /// Called once per expired reservation (for metrics or logs), on the
    /// sweeping thread.
    using OnExpired = std::function<void(const Reservation&)>;

    /// `logger` (optional, must outlive the sweeper) hears of failed sweeps;
    /// `registry` (optional) gets `flightbook_hold_sweeps_total{result}` and
    /// `flightbook_holds_expired_total`.
    HoldSweeper(SeatInventory& inventory, const Clock& clock, HoldSweeperOptions options = {},
                OnExpired on_expired = {}, const Logger* logger = nullptr,
                const std::shared_ptr<metrics::Registry>& registry = nullptr);
    /// Stops the background thread if it runs.
    ~HoldSweeper();
    HoldSweeper(const HoldSweeper&) = delete;
    HoldSweeper& operator=(const HoldSweeper&) = delete;

    /// One sweep now. Returns how many holds expired; the store's error if a
    /// call failed (holds expired before the failure stay expired).
    [[nodiscard]] Result<std::size_t> sweep_once();

    /// Starts sweeping every `interval_ms` on a background thread (no-op if
    /// running; the first sweep after one interval). Errors of a sweep are
    /// counted and logged, not fatal: the next sweep retries.
    void start();
    /// Stops and joins the background thread; returns promptly. Idempotent.
    void stop();

    /// Holds expired by this sweeper so far.
    [[nodiscard]] std::uint64_t expired_total() const noexcept;
    /// Sweeps that ended with a store error.
    [[nodiscard]] std::uint64_t failed_sweeps() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook
