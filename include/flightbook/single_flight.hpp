#pragma once
/// \file
/// `SingleFlight<Key, Value>`: at most one computation in flight per key;
/// concurrent callers for the same key wait for it and share its result (the
/// semantics of Go's `golang.org/x/sync/singleflight`).
///
/// Why: when a cache key is cold, many concurrent requests miss it at once.
/// In the reference system every one of those misses recomputed the value and
/// rewrote the cache, and the one computation it did share ran under its
/// first caller's cancellation, so one client going away failed every request
/// waiting on it. Here the value is computed once while the others wait, and
/// each waiter's timeout or cancellation ends only its own wait.

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "flightbook/result.hpp"

namespace flightbook {

/// How long a caller that finds a computation in flight is willing to wait
/// for it. Both limits apply to waiters only (see `SingleFlight::run`):
///     flight.run(key, compute, {.timeout = 200ms, .stop = request_token});
struct SingleFlightWait {
    /// Give up after this long; none waits until the computation finishes.
    std::optional<std::chrono::milliseconds> timeout{};
    /// Give up when a stop is requested; a default token never fires.
    std::stop_token stop{};
};

/// What `SingleFlight::run` gives back to one caller.
template <typename Value>
struct SingleFlightResult {
    /// The computation's value or error (a copy per caller), or this
    /// caller's own `kDeadlineExceeded` when it stopped waiting.
    Result<Value> value;
    /// True when this caller joined another caller's computation instead of
    /// running `compute` itself (it was a waiter, not the leader). Unlike Go's
    /// `shared`, the leader always sees false, whether or not anyone waited.
    bool shared = false;
};

/// Deduplicates concurrent computations by key.
///
/// `run(key, compute)` with no computation in flight for `key` makes the
/// caller the leader: it runs `compute()` on its own thread, and every call
/// for `key` that arrives before it finishes becomes a waiter that blocks
/// (no busy waiting) and then gets a copy of the leader's value or error.
///
/// - Nothing is cached: the key's entry is removed when the computation
///   finishes, before any caller sees the result, so a call that starts after
///   some caller has seen a result (an error too) computes again.
/// - A waiter whose `SingleFlightWait` timeout elapses or whose stop token
///   fires returns `kDeadlineExceeded` (ErrorCode has no "cancelled"; a
///   PostgreSQL query_canceled maps to the same code) and changes nothing
///   else: the computation goes on, the other waiters still get its result.
///   Waiters cannot cancel the leader; the leader ignores its own
///   `SingleFlightWait` and always runs `compute` to the end. `compute` must
///   therefore not observe any single request's cancellation, only limits
///   that are right for every caller sharing it.
/// - An exception thrown by `compute` is caught and becomes a `kInternal`
///   error for everyone, the leader included; `run` does not rethrow it.
/// - `forget(key)` detaches the computation in flight: the next call for
///   `key` starts a new one while the old one still runs; the old one's
///   waiters get the old result and its completion leaves the new entry alone.
///
/// Values: every caller gets its own copy of `Result<Value>`, so `Value` must
/// be copy-constructible. For a large value, use
/// `SingleFlight<Key, std::shared_ptr<const Big>>`: callers then share one
/// immutable object and the copies are pointer copies. A small value is
/// returned by value with no allocation beyond the call entry.
///
/// Thread-safe. `compute` must not call `run` for the same key on the same
/// object (it would wait for itself). The object must outlive every `run`.
template <typename Key, typename Value, typename Hash = std::hash<Key>,
          typename KeyEqual = std::equal_to<Key>>
class SingleFlight {
public:
    using key_type = Key;
    using value_type = Value;
    using result_type = SingleFlightResult<Value>;

    SingleFlight() = default;
    SingleFlight(const SingleFlight&) = delete;
    SingleFlight& operator=(const SingleFlight&) = delete;

    /// Runs `compute()` as the leader of `key`, or waits for the leader in
    /// flight (see the class comment). `compute` returns `Result<Value>` (or
    /// anything convertible to it). `wait` bounds a waiter's wait only.
    /// Does not throw, except `std::bad_alloc` and what copying a `Value`
    /// throws.
    template <typename Fn>
    requires std::invocable<Fn&> && std::convertible_to<std::invoke_result_t<Fn&>, Result<Value>>
    [[nodiscard]] result_type run(const Key& key, Fn&& compute, SingleFlightWait wait = {}) {
        std::shared_ptr<Call> call;
        bool joined = false;
        {
            std::lock_guard lock(mutex_);
            if (auto it = calls_.find(key); it != calls_.end()) {
                call = it->second;
                std::lock_guard call_lock(call->mutex);  // order: mutex_, then a call's
                ++call->waiters;
                joined = true;
            } else {
                call = std::make_shared<Call>();
                calls_.emplace(key, call);
            }
        }
        if (joined) return await(*call, wait);
        return lead(key, std::move(call), compute);
    }

