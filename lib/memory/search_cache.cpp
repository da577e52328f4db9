#include "flightbook/memory/search_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <unordered_map>

namespace flightbook::memory {

namespace {

using TimePoint = std::chrono::steady_clock::time_point;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};

template <typename T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

struct Entry {
    std::string value;
    TimePoint expiry;
};

struct Lock {
    std::string token;
    TimePoint expiry;
};

// Drops the expired entries of `map` once it has doubled since the last sweep.
template <typename T>
void sweep_if_grown(StringMap<T>& map, std::size_t& watermark, TimePoint now) {
    if (map.size() < 2 * watermark) return;
    std::erase_if(map, [now](const auto& kv) { return now >= kv.second.expiry; });
    watermark = std::max<std::size_t>(map.size(), 64);
}

Status check_ttl(std::chrono::milliseconds ttl) {
    if (ttl.count() > 0) return ok();
    return fail(ErrorCode::kInvalidArgument, "search cache: the ttl must be positive");
}

// `now + ttl` without overflowing the clock's nanoseconds: a century is forever.
TimePoint expiry_after(TimePoint now, std::chrono::milliseconds ttl) {
    constexpr std::chrono::milliseconds kForever = std::chrono::hours(24 * 365 * 100);
    return now + std::min(ttl, kForever);
}

}  // namespace

struct InMemorySearchCache::State {
    std::mutex mutex;
    StringMap<Entry> entries;  // under mutex
    StringMap<Lock> locks;     // under mutex
    std::size_t entries_watermark = 64;
    std::size_t locks_watermark = 64;
    std::uint64_t next_token = 0;                    // under mutex
    std::mt19937_64 random{std::random_device{}()};  // under mutex
};

InMemorySearchCache::InMemorySearchCache(const Clock& clock)
    : clock_(clock), state_(std::make_unique<State>()) {}

InMemorySearchCache::~InMemorySearchCache() = default;

Result<std::optional<std::string>> InMemorySearchCache::get(std::string_view key) {
    const TimePoint now = clock_.steady_now();
    std::lock_guard lock(state_->mutex);
    auto it = state_->entries.find(key);
    if (it == state_->entries.end()) return std::optional<std::string>{};
    if (now >= it->second.expiry) {
        state_->entries.erase(it);
        return std::optional<std::string>{};
    }
    return std::optional<std::string>{it->second.value};
}

Status InMemorySearchCache::put(std::string_view key, std::string_view value,
                                std::chrono::milliseconds ttl) {
    FLIGHTBOOK_TRY_STATUS(check_ttl(ttl));
    const TimePoint now = clock_.steady_now();
    Entry entry{std::string(value), expiry_after(now, ttl)};
    std::lock_guard lock(state_->mutex);
    if (auto it = state_->entries.find(key); it != state_->entries.end()) {
        it->second = std::move(entry);
        return ok();
    }
    sweep_if_grown(state_->entries, state_->entries_watermark, now);
    state_->entries.emplace(std::string(key), std::move(entry));
    return ok();
}

Result<std::optional<std::string>> InMemorySearchCache::try_lock(std::string_view key,
                                                                 std::chrono::milliseconds ttl) {
    FLIGHTBOOK_TRY_STATUS(check_ttl(ttl));
    const TimePoint now = clock_.steady_now();
    std::lock_guard lock(state_->mutex);
    auto it = state_->locks.find(key);
    if (it != state_->locks.end() && now < it->second.expiry) {
        return std::optional<std::string>{};
    }
    Lock taken{fmt::format("{:016x}{:016x}", state_->random(), ++state_->next_token),
               expiry_after(now, ttl)};
    std::string token = taken.token;
    if (it != state_->locks.end()) {
        it->second = std::move(taken);
    } else {
        sweep_if_grown(state_->locks, state_->locks_watermark, now);
        state_->locks.emplace(std::string(key), std::move(taken));
    }
    return std::optional<std::string>{std::move(token)};
}

Result<bool> InMemorySearchCache::unlock(std::string_view key, std::string_view token) {
    const TimePoint now = clock_.steady_now();
    std::lock_guard lock(state_->mutex);
    auto it = state_->locks.find(key);
    if (it == state_->locks.end()) return false;
    if (now >= it->second.expiry) {
        state_->locks.erase(it);
        return false;
    }
    if (it->second.token != token) return false;
    state_->locks.erase(it);
    return true;
}

}  // namespace flightbook::memory
