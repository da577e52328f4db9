// LruCache: byte-bounded LRU eviction, TTL by an injected clock, and the
// XFetch early-refresh verdict with an injected random draw. The test that
// starts threads is tagged "concurrent" so that the ThreadSanitizer build
// runs it.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "flightbook/clock.hpp"
#include "flightbook/lru_cache.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

using Cache = LruCache<std::string, std::shared_ptr<const std::string>>;

std::shared_ptr<const std::string> text(const char* s) {
    return std::make_shared<const std::string>(s);
}

// The value of `key`, or "" on a miss.
std::string value_of(Cache& cache, const std::string& key) {
    auto hit = cache.get(key);
    return hit ? *hit->value : std::string();
}

LruCacheOptions budget(std::size_t max_bytes) {
    LruCacheOptions options;
    options.max_bytes = max_bytes;
    return options;
}

// A cache whose XFetch draw is always `u`.
LruCacheOptions fixed_draw(double u, double beta = 1.0) {
    LruCacheOptions options;
    options.max_bytes = 1000;
    options.beta = beta;
    options.uniform = [u] { return u; };
    return options;
}

}  // namespace

TEST_CASE("lru cache: a put is read back until it is replaced or erased") {
    ManualClock clock;
    Cache cache(clock, budget(100));
    CHECK_FALSE(cache.get("a").has_value());
    CHECK(cache.put("a", text("one"), 10, 60s));
    CHECK(value_of(cache, "a") == "one");
    CHECK(cache.put("a", text("two"), 30, 60s));
    CHECK(value_of(cache, "a") == "two");
    CHECK(cache.stats().bytes == 30);
    CHECK(cache.stats().entries == 1);

    CHECK(cache.erase("a"));
    CHECK_FALSE(cache.erase("a"));
    CHECK_FALSE(cache.get("a").has_value());
    CHECK(cache.stats().bytes == 0);

    CHECK(cache.put("b", text("b"), 10, 60s));
    CHECK(cache.put("c", text("c"), 10, 60s));
    cache.clear();
    CHECK(cache.stats().entries == 0);
    CHECK(cache.stats().bytes == 0);
    CHECK_FALSE(cache.get("b").has_value());
}

TEST_CASE("lru cache: the byte budget evicts least recently used first; a get refreshes recency") {
    ManualClock clock;
    Cache cache(clock, budget(100));
    CHECK(cache.put("a", text("a"), 40, 60s));
    CHECK(cache.put("b", text("b"), 40, 60s));
    CHECK(value_of(cache, "a") == "a");  // a is now more recent than b

    CHECK(cache.put("c", text("c"), 40, 60s));  // 120 > 100: b goes
    CHECK(value_of(cache, "b").empty());
    CHECK(value_of(cache, "a") == "a");
    CHECK(value_of(cache, "c") == "c");
    CHECK(cache.stats().evictions == 1);
    CHECK(cache.stats().bytes == 80);

    // Order now (most recent first): c, a. One 90-byte entry needs both gone.
    CHECK(cache.put("d", text("d"), 90, 60s));
    CHECK(cache.stats().evictions == 3);
    CHECK(cache.stats().entries == 1);
    CHECK(cache.stats().bytes == 90);

    // An entry that fills the budget exactly fits.
    CHECK(cache.put("e", text("e"), 100, 60s));
    CHECK(cache.stats().bytes == 100);
    CHECK(value_of(cache, "e") == "e");

    // A replacement does not count its own old bytes against itself.
    CHECK(cache.put("e", text("e2"), 100, 60s));
    CHECK(value_of(cache, "e") == "e2");
    CHECK(cache.stats().evictions == 4);  // the fourth was d, for the first e
}

TEST_CASE("lru cache: an entry larger than the budget is not stored and evicts nothing") {
    ManualClock clock;
    Cache cache(clock, budget(100));
    CHECK(cache.put("a", text("a"), 50, 60s));
    CHECK(cache.put("b", text("b"), 50, 60s));
    CHECK_FALSE(cache.put("huge", text("huge"), 101, 60s));
    CHECK_FALSE(cache.get("huge").has_value());
    CHECK(cache.stats().entries == 2);
    CHECK(cache.stats().evictions == 0);

    // Replacing a key with an oversize value drops the old value: it is stale.
    CHECK_FALSE(cache.put("a", text("a2"), 500, 60s));
    CHECK_FALSE(cache.get("a").has_value());
    CHECK(cache.stats().bytes == 50);

    // A zero budget stores nothing; a zero-byte entry fits any budget.
    Cache none(clock, budget(0));
    CHECK_FALSE(none.put("x", text("x"), 1, 60s));
    CHECK(none.put("free", text("free"), 0, 60s));
    CHECK(value_of(none, "free") == "free");

    // A non-positive ttl stores nothing.
    CHECK_FALSE(cache.put("c", text("c"), 1, 0s));
    CHECK_FALSE(cache.get("c").has_value());
}

