#pragma once
/// \file
/// `LruCache<Key, Value>`: a thread-safe in-process cache bounded by a byte
/// budget, with a time to live per entry and probabilistic early expiration.
///
/// Why: the first tier of the search cache (issue 10) sits in front of a
/// shared tier and of the search itself. It must stay within a memory budget
/// whatever the mix of large and small answers, must not serve a value past
/// its TTL, and must not let every request miss a hot key at the same instant
/// when it expires (a stampede). The last point uses the "XFetch" rule of
/// Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
/// Prevention" (VLDB 2015): a reader refreshes early, with a probability that
/// grows as expiry approaches and with how long the value took to compute.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <unordered_map>
#include <utility>

#include "flightbook/clock.hpp"

namespace flightbook {

/// Settings of an `LruCache`:
///     LruCache<std::string, std::shared_ptr<const Answer>> cache(clock, {.max_bytes = 64 << 20});
struct LruCacheOptions {
    /// The byte budget: the sum of the `bytes` of the stored entries never
    /// exceeds it. 0 stores nothing.
    std::size_t max_bytes = std::size_t{64} << 20;
    /// The XFetch `beta`: > 1 refreshes earlier, < 1 later, 0 never early.
    double beta = 1.0;
    /// Draws `u`, uniform in (0, 1], for the XFetch rule. Called outside the
    /// cache's lock, possibly from several threads at once, so it must be
    /// thread-safe. Empty: a thread-local PRNG. Tests inject a constant.
    std::function<double()> uniform{};
};

/// A key-value cache with least-recently-used eviction under a byte budget.
///
/// - `put(key, value, bytes, ttl, compute_time)` stores `value`, which costs
///   `bytes` of the budget (the caller's estimate, key and bookkeeping
///   included), until `ttl` after `clock.steady_now()`. Least recently used
///   entries are evicted until the total fits. An entry larger than the whole
///   budget is not stored (and replaces nothing: an older entry for the key
///   is removed, so a stale value is not served in place of the new one).
/// - `get(key)` answers the value and marks the entry most recently used. An
///   entry at or past its expiry is a miss, and is removed by that `get`.
/// - Early refresh: a hit also says whether this caller should recompute the
///   value now, before it expires. With `delta` = the entry's `compute_time`
///   and `u` drawn uniformly from (0, 1], `refresh` is
///       now - delta * beta * ln(u) >= expiry
///   i.e. each reader refreshes from its own random point before expiry, on
///   average `delta * beta` before it. Far from expiry it is practically
///   never true; on a hot key some reader draws it shortly before expiry and
///   recomputes (then `put`s) while the others keep getting the cached
///   value. It is a probability, not a lease: several readers can be told
///   to refresh, so the recomputation itself should be deduplicated (e.g. by
///   `SingleFlight`) or be cheap enough to repeat.
///   A `compute_time` of 0 (or `beta` 0) never refreshes early.
///
/// `Value` is copied out on every hit, so it should be cheap to copy: use
/// `std::shared_ptr<const T>` for anything large. Values are destroyed
/// outside the lock (eviction and expiry release them after unlocking).
///
/// Thread-safe: one mutex guards the map, the recency list and the counters;
/// each call holds it for a hash lookup and a few pointer moves. The clock
/// must outlive the cache.
template <typename Key, typename Value, typename Hash = std::hash<Key>>
class LruCache {
public:
    using key_type = Key;
    using value_type = Value;

    /// One cached value and the early-refresh verdict for this caller.
    struct Hit {
        Value value;
        /// True when this caller should recompute the value (see the class
        /// comment); the value is still valid and may be served meanwhile.
        bool refresh = false;
    };

    /// Counters since construction (`hits` .. `evictions`) and the current
    /// contents (`entries`, `bytes`).
    struct Stats {
        std::uint64_t hits = 0;       ///< `get`s that found a live entry.
        std::uint64_t misses = 0;     ///< `get`s that did not (expired ones included).
        std::uint64_t expired = 0;    ///< Misses on an entry past its expiry.
        std::uint64_t evictions = 0;  ///< Entries dropped to fit the budget.
        std::size_t entries = 0;      ///< Entries stored now.
        std::size_t bytes = 0;        ///< Sum of their `bytes`; never above `max_bytes`.
    };

    LruCache(const Clock& clock, LruCacheOptions options)
        : clock_(clock),
          max_bytes_(options.max_bytes),
          beta_(options.beta),
          uniform_(std::move(options.uniform)) {}
    LruCache(const LruCache&) = delete;
    LruCache& operator=(const LruCache&) = delete;

    /// The live value of `key` with the early-refresh verdict, or nullopt
    /// (absent or expired; an expired entry is removed).
    [[nodiscard]] std::optional<Hit> get(const Key& key) {
        const auto now = clock_.steady_now();
        std::list<Entry> dead;  // released after the lock
        std::optional<Hit> hit;
        TimePoint expiry;
        std::chrono::microseconds delta{0};
        {
            std::lock_guard lock(mutex_);
            auto it = index_.find(key);
            if (it == index_.end()) {
                ++misses_;
                return std::nullopt;
            }
            auto node = it->second;
            if (now >= node->expiry) {
                ++misses_;
                ++expired_;
                bytes_ -= node->bytes;
                index_.erase(it);
                dead.splice(dead.end(), lru_, node);
                return std::nullopt;
            }
            ++hits_;
            lru_.splice(lru_.begin(), lru_, node);
            hit.emplace(Hit{node->value, false});
            expiry = node->expiry;
            delta = node->compute_time;
        }
        hit->refresh = refresh_early(now, expiry, delta);
        return hit;
    }

