#include "flightbook/booking/booking_reconciler.hpp"

#include <exception>

namespace flightbook::booking {

BookingReconciler::BookingReconciler(BookingService& service, BookingReconcilerOptions options,
                                     OnFailure on_failure, OnReport on_report)
    : service_(service),
      options_(options),
      on_failure_(std::move(on_failure)),
      on_report_(std::move(on_report)),
      task_(options.interval, [this] { run_once(); }) {}

BookingReconciler::~BookingReconciler() { stop(); }

void BookingReconciler::start() { task_.start(); }

void BookingReconciler::stop() { task_.stop(); }

void BookingReconciler::run_once() {
    // The pass runs on a background thread where an escaping exception would
    // end the process; an adapter that throws is reported like any failure.
    try {
        auto report = service_.reconcile_once(options_.batch_size);
        if (!report) {
            if (on_failure_) on_failure_(report.error());
            return;
        }
        const ReconcileReport& r = *report;
        const bool eventful =
            r.confirmed + r.failed + r.expired + r.settled + r.refunded + r.skipped > 0;
        if (eventful && on_report_) on_report_(r);
    } catch (const std::exception& e) {
        if (on_failure_) on_failure_(Error{ErrorCode::kInternal, e.what()});
    }
}

}  // namespace flightbook::booking
