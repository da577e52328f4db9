#pragma once
/// \file
/// A bounded PostgreSQL connection pool whose lease is a move-only RAII guard.

#include <cstddef>
#include <cstdint>
#include <memory>

#include "flightbook/metrics/registry.hpp"
#include "flightbook/postgres/connection.hpp"
#include "flightbook/result.hpp"

namespace flightbook::postgres {

/// Pool settings. Units are in the field names.
struct PoolOptions {
    /// libpq connection string or URI.
    std::string dsn;
    /// Maximum number of open connections (at least 1).
    std::size_t size = 4;
    /// How long `acquire()` waits for a free connection.
    std::int64_t acquire_timeout_ms = 2000;
    /// Time allowed to open one connection.
    std::int64_t connect_timeout_ms = 3000;
    /// Server-side statement timeout for every connection; 0 disables it.
    std::int64_t statement_timeout_ms = 5000;
};

/// Counters for tests and metrics.
struct PoolStats {
    std::size_t open = 0;                   ///< Connections currently open.
    std::size_t idle = 0;                   ///< Open and not leased.
    std::uint64_t created_total = 0;        ///< Connections ever opened.
    std::uint64_t discarded_total = 0;      ///< Broken connections dropped.
    std::uint64_t waits_total = 0;          ///< Acquires that waited for a leased connection.
    std::uint64_t wait_timeouts_total = 0;  ///< Acquires that gave up (kResourceExhausted).
};

class ConnectionPool;

/// Exclusive use of one pooled connection. Move-only. On destruction the
/// connection goes back to the pool, or is closed and replaced later when it
/// is broken or was left inside a transaction.
class Lease {
public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    [[nodiscard]] Connection& operator*() const noexcept { return *connection_; }
    [[nodiscard]] Connection* operator->() const noexcept { return connection_.get(); }

private:
    friend class ConnectionPool;
    Lease(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> connection);
    void give_back() noexcept;

    std::shared_ptr<ConnectionPool> pool_;
    std::unique_ptr<Connection> connection_;
};

/// At most `size` connections, opened lazily. Thread-safe. Leases keep the
/// pool alive, so the pool may be dropped by its owner before its leases.
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
public:
    /// Builds a pool and opens one connection to check the settings.
    /// Errors: `kInvalidArgument` for size 0, `kUnavailable` when the server
    /// cannot be reached.
    [[nodiscard]] static Result<std::shared_ptr<ConnectionPool>> create(PoolOptions options);

    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// A free connection, opening a new one while fewer than `size` are open.
    /// Errors: `kResourceExhausted` after `acquire_timeout_ms` with every
    /// connection leased; `kUnavailable` when a new connection cannot be opened.
    [[nodiscard]] Result<Lease> acquire();

    [[nodiscard]] PoolStats stats() const;

    /// Counts waits in `registry` from now on:
    /// `flightbook_db_pool_waits_total{pool,outcome=served|timed_out}`.
    /// Call once, before the pool is shared between threads.
    void attach_metrics(metrics::Registry& registry, std::string_view pool_name);
    [[nodiscard]] const PoolOptions& options() const noexcept;

    struct Impl;

private:
    friend class Lease;
    explicit ConnectionPool(PoolOptions options);
    void give_back(std::unique_ptr<Connection> connection) noexcept;
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::postgres
