#pragma once
/// \file
/// `booking::BookingReconciler`: runs `BookingService::reconcile_once` on a
/// background thread every interval (docs/bookings.md "Reconciler").

#include <chrono>
#include <cstddef>
#include <functional>

#include "flightbook/booking/booking_service.hpp"
#include "flightbook/periodic_task.hpp"

namespace flightbook::booking {

/// Settings. Field names carry their unit.
struct BookingReconcilerOptions {
    /// Pause between passes (the first pass runs one interval after start).
    std::chrono::milliseconds interval{5000};
    /// Pending and unsettled bookings looked at per pass (each).
    std::size_t batch_size = 100;
};

/// Periodic reconciliation. `on_failure` receives the error of a pass that
/// could not run (the repository could not list the work, or a dependency
/// threw); `on_report` receives the report of every pass that changed or
/// skipped something. Both are called on the background thread and must not
/// throw. Thread-safe: start/stop/run_once from any thread.
class BookingReconciler {
public:
    using OnFailure = std::function<void(const Error&)>;
    using OnReport = std::function<void(const ReconcileReport&)>;

    /// `service` must outlive the reconciler.
    BookingReconciler(BookingService& service, BookingReconcilerOptions options,
                      OnFailure on_failure = {}, OnReport on_report = {});
    /// Stops and joins.
    ~BookingReconciler();
    BookingReconciler(const BookingReconciler&) = delete;
    BookingReconciler& operator=(const BookingReconciler&) = delete;

    /// Starts the background thread (no-op if running).
    void start();
    /// Stops and joins; a pass in progress finishes first. Idempotent.
    void stop();
    /// Runs one pass on the calling thread and reports it like a timed pass.
    void run_once();

private:
    BookingService& service_;
    BookingReconcilerOptions options_;
    OnFailure on_failure_;
    OnReport on_report_;
    PeriodicTask task_;
};

}  // namespace flightbook::booking
