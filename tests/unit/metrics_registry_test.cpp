// Unit tests of the metrics registry and its Prometheus text output.
#include <doctest/doctest.h>

#include <stdexcept>
#include <thread>
#include <vector>

#include "flightbook/metrics/registry.hpp"

using namespace flightbook::metrics;

TEST_CASE("metrics: counters and gauges render in the text format") {
    Registry r;
    auto& hits = r.counter("flightbook_cache_hits_total", "Cache hits", {"cache"});
    hits.with({"search"}).inc();
    hits.with({"search"}).inc(2);
    hits.with({"flight"}).inc();
    auto& in_use = r.gauge("flightbook_pool_connections_in_use", "Leased connections");
    in_use.with({}).set(3);
    in_use.with({}).add(-1.5);

    CHECK(r.render_prometheus() ==
          "# HELP flightbook_cache_hits_total Cache hits\n"
          "# TYPE flightbook_cache_hits_total counter\n"
          "flightbook_cache_hits_total{cache=\"flight\"} 1\n"
          "flightbook_cache_hits_total{cache=\"search\"} 3\n"
          "# HELP flightbook_pool_connections_in_use Leased connections\n"
          "# TYPE flightbook_pool_connections_in_use gauge\n"
          "flightbook_pool_connections_in_use 1.5\n");
}

TEST_CASE("metrics: histograms have cumulative buckets, +Inf, sum and count") {
    Registry r;
    const std::vector<double> bounds{0.25, 0.5, 1};
    auto& h = r.histogram("flightbook_op_duration_seconds", "Op time", {"op"}, bounds);
    auto& s = h.with({"search"});
    s.observe(0.125);
    s.observe(0.25);  // le is inclusive
    s.observe(0.75);
    s.observe(3);
    CHECK(r.render_prometheus() ==
          "# HELP flightbook_op_duration_seconds Op time\n"
          "# TYPE flightbook_op_duration_seconds histogram\n"
          "flightbook_op_duration_seconds_bucket{op=\"search\",le=\"0.25\"} 2\n"
          "flightbook_op_duration_seconds_bucket{op=\"search\",le=\"0.5\"} 2\n"
          "flightbook_op_duration_seconds_bucket{op=\"search\",le=\"1\"} 3\n"
          "flightbook_op_duration_seconds_bucket{op=\"search\",le=\"+Inf\"} 4\n"
          "flightbook_op_duration_seconds_sum{op=\"search\"} 4.125\n"
          "flightbook_op_duration_seconds_count{op=\"search\"} 4\n");
}

TEST_CASE("metrics: label values and help text are escaped") {
    Registry r;
    r.counter("flightbook_x_total", "line1\nline2 \\ end", {"v"}).with({"a\"b\\c\nd"}).inc();
    CHECK(r.render_prometheus() ==
          "# HELP flightbook_x_total line1\\nline2 \\\\ end\n"
          "# TYPE flightbook_x_total counter\n"
          "flightbook_x_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST_CASE("metrics: registration rules") {
    Registry r;
    auto& a = r.counter("flightbook_a_total", "A", {"x"});
    CHECK(&r.counter("flightbook_a_total", "A again", {"x"}) == &a);  // idempotent
    CHECK_THROWS_AS(r.gauge("flightbook_a_total", "A", {"x"}), std::invalid_argument);
    CHECK_THROWS_AS(r.counter("flightbook_a_total", "A", {"y"}), std::invalid_argument);
    CHECK_THROWS_AS(r.counter("0bad", "bad"), std::invalid_argument);
    CHECK_THROWS_AS(r.counter("flightbook-bad", "bad"), std::invalid_argument);
    CHECK_THROWS_AS(r.histogram("flightbook_h", "h", {"le"}), std::invalid_argument);
    const std::vector<double> unordered{1, 0.5};
    CHECK_THROWS_AS(r.histogram("flightbook_h2", "h", {}, unordered), std::invalid_argument);
    CHECK_THROWS_AS(a.with({}), std::invalid_argument);
    CHECK_THROWS_AS(a.with({"1", "2"}), std::invalid_argument);
    CHECK(is_valid_metric_name("flightbook_http_requests_total"));
    CHECK_FALSE(is_valid_metric_name(""));
}

TEST_CASE("metrics: concurrent updates are all counted" * doctest::test_suite("concurrent")) {
    Registry r;
    auto& c = r.counter("flightbook_c_total", "c", {"t"});
    auto& h = r.histogram("flightbook_h_seconds", "h");
    constexpr int kThreads = 8;
    constexpr int kEach = 10000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                c.with({t % 2 == 0 ? "even" : "odd"}).inc();
                h.with({}).observe(0.002);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(c.with({"even"}).value() + c.with({"odd"}).value() == kThreads * kEach);
    const auto snap = h.with({}).snapshot();
    CHECK(snap.count == kThreads * kEach);
    CHECK(snap.sum == doctest::Approx(0.002 * kThreads * kEach));
}