TEST_CASE("lru cache: entries expire after their ttl and are removed on read") {
    ManualClock clock;
    Cache cache(clock, budget(100));
    CHECK(cache.put("short", text("s"), 10, 10s));
    CHECK(cache.put("long", text("l"), 20, 1h));
    clock.advance(9s);
    CHECK(value_of(cache, "short") == "s");
    clock.advance(1s);  // exactly at expiry: gone
    CHECK_FALSE(cache.get("short").has_value());
    CHECK(value_of(cache, "long") == "l");

    const auto s = cache.stats();
    CHECK(s.expired == 1);
    CHECK(s.misses == 1);
    CHECK(s.hits == 2);
    CHECK(s.entries == 1);
    CHECK(s.bytes == 20);

    // A put after expiry starts a fresh ttl.
    CHECK(cache.put("short", text("s2"), 10, 10s));
    clock.advance(5s);
    CHECK(value_of(cache, "short") == "s2");
}

TEST_CASE("lru cache: the refresh flag follows the XFetch rule for a fixed draw") {
    ManualClock clock;
    // u = 0.5, delta = 20 s, beta = 1: refresh from 20 * ln 2 = 13.86 s before expiry.
    Cache cache(clock, fixed_draw(0.5));
    CHECK(cache.put("k", text("v"), 1, 60s, 20s));
    auto hit = cache.get("k");
    REQUIRE(hit);
    CHECK(*hit->value == "v");
    CHECK_FALSE(hit->refresh);  // 60 s left

    clock.advance(46s);  // 14 s left
    CHECK_FALSE(cache.get("k")->refresh);
    clock.advance(1s);  // 13 s left: past the XFetch point
    CHECK(cache.get("k")->refresh);
    clock.advance(12s);  // 1 s left
    CHECK(cache.get("k")->refresh);
    clock.advance(1s);  // expired: a miss, not a refresh
    CHECK_FALSE(cache.get("k").has_value());

    // beta scales the window: beta = 2 refreshes from 27.7 s before expiry.
    Cache eager(clock, fixed_draw(0.5, 2.0));
    CHECK(eager.put("k", text("v"), 1, 60s, 20s));
    clock.advance(32s);  // 28 s left
    CHECK_FALSE(eager.get("k")->refresh);
    clock.advance(1s);  // 27 s left
    CHECK(eager.get("k")->refresh);

    // u = 1/e: refresh exactly delta before expiry (checked either side).
    Cache e(clock, fixed_draw(std::exp(-1.0)));
    CHECK(e.put("k", text("v"), 1, 60s, 10s));
    clock.advance(49s);  // 11 s left
    CHECK_FALSE(e.get("k")->refresh);
    clock.advance(2s);  // 9 s left
    CHECK(e.get("k")->refresh);
}

TEST_CASE("lru cache: no early refresh without a compute time, with beta 0 or with u = 1") {
    ManualClock clock;
    Cache no_delta(clock, fixed_draw(1e-300));
    CHECK(no_delta.put("k", text("v"), 1, 10s));
    Cache zero_beta(clock, fixed_draw(1e-300, 0.0));
    CHECK(zero_beta.put("k", text("v"), 1, 10s, 10s));
    Cache top_draw(clock, fixed_draw(1.0));
    CHECK(top_draw.put("k", text("v"), 1, 10s, 10s));
    // Out-of-range draws are clamped into (0, 1] rather than producing NaN.
    Cache bad_draw(clock, fixed_draw(0.0));
    CHECK(bad_draw.put("k", text("v"), 1, 10s, 1s));

    clock.advance(9s);
    CHECK_FALSE(no_delta.get("k")->refresh);
    CHECK_FALSE(zero_beta.get("k")->refresh);
    CHECK_FALSE(top_draw.get("k")->refresh);
    CHECK(bad_draw.get("k")->refresh);  // u -> smallest double: refresh
}

