#pragma once
/// \file
/// A small Redis client over hiredis: a bounded pool of connections with
/// connect/command timeouts, binary-safe argv commands, and Lua scripts that
/// are loaded once and run by EVALSHA.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/redis/reply.hpp"
#include "flightbook/result.hpp"

namespace flightbook::redis {

/// Client settings. Units are in the field names.
struct ClientOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    /// Maximum number of open connections (at least 1).
    std::size_t pool_size = 4;
    std::int64_t connect_timeout_ms = 1000;
    /// Read/write timeout of each command; a timed-out connection is dropped.
    std::int64_t command_timeout_ms = 1000;
    /// How long a command waits for a free connection.
    std::int64_t acquire_timeout_ms = 1000;
};

/// A Lua script. The client loads it once (SCRIPT LOAD) per server and runs
/// it by EVALSHA. Immutable value, thread-safe to share.
struct Script {
    std::string name;    ///< For error messages.
    std::string source;  ///< Lua text.
};

/// Counters for tests and metrics.
struct ClientStats {
    std::uint64_t connections_created = 0;
    std::uint64_t connections_dropped = 0;
    std::uint64_t script_loads = 0;  ///< SCRIPT LOAD calls, including NOSCRIPT reloads.
};

/// Thread-safe Redis client. Connections are opened lazily (up to
/// `pool_size`); a connection that saw an I/O error or timeout is dropped and
/// replaced by the next command.
class Client {
public:
    /// Builds a client; no connection is opened until the first command, so a
    /// client exists even while Redis is down. `kInvalidArgument` for bad options.
    [[nodiscard]] static Result<std::shared_ptr<Client>> create(ClientOptions options);

    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Sends one command, each argument binary-safe. Errors: `kUnavailable`
    /// (connect failure, I/O error, timeout), `kResourceExhausted` (no free
    /// connection in time, or Redis OOM), others from the reply-error table.
    [[nodiscard]] Result<Reply> command(std::initializer_list<std::string_view> argv);
    [[nodiscard]] Result<Reply> command(const std::vector<std::string>& argv);

    /// Runs `script` by EVALSHA, loading it first if this client has not yet;
    /// on NOSCRIPT (SCRIPT FLUSH, restart, failover) reloads and retries once.
    [[nodiscard]] Result<Reply> eval(const Script& script, const std::vector<std::string>& keys,
                                     const std::vector<std::string>& args);

    [[nodiscard]] ClientStats stats() const;
    [[nodiscard]] const ClientOptions& options() const noexcept;

    struct Impl;

private:
    explicit Client(ClientOptions options);
    std::unique_ptr<Impl> impl_;
};

}  // namespace flightbook::redis