    /// Stores `value` for `key` (replacing any entry) as costing `bytes`,
    /// live for `ttl` from now; `compute_time` is how long the value took to
    /// compute (the XFetch `delta`). Evicts least recently used entries until
    /// the total fits. Returns false, storing nothing, when `bytes` exceeds
    /// the whole budget or `ttl` is not positive.
    bool put(const Key& key, Value value, std::size_t bytes, std::chrono::milliseconds ttl,
             std::chrono::microseconds compute_time = std::chrono::microseconds{0}) {
        const auto now = clock_.steady_now();
        const bool storable = bytes <= max_bytes_ && ttl.count() > 0;
        std::list<Entry> dead;  // released after the lock
        if (storable) {
            // Built before locking: the allocation stays out of the critical section.
            // A century is forever, and keeps `now + ttl` within the clock's range.
            const auto live =
                std::min(ttl, std::chrono::milliseconds(std::chrono::hours(24 * 365 * 100)));
            dead.push_back(Entry{key, std::move(value), bytes, now + live, compute_time});
        }
        std::lock_guard lock(mutex_);
        if (auto it = index_.find(key); it != index_.end()) {
            bytes_ -= it->second->bytes;
            dead.splice(dead.end(), lru_, it->second);
            index_.erase(it);
        }
        if (!storable) return false;
        while (bytes_ > max_bytes_ - bytes && !lru_.empty()) {
            auto victim = std::prev(lru_.end());
            bytes_ -= victim->bytes;
            index_.erase(victim->key);
            dead.splice(dead.end(), lru_, victim);
            ++evictions_;
        }
        lru_.splice(lru_.begin(), dead, dead.begin());
        try {
            index_.emplace(key, lru_.begin());
        } catch (...) {
            dead.splice(dead.end(), lru_, lru_.begin());
            throw;
        }
        bytes_ += bytes;
        return true;
    }

    /// Removes `key`; returns whether it was stored (expired or not).
    bool erase(const Key& key) {
        std::list<Entry> dead;  // released after the lock
        std::lock_guard lock(mutex_);
        auto it = index_.find(key);
        if (it == index_.end()) return false;
        bytes_ -= it->second->bytes;
        dead.splice(dead.end(), lru_, it->second);
        index_.erase(it);
        return true;
    }

    /// Removes every entry. The counters are kept.
    void clear() {
        std::list<Entry> dead;  // released after the lock
        std::lock_guard lock(mutex_);
        dead.splice(dead.end(), lru_);
        index_.clear();
        bytes_ = 0;
    }

    [[nodiscard]] Stats stats() const {
        std::lock_guard lock(mutex_);
        return Stats{hits_, misses_, expired_, evictions_, index_.size(), bytes_};
    }

    [[nodiscard]] std::size_t max_bytes() const noexcept { return max_bytes_; }

private:
    using TimePoint = std::chrono::steady_clock::time_point;

    struct Entry {
        Key key;
        Value value;
        std::size_t bytes;
        TimePoint expiry;
        std::chrono::microseconds compute_time;
    };

    // The XFetch rule, outside the lock.
    bool refresh_early(TimePoint now, TimePoint expiry, std::chrono::microseconds delta) const {
        if (delta.count() <= 0 || !(beta_ > 0.0)) return false;
        double u = uniform_ ? uniform_() : thread_uniform();
        if (!(u > 0.0)) u = std::numeric_limits<double>::min();  // ln(0) = -inf; NaN too
        if (u > 1.0) u = 1.0;
        // How far before expiry this draw refreshes: -delta * beta * ln(u) >= 0.
        const double early_us = -static_cast<double>(delta.count()) * beta_ * std::log(u);
        const double left_us = std::chrono::duration<double, std::micro>(expiry - now).count();
        return early_us >= left_us;
    }

    // Uniform in (0, 1] from a per-thread generator (53 random bits).
    static double thread_uniform() {
        thread_local std::mt19937_64 engine{std::random_device{}()};
        return static_cast<double>((engine() >> 11) + 1) * 0x1.0p-53;
    }

    const Clock& clock_;
    const std::size_t max_bytes_;
    const double beta_;
    const std::function<double()> uniform_;

    mutable std::mutex mutex_;
    std::list<Entry> lru_;  // most recently used first; under mutex_
    std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> index_;  // under mutex_
    std::size_t bytes_ = 0;                                                     // under mutex_
    std::uint64_t hits_ = 0;                                                    // under mutex_
    std::uint64_t misses_ = 0;                                                  // under mutex_
    std::uint64_t expired_ = 0;                                                 // under mutex_
    std::uint64_t evictions_ = 0;                                               // under mutex_
};

}  // namespace flightbook
