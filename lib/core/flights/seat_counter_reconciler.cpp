#include "flightbook/flights/seat_counter_reconciler.hpp"

#include <vector>

namespace flightbook::flights {

SeatCounterReconciler::SeatCounterReconciler(SeatCounterRepair& counters, FlightService& service,
                                             std::chrono::milliseconds interval,
                                             const Logger& logger,
                                             const std::shared_ptr<metrics::Registry>& registry)
    : counters_(counters),
      service_(service),
      logger_(logger),
      task_(interval, [this] { (void)run_once(); }) {
    if (registry) {
        outcomes_ = &registry->counter("flightbook_seat_counter_reconcile_total",
                                       "Redis seat counters compared with PostgreSQL, by outcome",
                                       {"outcome"});
    }
}

Result<CounterRepairReport> SeatCounterReconciler::run_once() {
    const auto timetable = service_.timetable();
    if (!timetable) return CounterRepairReport{};
    std::vector<FlightId> ids;
    ids.reserve(timetable->flights().size());
    for (const Flight& f : timetable->flights()) ids.push_back(f.id);
    auto report = counters_.reconcile(ids);
    if (!report) {
        if (outcomes_ != nullptr) outcomes_->with({"failed"}).inc();
        logger_.warn("seat_counter_reconcile_failed", report.error().message);
        return report;
    }
    if (outcomes_ != nullptr) {
        outcomes_->with({"checked"}).inc(report->checked);
        outcomes_->with({"repaired"}).inc(report->repaired);
        outcomes_->with({"busy"}).inc(report->busy);
    }
    if (report->repaired > 0) {
        logger_.info("seat_counters_repaired", "seat counters differed from the truth",
                     [&](json::Writer& w) {
                         w.key("repaired").value(static_cast<std::uint64_t>(report->repaired));
                         w.key("checked").value(static_cast<std::uint64_t>(report->checked));
                     });
    }
    return report;
}

}  // namespace flightbook::flights
