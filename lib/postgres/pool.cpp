#include "flightbook/postgres/pool.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

namespace flightbook::postgres {

struct ConnectionPool::Impl {
    PoolOptions options;
    mutable std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<Connection>> idle;
    std::size_t open = 0;  // idle + leased + being opened
    std::uint64_t created_total = 0;
    std::uint64_t discarded_total = 0;
    std::uint64_t waits_total = 0;
    std::uint64_t wait_timeouts_total = 0;
    metrics::Counter* waits_served = nullptr;
    metrics::Counter* waits_timed_out = nullptr;

    [[nodiscard]] ConnectOptions connect_options() const {
        return ConnectOptions{options.dsn, options.connect_timeout_ms,
                              options.statement_timeout_ms};
    }
};

ConnectionPool::ConnectionPool(PoolOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
}

ConnectionPool::~ConnectionPool() = default;

Result<std::shared_ptr<ConnectionPool>> ConnectionPool::create(PoolOptions options) {
    if (options.size == 0)
        return fail(ErrorCode::kInvalidArgument, "postgres: pool size must be >= 1");
    std::shared_ptr<ConnectionPool> pool(new ConnectionPool(std::move(options)));
    auto first = Connection::connect(pool->impl_->connect_options());
    if (!first) return fail(std::move(first).error());
    pool->impl_->idle.push_back(std::move(first).value());
    pool->impl_->open = 1;
    pool->impl_->created_total = 1;
    return pool;
}

Result<Lease> ConnectionPool::acquire() {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(impl_->options.acquire_timeout_ms);
    std::unique_lock lock(impl_->mutex);
    bool waited = false;
    const auto served = [&] {
        if (!waited) return;
        if (impl_->waits_served != nullptr) impl_->waits_served->inc();
    };
    for (;;) {
        if (!impl_->idle.empty()) {
            std::unique_ptr<Connection> connection = std::move(impl_->idle.back());
            impl_->idle.pop_back();
            if (!connection->probe()) {
                // Dropped while idle (server restart, admin kill): replace it.
                --impl_->open;
                ++impl_->discarded_total;
                continue;
            }
            served();
            return Lease(shared_from_this(), std::move(connection));
        }
        if (impl_->open < impl_->options.size) {
            ++impl_->open;  // reserve the slot, connect without the lock
            lock.unlock();
            auto connection = Connection::connect(impl_->connect_options());
            lock.lock();
            if (!connection) {
                --impl_->open;
                impl_->available.notify_one();
                return fail(std::move(connection).error());
            }
            ++impl_->created_total;
            served();
            return Lease(shared_from_this(), std::move(connection).value());
        }
        if (!waited) {
            waited = true;
            ++impl_->waits_total;
        }
        if (impl_->available.wait_until(lock, deadline) == std::cv_status::timeout &&
            impl_->idle.empty() && impl_->open >= impl_->options.size) {
            ++impl_->wait_timeouts_total;
            if (impl_->waits_timed_out != nullptr) impl_->waits_timed_out->inc();
            return fail(ErrorCode::kResourceExhausted,
                        fmt::format("postgres: no free connection within {} ms (pool size {})",
                                    impl_->options.acquire_timeout_ms, impl_->options.size));
        }
    }
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) noexcept {
    // A connection left inside a transaction (or lost) is not reusable: close
    // it, and the slot is refilled by the next acquire().
    const bool reusable = connection && connection->is_idle();
    if (!reusable) connection.reset();
    std::lock_guard lock(impl_->mutex);
    if (reusable) {
        impl_->idle.push_back(std::move(connection));
    } else {
        --impl_->open;
        ++impl_->discarded_total;
    }
    impl_->available.notify_one();
}

void ConnectionPool::attach_metrics(metrics::Registry& registry, std::string_view pool_name) {
    auto& family = registry.counter(
        "flightbook_db_pool_waits_total",
        "PostgreSQL pool acquires that had to wait for a leased connection, by outcome",
        {"pool", "outcome"});
    std::lock_guard lock(impl_->mutex);
    impl_->waits_served = &family.with({pool_name, "served"});
    impl_->waits_timed_out = &family.with({pool_name, "timed_out"});
}

PoolStats ConnectionPool::stats() const {
    std::lock_guard lock(impl_->mutex);
    return PoolStats{impl_->open,          impl_->idle.size(),
                     impl_->created_total, impl_->discarded_total,
                     impl_->waits_total,   impl_->wait_timeouts_total};
}

const PoolOptions& ConnectionPool::options() const noexcept { return impl_->options; }

Lease::Lease(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)) {}

Lease::Lease(Lease&& other) noexcept = default;

Lease& Lease::operator=(Lease&& other) noexcept {
    if (this != &other) {
        give_back();
        pool_ = std::move(other.pool_);
        connection_ = std::move(other.connection_);
    }
    return *this;
}

Lease::~Lease() { give_back(); }

void Lease::give_back() noexcept {
    if (pool_ && connection_) pool_->give_back(std::move(connection_));
    pool_.reset();
}

}  // namespace flightbook::postgres
