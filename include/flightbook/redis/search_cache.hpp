#pragma once
/// \file
/// The Redis `SearchCache`: the tier that every flight-service instance
/// shares (SPEC §6).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "flightbook/ports/search_cache.hpp"
#include "flightbook/redis/client.hpp"

namespace flightbook::redis {

/// Settings of the Redis search cache.
struct SearchCacheOptions {
    /// Prefix of every key: values live at `<prefix><key>` and locks at
    /// `<prefix>lock:<key>`, so keys beginning with "lock:" are reserved.
    std::string key_prefix = "flightbook:search:";
};

/// Values stored with `SET PX` (expiry by Redis), read with `GET`. A lock is
/// a key set with `SET NX PX` to a random 128-bit token (32 hex digits) and
/// released by a Lua compare-and-delete, so only its owner removes it.
/// Errors: every failure of the client (connection, timeout, pool, reply
/// error) is `kUnavailable`, with the cause in the message; a non-positive
/// ttl is `kInvalidArgument`. Works with any `maxmemory-policy`: an evicted
/// value is a miss, an evicted lock is a free lock.
///
/// Thread-safe (the client is).
class RedisSearchCache final : public SearchCache {
public:
    explicit RedisSearchCache(std::shared_ptr<Client> client, SearchCacheOptions options = {});

    [[nodiscard]] Result<std::optional<std::string>> get(std::string_view key) override;
    [[nodiscard]] Status put(std::string_view key, std::string_view value,
                             std::chrono::milliseconds ttl) override;
    [[nodiscard]] Result<std::optional<std::string>> try_lock(
        std::string_view key, std::chrono::milliseconds ttl) override;
    [[nodiscard]] Result<bool> unlock(std::string_view key, std::string_view token) override;

    [[nodiscard]] const SearchCacheOptions& options() const noexcept { return options_; }

private:
    [[nodiscard]] std::string value_key(std::string_view key) const;
    [[nodiscard]] std::string lock_key(std::string_view key) const;

    std::shared_ptr<Client> client_;
    SearchCacheOptions options_;
};

}  // namespace flightbook::redis
