#pragma once
/// \file
/// The settings every flightbook service shares (SPEC §4): HTTP server
/// options, PostgreSQL, Redis and peer service URLs, declared on a `Config`
/// and read back as typed structs.

#include <memory>
#include <string>

#include "flightbook/app/config.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/postgres/pool.hpp"

namespace flightbook::app {

/// Declares the HTTP server settings: `--port` (PORT) and
/// `--bind-address`, `--worker-threads`, `--max-body-bytes`,
/// `--read-timeout-ms`, `--write-timeout-ms`, `--idle-timeout-ms`,
/// `--keep-alive-max-count`, `--tcp-nodelay`, `--access-log`, `--service-token`
/// (FLIGHTBOOK_BIND_ADDRESS, FLIGHTBOOK_WORKER_THREADS, …).
void define_server_settings(Config& config, int default_port);

/// Server options from the declared settings, validated (port range, at
/// least one worker thread, positive timeouts).
[[nodiscard]] Result<http::ServerOptions> server_options(const Config& config,
                                                         std::string service_name);

/// The shared secret that internal endpoints require (empty: none).
[[nodiscard]] std::string service_token(const Config& config);

/// PostgreSQL connection settings (DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME).
struct DatabaseSettings {
    std::string host;
    int port = 5432;
    std::string user;
    std::string password;
    std::string name;
    /// A libpq keyword/value connection string with values quoted.
    [[nodiscard]] std::string conninfo() const;
};

/// Declares `--db-host`, `--db-port`, `--db-user`, `--db-password`, `--db-name`,
/// and `--db-dsn` (a libpq string that replaces them) and `--db-pool-size`.
void define_database_settings(Config& config, std::string default_db_name,
                              int default_pool_size = 16);
[[nodiscard]] Result<DatabaseSettings> database_settings(const Config& config);

/// The connection pool the database settings describe, with its waits
/// counted in `registry` under `pool_name` (when a registry is given).
/// Errors: bad settings; `kUnavailable` when the server cannot be reached.
[[nodiscard]] Result<std::shared_ptr<postgres::ConnectionPool>> database_pool(
    const Config& config, metrics::Registry* registry, std::string_view pool_name);

/// Redis settings (REDIS_HOST REDIS_PORT).
struct RedisSettings {
    std::string host;
    int port = 6379;
};
void define_redis_settings(Config& config);
[[nodiscard]] Result<RedisSettings> redis_settings(const Config& config);

/// Declares a peer service base URL, e.g. ("flight-service-url",
/// "FLIGHT_SERVICE_URL", "http://127.0.0.1:8080").
void define_service_url(Config& config, std::string flag, std::string env, std::string default_url);
/// The URL, checked to look like http(s)://host[:port] without a path.
[[nodiscard]] Result<std::string> service_url(const Config& config, std::string_view flag);

}  // namespace flightbook::app
