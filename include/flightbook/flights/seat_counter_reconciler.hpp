#pragma once
/// \file
/// `SeatCounterReconciler`: runs `SeatCounterRepair::reconcile` over every
/// flight of the flight service's current timetable, periodically, and
/// reports each pass to the log and to `/metrics`.

#include <chrono>
#include <memory>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/log.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/periodic_task.hpp"
#include "flightbook/ports/seat_counter_repair.hpp"

namespace flightbook::flights {

/// Repairs drifted seat counters in the background (a process that died
/// between counting a hold and committing it leaves a counter too low).
/// Metrics: `flightbook_seat_counter_reconcile_total{outcome=checked|repaired|busy|failed}`.
/// Thread-safe; every reference must outlive the reconciler.
class SeatCounterReconciler {
public:
    SeatCounterReconciler(SeatCounterRepair& counters, FlightService& service,
                          std::chrono::milliseconds interval, const Logger& logger,
                          const std::shared_ptr<metrics::Registry>& registry = nullptr);

    /// One pass now over the current timetable's flights (none before the
    /// first reload). Errors: those of `SeatCounterRepair::reconcile`.
    [[nodiscard]] Result<CounterRepairReport> run_once();

    /// Starts passes every `interval` on a background thread; `stop` joins.
    void start() { task_.start(); }
    void stop() { task_.stop(); }

private:
    SeatCounterRepair& counters_;
    FlightService& service_;
    const Logger& logger_;
    metrics::CounterFamily* outcomes_ = nullptr;
    PeriodicTask task_;
};

}  // namespace flightbook::flights
