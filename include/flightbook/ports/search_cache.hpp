#pragma once
/// \file
/// The `SearchCache` port: the second tier of the search cache, shared by
/// every flight-service instance (SPEC §6), plus a computation lock per key
/// so that one instance computes a cold or expiring answer while the others
/// wait for it or serve what they have. Adapters:
/// `memory::InMemorySearchCache` (one process) and `redis::RedisSearchCache`.
///
/// A cache is never a source of truth: any error means "no cache right now",
/// and the caller computes the answer itself.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "flightbook/result.hpp"

namespace flightbook {

/// A cache that several flight-service instances share (SPEC §6).
///
/// Keys and values are arbitrary bytes (binary-safe). The lock is advisory
/// and expires by itself, so a holder that dies never blocks a key for longer
/// than the lock's ttl; a holder that outlives its ttl may find the lock
/// taken by someone else, which `unlock` then leaves alone. Every `ttl` must
/// be positive (else `kInvalidArgument`).
///
/// Implementations are thread-safe.
class SearchCache {
public:
    virtual ~SearchCache() = default;

    /// The bytes stored under `key`, or nullopt. Errors: kUnavailable.
    [[nodiscard]] virtual Result<std::optional<std::string>> get(std::string_view key) = 0;

    /// Stores `value` for `ttl`. Errors: kUnavailable.
    [[nodiscard]] virtual Status put(std::string_view key, std::string_view value,
                                     std::chrono::milliseconds ttl) = 0;

    /// Takes the computation lock of `key` for `ttl` if nobody holds it: the
    /// owner's token, or nullopt when held by another. Errors: kUnavailable.
    [[nodiscard]] virtual Result<std::optional<std::string>> try_lock(
        std::string_view key, std::chrono::milliseconds ttl) = 0;

    /// Releases the lock only if `token` still owns it (answers whether it
    /// did). Errors: kUnavailable.
    [[nodiscard]] virtual Result<bool> unlock(std::string_view key, std::string_view token) = 0;
};

}  // namespace flightbook
