#pragma once
/// \file
/// The in-memory `SearchCache`: for a single flight-service instance and for
/// tests; the reference semantics the Redis adapter is tested against.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "flightbook/clock.hpp"
#include "flightbook/ports/search_cache.hpp"

namespace flightbook::memory {

/// Values and locks in process memory, expiring by `clock.steady_now()`: an
/// entry or lock is gone from its expiry on. Expired entries are dropped when
/// read, and all at once whenever the number of stored entries has doubled
/// since the last sweep, so memory stays proportional to the live entries.
/// Lock tokens are unique per instance (a counter) and hard to guess (random
/// bits). Never fails except for a non-positive ttl (`kInvalidArgument`).
///
/// Thread-safe (one mutex). `clock` must outlive the cache.
class InMemorySearchCache final : public SearchCache {
public:
    explicit InMemorySearchCache(const Clock& clock);
    ~InMemorySearchCache() override;
    InMemorySearchCache(const InMemorySearchCache&) = delete;
    InMemorySearchCache& operator=(const InMemorySearchCache&) = delete;

    [[nodiscard]] Result<std::optional<std::string>> get(std::string_view key) override;
    [[nodiscard]] Status put(std::string_view key, std::string_view value,
                             std::chrono::milliseconds ttl) override;
    [[nodiscard]] Result<std::optional<std::string>> try_lock(
        std::string_view key, std::chrono::milliseconds ttl) override;
    [[nodiscard]] Result<bool> unlock(std::string_view key, std::string_view token) override;

private:
    struct State;
    const Clock& clock_;
    std::unique_ptr<State> state_;
};

}  // namespace flightbook::memory