    /// Makes the next `run(key, ...)` start a new computation even if one is
    /// in flight; that one finishes and serves its own waiters. Returns
    /// whether a computation was in flight for `key`.
    bool forget(const Key& key) {
        std::lock_guard lock(mutex_);
        return calls_.erase(key) > 0;
    }

    /// Keys with a computation in flight (forgotten ones excluded).
    [[nodiscard]] std::size_t in_flight() const {
        std::lock_guard lock(mutex_);
        return calls_.size();
    }

    /// Callers currently waiting for the computation in flight for `key`
    /// (the leader excluded; 0 when none is in flight). For tests and metrics.
    [[nodiscard]] std::size_t waiters(const Key& key) const {
        std::lock_guard lock(mutex_);
        auto it = calls_.find(key);
        if (it == calls_.end()) return 0;
        std::lock_guard call_lock(it->second->mutex);
        return it->second->waiters;
    }

private:
    // One computation and the callers waiting for it. Shared by the leader,
    // the waiters and (until it finishes or is forgotten) the map.
    struct Call {
        std::mutex mutex;
        std::condition_variable done;
        std::optional<Result<Value>> result;  // set once, under `mutex`
        std::size_t waiters = 0;              // under `mutex`
    };

    template <typename Fn>
    result_type lead(const Key& key, std::shared_ptr<Call> call, Fn& compute) {
        Result<Value> outcome = invoke_guarded(compute);
        {
            // Leave the map first: once anyone can see this result, the next
            // call computes afresh. A forgotten call may have been replaced
            // by a newer one for the same key, which is not ours to remove.
            std::lock_guard lock(mutex_);
            if (auto it = calls_.find(key); it != calls_.end() && it->second == call) {
                calls_.erase(it);
            }
        }
        {
            std::lock_guard lock(call->mutex);
            call->result.emplace(std::move(outcome));
        }
        call->done.notify_all();
        // Published and never written again: reading without the lock is safe.
        return result_type{*call->result, false};
    }

    template <typename Fn>
    static Result<Value> invoke_guarded(Fn& compute) {
        try {
            return Result<Value>(std::invoke(compute));
        } catch (const std::exception& e) {
            return fail(ErrorCode::kInternal,
                        std::string("single flight: the computation threw: ") + e.what());
        } catch (...) {
            return fail(ErrorCode::kInternal,
                        "single flight: the computation threw a non-standard exception");
        }
    }

    static result_type await(Call& call, const SingleFlightWait& wait) {
        // Wakes the waiter when its stop token fires. It takes the call's
        // mutex, so a stop requested between the waiter's check and its
        // sleep is not lost. Declared before the lock below so that it is
        // destroyed after the lock is released: its destructor waits for a
        // callback running on another thread, which needs the mutex.
        auto wake = [&call] {
            std::lock_guard lock(call.mutex);
            call.done.notify_all();
        };
        std::optional<std::stop_callback<decltype(wake)>> on_stop;
        if (wait.stop.stop_possible()) on_stop.emplace(wait.stop, wake);

        std::unique_lock lock(call.mutex);
        const auto ready = [&] { return call.result.has_value() || wait.stop.stop_requested(); };
        const auto now = std::chrono::steady_clock::now();
        const auto longest = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::time_point::max() - now);
        if (wait.timeout && *wait.timeout < longest) {  // a longer one is no limit
            call.done.wait_until(lock, now + *wait.timeout, ready);
        } else {
            call.done.wait(lock, ready);
        }
        --call.waiters;
        if (call.result) return result_type{*call.result, true};
        if (wait.stop.stop_requested()) {
            return result_type{
                fail(ErrorCode::kDeadlineExceeded, "single flight: the wait was cancelled"), true};
        }
        return result_type{
            fail(ErrorCode::kDeadlineExceeded, "single flight: no result within " +
                                                   std::to_string(wait.timeout->count()) + " ms"),
            true};
    }

    mutable std::mutex mutex_;
    std::unordered_map<Key, std::shared_ptr<Call>, Hash, KeyEqual> calls_;  // under mutex_
};

}  // namespace flightbook
