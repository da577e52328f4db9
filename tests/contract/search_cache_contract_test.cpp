// The SearchCache contract: one set of bodies, run against the in-memory
// adapter (a ManualClock) and the Redis adapter (the shared test Redis under
// a private key prefix, real time with short ttls).

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "flightbook/memory/search_cache.hpp"
#include "flightbook/redis/search_cache.hpp"
#include "seat_fixtures.hpp"

using namespace flightbook;
using namespace flightbook::testing;
using namespace std::chrono_literals;

namespace {

// Needs no server: the contract's memory half runs in flightbook_contract_memory.
// Time moves only when a test lets a ttl pass.
class MemorySearchCacheFixture {
public:
    /// A ttl short enough for `let_expire` to outlast.
    static constexpr std::chrono::milliseconds kShortTtl = 1000ms;

    SearchCache& cache() { return cache_; }

    /// Lets `kShortTtl` pass, then answers `gone()`.
    bool let_expire(const std::function<bool()>& gone) {
        clock_.advance(1s);
        return gone();
    }

private:
    ManualClock clock_;
    memory::InMemorySearchCache cache_{clock_};
};

class RedisSearchCacheFixture {
public:
    static constexpr std::chrono::milliseconds kShortTtl = 50ms;

    RedisSearchCacheFixture()
        : client_(make_redis_client(redis_host(), redis_port(), 8)),
          prefix_(unique_name("fbtest:search") + ":"),
          cache_(client_, redis::SearchCacheOptions{prefix_}) {}
    ~RedisSearchCacheFixture() { delete_keys(*client_, prefix_); }
    RedisSearchCacheFixture(const RedisSearchCacheFixture&) = delete;
    RedisSearchCacheFixture& operator=(const RedisSearchCacheFixture&) = delete;

    SearchCache& cache() { return cache_; }

    /// Polls `gone()` for up to 5 s (Redis expires keys on its own time).
    bool let_expire(const std::function<bool()>& gone) {
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (!gone()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            std::this_thread::sleep_for(5ms);
        }
        return true;
    }

private:
    std::shared_ptr<redis::Client> client_;
    std::string prefix_;
    redis::RedisSearchCache cache_;
};

std::optional<std::string> get_ok(SearchCache& cache, std::string_view key) {
    auto r = cache.get(key);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return *r;
}

std::optional<std::string> lock_ok(SearchCache& cache, std::string_view key,
                                   std::chrono::milliseconds ttl) {
    auto r = cache.try_lock(key, ttl);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return *r;
}

bool unlock_ok(SearchCache& cache, std::string_view key, std::string_view token) {
    auto r = cache.unlock(key, token);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return *r;
}

}  // namespace

#define SEARCH_CACHE_ADAPTERS MemorySearchCacheFixture, RedisSearchCacheFixture

TEST_CASE_TEMPLATE("search cache: get of a missing key is nullopt", F, SEARCH_CACHE_ADAPTERS) {
    F f;
    CHECK_FALSE(get_ok(f.cache(), "never-stored").has_value());
    CHECK_FALSE(get_ok(f.cache(), "").has_value());
}

TEST_CASE_TEMPLATE("search cache: put then get round-trips any bytes", F, SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    constexpr char kBinary[] = "\0\1\xff value\r\n\0 with NULs";
    const std::string binary(kBinary, sizeof(kBinary));  // the final NUL included
    REQUIRE(cache.put("DEL:BOM:2024-02-15", binary, 60s));
    CHECK(get_ok(cache, "DEL:BOM:2024-02-15") == std::optional<std::string>{binary});

    // Binary keys, an empty value, and a value of 64 KiB.
    const std::string binary_key("k\0ey", 4);
    REQUIRE(cache.put(binary_key, "", 60s));
    CHECK(get_ok(cache, binary_key) == std::optional<std::string>{""});
    CHECK_FALSE(get_ok(cache, "k").has_value());
    std::string large(64 * 1024, 'x');
    for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<char>(i * 131 % 256);
    REQUIRE(cache.put("large", large, 60s));
    CHECK(get_ok(cache, "large") == std::optional<std::string>{large});

    // A second put replaces the value.
    REQUIRE(cache.put("DEL:BOM:2024-02-15", "v2", 60s));
    CHECK(get_ok(cache, "DEL:BOM:2024-02-15") == std::optional<std::string>{"v2"});
}

