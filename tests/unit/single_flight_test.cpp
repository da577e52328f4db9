// SingleFlight: one computation per key in flight, shared by every concurrent
// caller. The tests that start threads are tagged "concurrent" so that the
// ThreadSanitizer build runs them. No test sleeps to order threads: leaders
// wait (boundedly) for the waiter count the object reports, or on gates the
// test opens.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "flightbook/single_flight.hpp"

using namespace flightbook;
using namespace std::chrono_literals;

namespace {

// Long enough never to expire on a loaded machine or under ThreadSanitizer;
// it only keeps a broken build from hanging.
constexpr auto kPatience = 60s;

// Polls `done` until it holds or `limit` passes; returns whether it held.
template <typename Pred>
bool eventually(Pred done, std::chrono::milliseconds limit = kPatience) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

// A one-shot gate: wait() blocks until open() or `limit` passes.
class Gate {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        cv_.notify_all();
    }
    bool wait(std::chrono::milliseconds limit = kPatience) {
        std::unique_lock lock(mutex_);
        return cv_.wait_for(lock, limit, [&] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool open_ = false;
};

// Runs `fn` on a thread; get() joins it and returns what it returned.
template <typename T>
class Async {
public:
    template <typename Fn>
    explicit Async(Fn fn) : thread_([this, fn = std::move(fn)]() mutable { out_.emplace(fn()); }) {}
    ~Async() {
        if (thread_.joinable()) thread_.join();
    }
    Async(const Async&) = delete;
    Async& operator=(const Async&) = delete;

    T get() {
        thread_.join();
        return std::move(*out_);
    }

private:
    std::optional<T> out_;
    std::thread thread_;
};

using Flight = SingleFlight<std::string, int>;
using Outcome = SingleFlightResult<int>;

}  // namespace

TEST_CASE("single flight: one caller computes, nothing is kept") {
    Flight flight;
    int computations = 0;
    const auto compute = [&]() -> Result<int> { return ++computations * 10; };

    auto first = flight.run("k", compute);
    REQUIRE(first.value);
    CHECK(*first.value == 10);
    CHECK_FALSE(first.shared);
    CHECK(flight.in_flight() == 0);
    CHECK(flight.waiters("k") == 0);

    auto second = flight.run("k", compute);  // no caching: computes again
    REQUIRE(second.value);
    CHECK(*second.value == 20);
    CHECK(flight.in_flight() == 0);
    CHECK_FALSE(flight.forget("k"));
}

TEST_CASE("single flight: the leader ignores its own wait limits") {
    Flight flight;
    std::stop_source stopped;
    stopped.request_stop();
    auto r = flight.run("k", [] { return Result<int>(5); },
                        {.timeout = 0ms, .stop = stopped.get_token()});
    REQUIRE(r.value);
    CHECK(*r.value == 5);
    CHECK_FALSE(r.shared);
}

TEST_CASE("single flight: compute may return a plain value, and big values share one object") {
    SingleFlight<int, std::shared_ptr<const std::string>> flight;
    auto r = flight.run(1, [] { return std::make_shared<const std::string>(1000, 'x'); });
    REQUIRE(r.value);
    CHECK((*r.value)->size() == 1000);
}

TEST_CASE("single flight: exceptions become kInternal errors") {
    Flight flight;
    auto r = flight.run("k", []() -> Result<int> { throw std::runtime_error("boom"); });
    REQUIRE_FALSE(r.value);
    CHECK(r.value.error().code == ErrorCode::kInternal);
    CHECK(r.value.error().message.find("boom") != std::string::npos);

    auto odd = flight.run("k", []() -> Result<int> { throw 7; });
    REQUIRE_FALSE(odd.value);
    CHECK(odd.value.error().code == ErrorCode::kInternal);
    CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: 1000 concurrent callers on one key share one computation" *
          doctest::test_suite("concurrent")) {
    constexpr int kCallers = 1000;
    Flight flight;
    std::atomic<int> computations{0};
    std::atomic<bool> all_joined{false};
    const auto compute = [&]() -> Result<int> {
        ++computations;
        // Hold the computation open until every other caller has joined it,
        // so that exactly one computation is the only correct count.
        all_joined = eventually([&] { return flight.waiters("k") == kCallers - 1; });
        return 42;
    };

    std::vector<Outcome> results(kCallers, Outcome{fail(ErrorCode::kInternal, "not run"), false});
    {
        std::vector<std::thread> callers;
        callers.reserve(kCallers);
        for (int i = 0; i < kCallers; ++i) {
            callers.emplace_back(
                [&, i] { results[static_cast<std::size_t>(i)] = flight.run("k", compute); });
        }
        for (auto& t : callers) t.join();
    }

    CHECK(all_joined.load());
    CHECK(computations.load() == 1);
    int values = 0;
    int shared = 0;
    for (const auto& r : results) {
        if (r.value && *r.value == 42) ++values;
        if (r.shared) ++shared;
    }
    CHECK(values == kCallers);
    CHECK(shared == kCallers - 1);  // everyone but the leader
    CHECK(flight.in_flight() == 0);
    CHECK(flight.waiters("k") == 0);
}

TEST_CASE("single flight: distinct keys compute once each, at the same time" *
          doctest::test_suite("concurrent")) {
    constexpr int kKeys = 4;
    constexpr int kCallersPerKey = 5;
    SingleFlight<int, int> flight;
    std::atomic<int> computations[kKeys] = {};
    std::atomic<int> inside{0};
    std::atomic<int> saw_all_inside{0};
    const auto compute_for = [&](int key) {
        return [&, key]() -> Result<int> {
            ++computations[key];
            ++inside;
            // Every key's computation waits until all of them are running at
            // once (proves they do not serialize) and its own waiters joined.
            if (eventually([&] { return inside.load() == kKeys; })) ++saw_all_inside;
            eventually([&] { return flight.waiters(key) == kCallersPerKey - 1; });
            return key * 10;
        };
    };

    std::vector<Outcome> results(kKeys * kCallersPerKey,
                                 Outcome{fail(ErrorCode::kInternal, "not run"), false});
    {
        std::vector<std::thread> callers;
        for (int k = 0; k < kKeys; ++k) {
            for (int c = 0; c < kCallersPerKey; ++c) {
                const auto slot = static_cast<std::size_t>(k * kCallersPerKey + c);
                callers.emplace_back(
                    [&, k, slot] { results[slot] = flight.run(k, compute_for(k)); });
            }
        }
        for (auto& t : callers) t.join();
    }

    CHECK(saw_all_inside.load() == kKeys);
    for (int k = 0; k < kKeys; ++k) {
        CHECK(computations[k].load() == 1);
        int shared = 0;
        for (int c = 0; c < kCallersPerKey; ++c) {
            const auto& r = results[static_cast<std::size_t>(k * kCallersPerKey + c)];
            REQUIRE(r.value);
            CHECK(*r.value == k * 10);
            if (r.shared) ++shared;
        }
        CHECK(shared == kCallersPerKey - 1);
    }
    CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: an error reaches every waiter and the next call computes again" *
          doctest::test_suite("concurrent")) {
    constexpr int kCallers = 10;
    Flight flight;
    std::atomic<int> computations{0};
    const auto failing = [&]() -> Result<int> {
        ++computations;
        eventually([&] { return flight.waiters("k") == kCallers - 1; });
        return fail(ErrorCode::kUnavailable, "origin down");
    };

    std::vector<Outcome> results(kCallers, Outcome{42, false});
    {
        std::vector<std::thread> callers;
        for (int i = 0; i < kCallers; ++i) {
            callers.emplace_back(
                [&, i] { results[static_cast<std::size_t>(i)] = flight.run("k", failing); });
        }
        for (auto& t : callers) t.join();
    }
    CHECK(computations.load() == 1);
    for (const auto& r : results) {
        REQUIRE_FALSE(r.value);
        CHECK(r.value.error() == Error{ErrorCode::kUnavailable, "origin down"});
    }
    CHECK(flight.in_flight() == 0);

    auto retry = flight.run("k", [&]() -> Result<int> {
        ++computations;
        return 7;
    });
    REQUIRE(retry.value);
    CHECK(*retry.value == 7);
    CHECK_FALSE(retry.shared);
    CHECK(computations.load() == 2);
    CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: waiters that give up leave the computation and the others alone" *
          doctest::test_suite("concurrent")) {
    Flight flight;
    Gate entered;
    Gate release;
    std::atomic<int> computations{0};
    std::atomic<bool> leader_done{false};

    Async<Outcome> leader([&] {
        auto r = flight.run("k", [&]() -> Result<int> {
            ++computations;
            entered.open();
            if (!release.wait()) return fail(ErrorCode::kInternal, "never released");
            return 99;
        });
        leader_done = true;
        return r;
    });
    REQUIRE(entered.wait());

    // A patient waiter, with no limit.
    Async<Outcome> patient([&] { return flight.run("k", [] { return Result<int>(-1); }); });
    REQUIRE(eventually([&] { return flight.waiters("k") == 1; }));

    // A waiter that times out gets its own error, promptly.
    const auto t0 = std::chrono::steady_clock::now();
    Async<Outcome> hasty(
        [&] { return flight.run("k", [] { return Result<int>(-1); }, {.timeout = 20ms}); });
    const auto timed_out = hasty.get();
    const auto waited = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(timed_out.value);
    CHECK(timed_out.value.error().code == ErrorCode::kDeadlineExceeded);
    CHECK(timed_out.shared);
    CHECK(waited >= 20ms);
    CHECK(waited < 10s);  // far below the leader, which is still blocked

    // A waiter whose stop token fires gets its own error too.
    std::stop_source cancel;
    Async<Outcome> cancelled([&] {
        return flight.run("k", [] { return Result<int>(-1); }, {.stop = cancel.get_token()});
    });
    REQUIRE(eventually([&] { return flight.waiters("k") == 2; }));
    cancel.request_stop();
    const auto stopped = cancelled.get();
    REQUIRE_FALSE(stopped.value);
    CHECK(stopped.value.error().code == ErrorCode::kDeadlineExceeded);
    CHECK(stopped.shared);

    // A token that fired before the call gives up at once.
    auto already = flight.run("k", [] { return Result<int>(-1); }, {.stop = cancel.get_token()});
    REQUIRE_FALSE(already.value);
    CHECK(already.value.error().code == ErrorCode::kDeadlineExceeded);

    // None of that touched the computation.
    CHECK_FALSE(leader_done.load());
    CHECK(computations.load() == 1);
    CHECK(flight.in_flight() == 1);
    CHECK(flight.waiters("k") == 1);  // the patient one

    release.open();
    const auto led = leader.get();
    REQUIRE(led.value);
    CHECK(*led.value == 99);
    CHECK_FALSE(led.shared);
    const auto waited_out = patient.get();
    REQUIRE(waited_out.value);
    CHECK(*waited_out.value == 99);
    CHECK(waited_out.shared);
    CHECK(computations.load() == 1);
    CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: forget starts a new computation while the old one runs" *
          doctest::test_suite("concurrent")) {
    Flight flight;
    Gate entered_old, release_old, entered_new, release_new;
    const auto blocking = [](Gate& entered, Gate& release, int value) {
        return [&entered, &release, value]() -> Result<int> {
            entered.open();
            if (!release.wait()) return fail(ErrorCode::kInternal, "never released");
            return value;
        };
    };
    const auto never = [] { return Result<int>(-1); };

    Async<Outcome> old_leader(
        [&] { return flight.run("k", blocking(entered_old, release_old, 1)); });
    REQUIRE(entered_old.wait());
    Async<Outcome> old_waiter([&] { return flight.run("k", never); });
    REQUIRE(eventually([&] { return flight.waiters("k") == 1; }));

    CHECK(flight.forget("k"));
    CHECK(flight.in_flight() == 0);
    CHECK(flight.waiters("k") == 0);

    Async<Outcome> new_leader(
        [&] { return flight.run("k", blocking(entered_new, release_new, 2)); });
    REQUIRE(entered_new.wait());  // a second computation runs beside the first
    Async<Outcome> new_waiter([&] { return flight.run("k", never); });
    REQUIRE(eventually([&] { return flight.waiters("k") == 1; }));

    // The old computation finishes: its callers get the old value, and the
    // new entry stays.
    release_old.open();
    const auto old_led = old_leader.get();
    const auto old_shared = old_waiter.get();
    REQUIRE(old_led.value);
    REQUIRE(old_shared.value);
    CHECK(*old_led.value == 1);
    CHECK(*old_shared.value == 1);
    CHECK(old_shared.shared);
    CHECK(flight.in_flight() == 1);
    CHECK(flight.waiters("k") == 1);

    release_new.open();
    const auto new_led = new_leader.get();
    const auto new_shared = new_waiter.get();
    REQUIRE(new_led.value);
    REQUIRE(new_shared.value);
    CHECK(*new_led.value == 2);
    CHECK(*new_shared.value == 2);
    CHECK_FALSE(new_led.shared);
    CHECK(new_shared.shared);
    CHECK(flight.in_flight() == 0);
}

TEST_CASE("single flight: an exception in compute is an error for the leader and every waiter" *
          doctest::test_suite("concurrent")) {
    constexpr int kCallers = 8;
    Flight flight;
    std::atomic<int> computations{0};
    const auto throwing = [&]() -> Result<int> {
        ++computations;
        eventually([&] { return flight.waiters("k") == kCallers - 1; });
        throw std::runtime_error("schedule file vanished");
    };

    std::vector<Outcome> results(kCallers, Outcome{42, false});
    {
        std::vector<std::thread> callers;
        for (int i = 0; i < kCallers; ++i) {
            callers.emplace_back(
                [&, i] { results[static_cast<std::size_t>(i)] = flight.run("k", throwing); });
        }
        for (auto& t : callers) t.join();
    }
    CHECK(computations.load() == 1);
    int leaders = 0;
    for (const auto& r : results) {
        REQUIRE_FALSE(r.value);
        CHECK(r.value.error().code == ErrorCode::kInternal);
        CHECK(r.value.error().message.find("schedule file vanished") != std::string::npos);
        if (!r.shared) ++leaders;
    }
    CHECK(leaders == 1);
    CHECK(flight.in_flight() == 0);

    auto retry = flight.run("k", [] { return Result<int>(3); });
    REQUIRE(retry.value);
    CHECK(*retry.value == 3);
    CHECK(flight.in_flight() == 0);
}
