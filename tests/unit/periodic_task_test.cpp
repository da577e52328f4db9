#include <doctest/doctest.h>

#include <atomic>

#include "flightbook/periodic_task.hpp"

using namespace std::chrono_literals;

TEST_CASE("PeriodicTask runs repeatedly until stopped, and stop is prompt") {
    std::atomic<int> runs{0};
    flightbook::PeriodicTask task(1ms, [&] { ++runs; });
    task.start();
    task.start();  // no second thread
    for (int i = 0; i < 5000 && runs.load() < 3; ++i) std::this_thread::sleep_for(1ms);
    task.stop();
    const int seen = runs.load();
    CHECK(seen >= 3);
    std::this_thread::sleep_for(5ms);
    CHECK(runs.load() == seen);
    task.stop();  // idempotent
}

TEST_CASE("PeriodicTask with a long interval stops without waiting for it") {
    std::atomic<int> runs{0};
    flightbook::PeriodicTask task(1h, [&] { ++runs; });
    task.start();
    const auto t0 = std::chrono::steady_clock::now();
    task.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);
    CHECK(runs.load() == 0);
}
