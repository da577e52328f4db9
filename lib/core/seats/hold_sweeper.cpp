#include "flightbook/seats/hold_sweeper.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace flightbook {

struct HoldSweeper::Impl {
    SeatInventory& inventory;
    const Clock& clock;
    HoldSweeperOptions options;
    OnExpired on_expired;
    std::atomic<std::uint64_t> expired_total{0};
    std::atomic<std::uint64_t> failed_sweeps{0};

    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread thread;

    Impl(SeatInventory& inv, const Clock& c, HoldSweeperOptions o, OnExpired cb)
        : inventory(inv), clock(c), options(o), on_expired(std::move(cb)) {}
};

HoldSweeper::HoldSweeper(SeatInventory& inventory, const Clock& clock, HoldSweeperOptions options,
                         OnExpired on_expired)
    : impl_(std::make_unique<Impl>(inventory, clock, options, std::move(on_expired))) {
    if (impl_->options.batch_size == 0) impl_->options.batch_size = 1;
}

HoldSweeper::~HoldSweeper() { stop(); }

Result<std::size_t> HoldSweeper::sweep_once() {
    std::size_t expired = 0;
    for (std::size_t i = 0; i < impl_->options.max_batches_per_sweep; ++i) {
        // Each batch reads the clock afresh: a long sweep also takes holds
        // that expired while it ran.
        auto batch =
            impl_->inventory.release_expired(impl_->clock.now(), impl_->options.batch_size);
        if (!batch) {
            ++impl_->failed_sweeps;
            return fail(std::move(batch).error());
        }
        expired += batch->size();
        impl_->expired_total += batch->size();
        if (impl_->on_expired) {
            for (const Reservation& r : *batch) impl_->on_expired(r);
        }
        if (batch->size() < impl_->options.batch_size) break;
    }
    return expired;
}

void HoldSweeper::start() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->thread.joinable()) return;
    impl_->stopping = false;
    impl_->thread = std::thread([this] {
        std::unique_lock lk(impl_->mutex);
        while (!impl_->stopping) {
            lk.unlock();
            (void)sweep_once();  // failures are counted; the next sweep retries
            lk.lock();
            impl_->wake.wait_for(lk, std::chrono::milliseconds(impl_->options.interval_ms),
                                 [this] { return impl_->stopping; });
        }
    });
}

void HoldSweeper::stop() {
    std::thread thread;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
        thread = std::move(impl_->thread);
    }
    impl_->wake.notify_all();
    if (thread.joinable()) thread.join();
}

std::uint64_t HoldSweeper::expired_total() const noexcept { return impl_->expired_total.load(); }

std::uint64_t HoldSweeper::failed_sweeps() const noexcept { return impl_->failed_sweeps.load(); }

}  // namespace flightbook
