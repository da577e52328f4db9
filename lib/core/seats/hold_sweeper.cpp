#include "flightbook/seats/hold_sweeper.hpp"

#include <atomic>

#include "flightbook/periodic_task.hpp"

namespace flightbook {

struct HoldSweeper::Impl {
    SeatInventory& inventory;
    const Clock& clock;
    HoldSweeperOptions options;
    OnExpired on_expired;
    const Logger* logger;
    metrics::CounterFamily* sweeps = nullptr;
    metrics::Counter* expired_metric = nullptr;
    std::atomic<std::uint64_t> expired_total{0};
    std::atomic<std::uint64_t> failed_sweeps{0};
    PeriodicTask task;

    Impl(HoldSweeper& owner, SeatInventory& inv, const Clock& c, HoldSweeperOptions o, OnExpired cb,
         const Logger* log)
        : inventory(inv),
          clock(c),
          options(o),
          on_expired(std::move(cb)),
          logger(log),
          task(std::chrono::milliseconds(o.interval_ms), [&owner] {
              (void)owner.sweep_once();  // counted and logged; the next sweep retries
          }) {}
};

HoldSweeper::HoldSweeper(SeatInventory& inventory, const Clock& clock, HoldSweeperOptions options,
                         OnExpired on_expired, const Logger* logger,
                         const std::shared_ptr<metrics::Registry>& registry) {
    if (options.batch_size == 0) options.batch_size = 1;
    if (options.interval_ms < 1) options.interval_ms = 1;
    impl_ = std::make_unique<Impl>(*this, inventory, clock, options, std::move(on_expired), logger);
    if (registry) {
        impl_->sweeps = &registry->counter("flightbook_hold_sweeps_total",
                                           "Sweeps for expired seat holds, by result", {"result"});
        impl_->expired_metric = &registry
                                     ->counter("flightbook_holds_expired_total",
                                               "Seat holds given back because they expired")
                                     .with({});
    }
}

HoldSweeper::~HoldSweeper() { stop(); }

Result<std::size_t> HoldSweeper::sweep_once() {
    Impl& im = *impl_;
    std::size_t expired = 0;
    for (std::size_t i = 0; i < im.options.max_batches_per_sweep; ++i) {
        // Each batch reads the clock afresh: a long sweep also takes holds
        // that expired while it ran.
        auto batch = im.inventory.release_expired(im.clock.now(), im.options.batch_size);
        if (!batch) {
            ++im.failed_sweeps;
            if (im.sweeps != nullptr) im.sweeps->with({"failed"}).inc();
            if (im.logger != nullptr) {
                im.logger->warn("hold_sweep_failed", batch.error().message);
            }
            return fail(std::move(batch).error());
        }
        expired += batch->size();
        im.expired_total += batch->size();
        if (im.expired_metric != nullptr) im.expired_metric->inc(batch->size());
        if (im.on_expired) {
            for (const Reservation& r : *batch) im.on_expired(r);
        }
        if (batch->size() < im.options.batch_size) break;
    }
    if (im.sweeps != nullptr) im.sweeps->with({"ok"}).inc();
    return expired;
}

void HoldSweeper::start() { impl_->task.start(); }

void HoldSweeper::stop() { impl_->task.stop(); }

std::uint64_t HoldSweeper::expired_total() const noexcept { return impl_->expired_total.load(); }

std::uint64_t HoldSweeper::failed_sweeps() const noexcept { return impl_->failed_sweeps.load(); }

}  // namespace flightbook
