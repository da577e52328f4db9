#include "flightbook/app/service_config.hpp"

#include <fmt/format.h>

namespace flightbook::app {
namespace {

Error invalid(std::string message) {
    return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

// libpq keyword/value strings: single quotes and backslashes are escaped.
std::string quote_conninfo(std::string_view value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

}  // namespace

void define_server_settings(Config& config, int default_port) {
    const http::ServerOptions d;
    config.define({"port", "PORT", std::to_string(default_port), "TCP port to listen on"});
    config.define({"bind-address", "FLIGHTBOOK_BIND_ADDRESS", d.bind_address,
                   "interface to listen on (0.0.0.0 for all)"});
    config.define({"worker-threads", "FLIGHTBOOK_WORKER_THREADS", std::to_string(d.worker_threads),
                   "threads serving connections"});
    config.define({"max-body-bytes", "FLIGHTBOOK_MAX_BODY_BYTES", std::to_string(d.max_body_bytes),
                   "largest accepted request body"});
    config.define({"max-header-bytes", "FLIGHTBOOK_MAX_HEADER_BYTES",
                   std::to_string(d.max_header_bytes),
                   "largest accepted request line plus header fields (431 above)"});
    config.define({"max-header-count", "FLIGHTBOOK_MAX_HEADER_COUNT",
                   std::to_string(d.max_header_count),
                   "most header fields in one request (431 above)"});
    config.define({"read-timeout-ms", "FLIGHTBOOK_READ_TIMEOUT_MS",
                   std::to_string(d.read_timeout_ms), "time to receive one whole request"});
    config.define({"write-timeout-ms", "FLIGHTBOOK_WRITE_TIMEOUT_MS",
                   std::to_string(d.write_timeout_ms), "time to send one whole answer"});
    config.define({"idle-timeout-ms", "FLIGHTBOOK_IDLE_TIMEOUT_MS",
                   std::to_string(d.idle_timeout_ms), "keep-alive idle time between requests"});
    config.define({"keep-alive-max-count", "FLIGHTBOOK_KEEP_ALIVE_MAX_COUNT",
                   std::to_string(d.keep_alive_max_count), "requests per connection"});
    config.define({"tcp-nodelay", "FLIGHTBOOK_TCP_NODELAY", d.tcp_nodelay ? "true" : "false",
                   "disable Nagle's algorithm on client connections"});
    config.define({"park-idle-connections", "FLIGHTBOOK_PARK_IDLE_CONNECTIONS",
                   d.park_idle_connections ? "true" : "false",
                   "keep-alive connections wait for their next request on one poller thread "
                   "instead of holding a worker (docs/http.md)"});
    config.define({"keep-alive-wait-us", "FLIGHTBOOK_KEEP_ALIVE_WAIT_US",
                   std::to_string(d.keep_alive_wait_us),
                   "how long a worker waits for a connection's next request before parking it"});
    config.define({"max-parked-connections", "FLIGHTBOOK_MAX_PARKED_CONNECTIONS",
                   std::to_string(d.max_parked_connections),
                   "most connections waiting on the poller at once"});
    config.define({"access-log", "FLIGHTBOOK_ACCESS_LOG", "true", "one JSON log line per request"});
    config.define({"service-token", "FLIGHTBOOK_SERVICE_TOKEN", "",
                   "shared secret for internal endpoints (empty: none)", true});
}

Result<http::ServerOptions> server_options(const Config& config, std::string service_name) {
    http::ServerOptions o;
    o.service_name = std::move(service_name);
    FLIGHTBOOK_TRY(port, config.get_port("port", true));
    FLIGHTBOOK_TRY(address, config.get_required_string("bind-address"));
    FLIGHTBOOK_TRY(workers, config.get_int("worker-threads", 1, 1024));
    FLIGHTBOOK_TRY(body, config.get_int("max-body-bytes", 1, std::int64_t{1} << 30));
    FLIGHTBOOK_TRY(head_bytes, config.get_int("max-header-bytes", 1024, std::int64_t{1} << 24));
    FLIGHTBOOK_TRY(head_count, config.get_int("max-header-count", 1, 100'000));
    FLIGHTBOOK_TRY(read, config.get_int("read-timeout-ms", 1, 3'600'000));
    FLIGHTBOOK_TRY(write, config.get_int("write-timeout-ms", 1, 3'600'000));
    FLIGHTBOOK_TRY(idle, config.get_int("idle-timeout-ms", 1, 3'600'000));
    FLIGHTBOOK_TRY(keep, config.get_int("keep-alive-max-count", 1, 1'000'000'000));
    FLIGHTBOOK_TRY(nodelay, config.get_bool("tcp-nodelay"));
    FLIGHTBOOK_TRY(park, config.get_bool("park-idle-connections"));
    FLIGHTBOOK_TRY(wait_us, config.get_int("keep-alive-wait-us", 0, 1'000'000));
    FLIGHTBOOK_TRY(parked, config.get_int("max-parked-connections", 1, 1'000'000));
    FLIGHTBOOK_TRY(access, config.get_bool("access-log"));
    o.port = port;
    o.bind_address = address;
    o.worker_threads = static_cast<std::size_t>(workers);
    o.max_body_bytes = static_cast<std::size_t>(body);
    o.max_header_bytes = static_cast<std::size_t>(head_bytes);
    o.max_header_count = static_cast<std::size_t>(head_count);
    o.read_timeout_ms = static_cast<int>(read);
    o.write_timeout_ms = static_cast<int>(write);
    o.idle_timeout_ms = static_cast<int>(idle);
    o.keep_alive_max_count = static_cast<std::size_t>(keep);
    o.tcp_nodelay = nodelay;
    o.park_idle_connections = park;
    o.keep_alive_wait_us = static_cast<int>(wait_us);
    o.max_parked_connections = static_cast<std::size_t>(parked);
    o.access_log = access;
    return o;
}

std::string service_token(const Config& config) {
    return config.get_string("service-token").value_or(std::string());
}

std::string DatabaseSettings::conninfo() const {
    return fmt::format("host={} port={} user={} password={} dbname={}", quote_conninfo(host), port,
                       quote_conninfo(user), quote_conninfo(password), quote_conninfo(name));
}

void define_database_settings(Config& config, std::string default_db_name, int default_pool_size) {
    config.define({"db-pool-size", "FLIGHTBOOK_DB_POOL_SIZE", std::to_string(default_pool_size),
                   "PostgreSQL connections"});
    config.define({"db-dsn", "FLIGHTBOOK_DB_DSN", "",
                   "libpq connection string; when set, replaces the DB_* settings", true});
    config.define({"db-host", "DB_HOST", "127.0.0.1", "PostgreSQL host"});
    config.define({"db-port", "DB_PORT", "5432", "PostgreSQL port"});
    config.define({"db-user", "DB_USER", "flightbook", "PostgreSQL user"});
    config.define({"db-password", "DB_PASSWORD", "", "PostgreSQL password", true});
    config.define({"db-name", "DB_NAME", std::move(default_db_name), "PostgreSQL database"});
}

Result<DatabaseSettings> database_settings(const Config& config) {
    FLIGHTBOOK_TRY(host, config.get_required_string("db-host"));
    FLIGHTBOOK_TRY(port, config.get_port("db-port"));
    FLIGHTBOOK_TRY(user, config.get_required_string("db-user"));
    FLIGHTBOOK_TRY(password, config.get_string("db-password"));
    FLIGHTBOOK_TRY(name, config.get_required_string("db-name"));
    return DatabaseSettings{host, port, user, password, name};
}

Result<std::shared_ptr<postgres::ConnectionPool>> database_pool(const Config& config,
                                                                metrics::Registry* registry,
                                                                std::string_view pool_name) {
    FLIGHTBOOK_TRY(dsn, config.get_string("db-dsn"));
    if (dsn.empty()) {
        FLIGHTBOOK_TRY(db, database_settings(config));
        dsn = db.conninfo();
    }
    FLIGHTBOOK_TRY(size, config.get_int("db-pool-size", 1, 1000));
    postgres::PoolOptions po;
    po.dsn = dsn;
    po.size = static_cast<std::size_t>(size);
    FLIGHTBOOK_TRY(pool, postgres::ConnectionPool::create(po));
    if (registry != nullptr) pool->attach_metrics(*registry, pool_name);
    return pool;
}

void define_redis_settings(Config& config) {
    config.define({"redis-host", "REDIS_HOST", "127.0.0.1", "Redis host"});
    config.define({"redis-port", "REDIS_PORT", "6379", "Redis port"});
}

Result<RedisSettings> redis_settings(const Config& config) {
    FLIGHTBOOK_TRY(host, config.get_required_string("redis-host"));
    FLIGHTBOOK_TRY(port, config.get_port("redis-port"));
    return RedisSettings{host, port};
}

void define_service_url(Config& config, std::string flag, std::string env,
                        std::string default_url) {
    auto help = fmt::format("base URL of the {}", flag.substr(0, flag.rfind("-url")));
    config.define({std::move(flag), std::move(env), std::move(default_url), std::move(help)});
}

Result<std::string> service_url(const Config& config, std::string_view flag) {
    FLIGHTBOOK_TRY(url, config.get_required_string(flag));
    const auto& u = url;
    const bool http = u.starts_with("http://");
    const bool https = u.starts_with("https://");
    const auto rest = std::string_view(u).substr(http ? 7 : (https ? 8 : 0));
    if ((!http && !https) || rest.empty() || rest.find_first_of("/?# ") != std::string::npos) {
        return invalid(fmt::format("--{} must look like http://host:port, got '{}'", flag, u));
    }
    return u;
}

}  // namespace flightbook::app

#undef FLIGHTBOOK_TRY