TEST_CASE_TEMPLATE("search cache: a value expires after its ttl", F, SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    REQUIRE(cache.put("short", "s", F::kShortTtl));
    REQUIRE(cache.put("long", "l", 60s));
    CHECK(f.let_expire([&] { return !get_ok(cache, "short").has_value(); }));
    CHECK(get_ok(cache, "long") == std::optional<std::string>{"l"});

    // A put after expiry stores afresh.
    REQUIRE(cache.put("short", "s2", 60s));
    CHECK(get_ok(cache, "short") == std::optional<std::string>{"s2"});
}

TEST_CASE_TEMPLATE("search cache: a non-positive ttl is kInvalidArgument", F,
                   SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    for (auto ttl : {0ms, -1ms}) {
        auto put = cache.put("k", "v", ttl);
        REQUIRE_FALSE(put);
        CHECK(put.error().code == ErrorCode::kInvalidArgument);
        auto lock = cache.try_lock("k", ttl);
        REQUIRE_FALSE(lock);
        CHECK(lock.error().code == ErrorCode::kInvalidArgument);
    }
    CHECK_FALSE(get_ok(cache, "k").has_value());
    CHECK(lock_ok(cache, "k", 60s).has_value());
}

TEST_CASE_TEMPLATE("search cache: the lock has one owner, and only its token releases it", F,
                   SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    const auto token = lock_ok(cache, "DEL:BLR", 60s);
    REQUIRE(token.has_value());
    CHECK_FALSE(token->empty());
    CHECK_FALSE(lock_ok(cache, "DEL:BLR", 60s).has_value());  // held

    // The lock is not a value, and locks of other keys are independent.
    CHECK_FALSE(get_ok(cache, "DEL:BLR").has_value());
    const auto other = lock_ok(cache, "DEL:BOM", 60s);
    REQUIRE(other.has_value());
    CHECK(*other != *token);

    CHECK_FALSE(unlock_ok(cache, "DEL:BLR", "not-the-token"));
    CHECK_FALSE(unlock_ok(cache, "DEL:BLR", *other));
    CHECK_FALSE(unlock_ok(cache, "DEL:BLR", ""));
    CHECK_FALSE(lock_ok(cache, "DEL:BLR", 60s).has_value());  // still held

    CHECK(unlock_ok(cache, "DEL:BLR", *token));
    CHECK_FALSE(unlock_ok(cache, "DEL:BLR", *token));   // already released
    const auto again = lock_ok(cache, "DEL:BLR", 60s);  // free again
    REQUIRE(again.has_value());
    CHECK(*again != *token);

    CHECK_FALSE(unlock_ok(cache, "never-locked", *token));
    CHECK(unlock_ok(cache, "DEL:BOM", *other));
}

TEST_CASE_TEMPLATE("search cache: a lock expires after its ttl", F, SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    const auto first = lock_ok(cache, "HYD:BOM", F::kShortTtl);
    REQUIRE(first.has_value());
    REQUIRE(cache.put("HYD:BOM", "value", 60s));

    std::optional<std::string> second;
    CHECK(f.let_expire([&] {
        second = lock_ok(cache, "HYD:BOM", 60s);
        return second.has_value();
    }));
    REQUIRE(second.has_value());
    CHECK(*second != *first);
    // The expired owner cannot release the new owner's lock.
    CHECK_FALSE(unlock_ok(cache, "HYD:BOM", *first));
    CHECK_FALSE(lock_ok(cache, "HYD:BOM", 60s).has_value());
    CHECK(unlock_ok(cache, "HYD:BOM", *second));
    // The lock's expiry leaves the value alone.
    CHECK(get_ok(cache, "HYD:BOM") == std::optional<std::string>{"value"});
}

TEST_CASE_TEMPLATE("search cache: 8 threads racing for one lock: exactly one wins", F,
                   SEARCH_CACHE_ADAPTERS) {
    F f;
    SearchCache& cache = f.cache();
    constexpr int kThreads = 8;
    constexpr int kRounds = 20;
    for (int round = 0; round < kRounds; ++round) {
        const std::string key = "race:" + std::to_string(round);
        std::atomic<int> ready{0};
        std::atomic<int> errors{0};
        std::vector<std::optional<std::string>> tokens(kThreads);
        std::vector<std::thread> threads;
        threads.reserve(kThreads);
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                ++ready;
                while (ready.load() < kThreads) std::this_thread::yield();
                auto r = cache.try_lock(key, 60s);
                if (!r) {
                    ++errors;
                    return;
                }
                tokens[static_cast<std::size_t>(t)] = *r;
            });
        }
        for (auto& th : threads) th.join();
        REQUIRE(errors.load() == 0);
        std::set<std::string> winners;
        for (const auto& token : tokens) {
            if (token) winners.insert(*token);
        }
        REQUIRE(winners.size() == 1);
        CHECK(unlock_ok(cache, key, *winners.begin()));
    }
}
