#pragma once
/// \file
/// The `SeatCounterRepair` port: a seat store with fast counters beside the
/// truth (the Redis adapter) can compare them and repair the ones that
/// drifted (docs/seats.md "Counter drift").

#include <cstddef>
#include <vector>

#include "flightbook/result.hpp"
#include "flightbook/types.hpp"

namespace flightbook {

/// What one repair pass found.
struct CounterRepairReport {
    std::size_t checked = 0;   ///< Counters compared with the truth.
    std::size_t repaired = 0;  ///< Counters that differed and were rewritten.
    std::size_t busy = 0;      ///< Differed, but changed while compared: left for next time.
    std::size_t missing = 0;   ///< Flights without a counter (nothing to repair).
};

/// Compares fast seat counters with the source of truth and rewrites those
/// that differ, never leaving one below the truth. Thread-safe.
class SeatCounterRepair {
public:
    virtual ~SeatCounterRepair() = default;

    /// One pass over `flights`. Errors: `kUnavailable` from either store.
    [[nodiscard]] virtual Result<CounterRepairReport> reconcile(
        const std::vector<FlightId>& flights) = 0;
};

}  // namespace flightbook