TEST_CASE("lru cache: the default draw refreshes never far from expiry, surely near it") {
    ManualClock clock;
    Cache cache(clock, budget(100));
    // delta = 1 s with 599 s left: even the smallest draw (2^-53) moves the
    // refresh only 36.7 s before expiry.
    CHECK(cache.put("far", text("v"), 1, 600s, 1s));
    // delta = 1e9 s with 1 s left: P(no refresh) = 1 - exp(-1e-9) per read.
    CHECK(cache.put("near", text("v"), 1, 2s, std::chrono::microseconds(1'000'000'000'000'000)));
    clock.advance(1s);
    int far = 0;
    int near = 0;
    for (int i = 0; i < 1000; ++i) {
        far += cache.get("far")->refresh ? 1 : 0;
        near += cache.get("near")->refresh ? 1 : 0;
    }
    CHECK(far == 0);
    CHECK(near == 1000);
}

TEST_CASE("lru cache: stats count hits, misses, expiries and evictions") {
    ManualClock clock;
    Cache cache(clock, budget(30));
    CHECK_FALSE(cache.get("x").has_value());  // miss
    CHECK(cache.put("a", text("a"), 10, 5s));
    CHECK(cache.put("b", text("b"), 10, 60s));
    CHECK(cache.put("c", text("c"), 10, 60s));
    CHECK(cache.get("a"));                      // hit
    CHECK(cache.get("b"));                      // hit
    CHECK(cache.put("d", text("d"), 10, 60s));  // evicts c
    clock.advance(5s);
    CHECK_FALSE(cache.get("a").has_value());  // expired
    CHECK_FALSE(cache.get("c").has_value());  // evicted: a plain miss

    const auto s = cache.stats();
    CHECK(s.hits == 2);
    CHECK(s.misses == 3);
    CHECK(s.expired == 1);
    CHECK(s.evictions == 1);
    CHECK(s.entries == 2);
    CHECK(s.bytes == 20);
    CHECK(cache.max_bytes() == 30);
}

TEST_CASE("lru cache: 8 threads on overlapping keys keep the budget and the values whole" *
          doctest::test_suite("concurrent")) {
    constexpr int kThreads = 8;
    constexpr int kOps = 20'000;
    constexpr int kKeys = 64;
    constexpr std::size_t kBudget = 500;
    ManualClock clock;
    LruCache<int, std::shared_ptr<const int>> cache(clock, budget(kBudget));

    std::atomic<std::uint64_t> gets{0};
    std::atomic<int> wrong_values{0};
    std::atomic<int> over_budget{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::mt19937 rng(static_cast<unsigned>(t) + 1);
            std::uniform_int_distribution<int> key(0, kKeys - 1);
            std::uniform_int_distribution<int> size(1, 120);
            std::uniform_int_distribution<int> op(0, 99);
            for (int i = 0; i < kOps; ++i) {
                const int k = key(rng);
                const int o = op(rng);
                if (o < 60) {
                    ++gets;
                    if (auto hit = cache.get(k); hit && *hit->value / 1000 != k) ++wrong_values;
                } else if (o < 95) {
                    cache.put(k, std::make_shared<const int>(k * 1000 + t),
                              static_cast<std::size_t>(size(rng)), std::chrono::seconds(1 + o % 3),
                              std::chrono::milliseconds(o));
                } else if (o < 98) {
                    cache.erase(k);
                } else if (t == 0 && o == 98) {
                    clock.advance(1s);
                } else {
                    if (cache.stats().bytes > kBudget) ++over_budget;
                }
            }
        });
    }
    for (auto& th : threads) th.join();

    const auto s = cache.stats();
    CHECK(wrong_values.load() == 0);
    CHECK(over_budget.load() == 0);
    CHECK(s.bytes <= kBudget);
    CHECK(s.hits + s.misses == gets.load());
    CHECK(s.expired <= s.misses);
    CHECK(s.entries <= static_cast<std::size_t>(kKeys));
    // Every key still readable is one of the counted entries.
    std::size_t live = 0;
    for (int k = 0; k < kKeys; ++k) live += cache.get(k) ? 1U : 0U;
    CHECK(live <= s.entries);
    cache.clear();
    CHECK(cache.stats().bytes == 0);
}
