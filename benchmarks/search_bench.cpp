// Itinerary search latency on generated world-size schedules (two days, so
// connections cross midnight), random origin/destination pairs among the
// busiest 300 airports, max_stops 3, limit 20. Each benchmark runs every
// query of its set once and reports per-query percentiles as counters
// (p50_us, p90_us, p99_us, max_us). Latencies are the CPU time of the
// searching thread (CLOCK_THREAD_CPUTIME_ID), so that preemption by other
// processes on a busy machine does not pollute the tail; on an idle machine
// wall time is the same. See docs/benchmarks.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <random>

#include <fmt/format.h>

#include "core/search/brute_force.hpp"
#include "flightbook/schedule/generator.hpp"
#include "flightbook/search/completion_index.hpp"
#include "flightbook/search/search.hpp"

namespace {

using namespace flightbook;
using namespace flightbook::search;
// CPU time of the calling thread.
struct ThreadCpuClock {
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<ThreadCpuClock, duration>;
    static time_point now() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec));
    }
};
using Clock = ThreadCpuClock;

constexpr int kQueries = 400;
constexpr int kBusiest = 300;

struct World {
    std::vector<Flight> flights;
    std::shared_ptr<const Timetable> timetable;
    std::unique_ptr<TimetableSeatAvailability> seats;
    std::vector<SearchQuery> queries;
};

std::vector<SearchQuery> make_queries(const std::vector<Flight>& flights, UtcDate date) {
    std::map<AirportCode, int> movements;
    for (const Flight& f : flights) {
        ++movements[f.source];
        ++movements[f.destination];
    }
    std::vector<std::pair<int, AirportCode>> ranked;
    for (const auto& [code, n] : movements) ranked.emplace_back(-n, code);
    std::sort(ranked.begin(), ranked.end());
    ranked.resize(std::min<std::size_t>(ranked.size(), kBusiest));
    std::mt19937_64 rng(7);
    std::vector<SearchQuery> out;
    for (int i = 0; i < kQueries; ++i) {
        SearchQuery q;
        q.source = ranked[rng() % ranked.size()].second;
        do {
            q.destination = ranked[rng() % ranked.size()].second;
        } while (q.destination == q.source);
        q.date = date;
        q.seats = 1;
        q.max_stops = 3;
        q.limit = 20;
        out.push_back(q);
    }
    return out;
}

const World& world(int flights_per_day) {
    static std::map<int, std::unique_ptr<World>> cache;
    auto& slot = cache[flights_per_day];
    if (!slot) {
        slot = std::make_unique<World>();
        schedule::GeneratorOptions o;
        o.flights_per_day = flights_per_day;
        o.days = 2;
        slot->flights = schedule::generate_schedule(o).value();
        slot->timetable = Timetable::build(slot->flights).value();
        slot->seats = std::make_unique<TimetableSeatAvailability>(slot->timetable);
        slot->queries = make_queries(slot->flights, o.start_date);
    }
    return *slot;
}

double micros(std::chrono::nanoseconds d) {
    return std::chrono::duration<double, std::micro>(d).count();
}

void report(benchmark::State& state, std::vector<double> lat, const std::string& prefix = "") {
    if (lat.empty()) return;
    std::sort(lat.begin(), lat.end());
    auto at = [&](double p) {
        return lat[std::min(lat.size() - 1, static_cast<std::size_t>(
                                                p * static_cast<double>(lat.size() - 1) + 0.5))];
    };
    state.counters[prefix + "p50_us"] = at(0.50);
    state.counters[prefix + "p90_us"] = at(0.90);
    state.counters[prefix + "p99_us"] = at(0.99);
    state.counters[prefix + "max_us"] = lat.back();
}

// Args: flights per day, sort (0 cheapest, 1 fastest), max layover minutes.
void BM_Search(benchmark::State& state) {
    const World& w = world(static_cast<int>(state.range(0)));
    const SortBy sort = state.range(1) == 0 ? SortBy::kCheapest : SortBy::kFastest;
    SearchRules rules;
    rules.max_layover_minutes = static_cast<int>(state.range(2));
    std::vector<double> lat;
    std::size_t i = 0;
    std::int64_t capped = 0;
    for (auto _ : state) {
        SearchQuery q = w.queries[i++ % w.queries.size()];
        q.sort_by = sort;
        const auto t0 = Clock::now();
        auto r = find_itineraries(*w.timetable, *w.seats, q, rules);
        const auto t1 = Clock::now();
        benchmark::DoNotOptimize(r);
        capped += r && r->total_capped ? 1 : 0;
        lat.push_back(micros(t1 - t0));
    }
    report(state, lat);
    state.counters["capped_pct"] =
        100.0 * static_cast<double>(capped) / static_cast<double>(lat.size());
    state.SetLabel(fmt::format("{} flights", w.timetable->leg_count()));
}
BENCHMARK(BM_Search)
    ->ArgNames({"per_day", "fastest", "layover"})
    ->ArgsProduct({{53'000, 200'000}, {0, 1}, {240, 1440}})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);

// Side by side with the brute-force enumerator on the same queries.
// Args: flights per day, max layover, number of queries, brute-force step budget
// (0 = none). A query over budget counts as "at least" the time it took.
void BM_SearchVsBruteForce(benchmark::State& state) {
    const World& w = world(static_cast<int>(state.range(0)));
    SearchRules rules;
    rules.max_layover_minutes = static_cast<int>(state.range(1));
    const auto n = static_cast<std::size_t>(state.range(2));
    const std::int64_t budget = state.range(3);
    static std::map<int, std::unique_ptr<BruteForceSearch>> brute_cache;
    auto& brute = brute_cache[static_cast<int>(state.range(0))];
    if (!brute) brute = std::make_unique<BruteForceSearch>(w.flights);
    std::vector<double> fast_lat;
    std::vector<double> brute_lat;
    std::size_t i = 0;
    int gave_up = 0;
    int mismatches = 0;
    for (auto _ : state) {
        SearchQuery q = w.queries[i % n];
        q.sort_by = i % 2 == 0 ? SortBy::kCheapest : SortBy::kFastest;
        ++i;
        const auto t0 = Clock::now();
        auto fast = find_itineraries(*w.timetable, *w.seats, q, rules);
        const auto t1 = Clock::now();
        auto slow = brute->search(*w.seats, q, rules, budget);
        const auto t2 = Clock::now();
        fast_lat.push_back(micros(t1 - t0));
        brute_lat.push_back(micros(t2 - t1));
        if (!slow) {
            ++gave_up;
        } else if (!(fast && *fast == *slow)) {
            ++mismatches;
        }
    }
    report(state, fast_lat, "fast_");
    report(state, brute_lat, "brute_");
    state.counters["brute_gave_up"] = gave_up;
    state.counters["mismatches"] = mismatches;
    std::sort(fast_lat.begin(), fast_lat.end());
    std::sort(brute_lat.begin(), brute_lat.end());
    state.counters["speedup_p99"] = state.counters["brute_p99_us"] / state.counters["fast_p99_us"];
}
BENCHMARK(BM_SearchVsBruteForce)
    ->ArgNames({"per_day", "layover", "queries", "budget"})
    ->Args({53'000, 240, 100, 0})
    ->Iterations(100)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchVsBruteForce)
    ->ArgNames({"per_day", "layover", "queries", "budget"})
    ->Args({200'000, 1440, 20, 20'000'000})
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);

// The completion index of issue 13 for the world of `flights_per_day` and a
// max layover, built once per process.
const CompletionIndex& completion_index(int flights_per_day, int layover) {
    static std::map<std::pair<int, int>, std::shared_ptr<const CompletionIndex>> cache;
    auto& slot = cache[{flights_per_day, layover}];
    if (!slot) {
        SearchRules rules;
        rules.max_layover_minutes = layover;
        slot = CompletionIndex::build(world(flights_per_day).timetable, rules).value();
    }
    return *slot;
}

// Old (no index) and new (completion index) search alternating query by
// query on the hard mix, in one process. Args: flights per day, sort
// (0 cheapest, 1 fastest), max layover minutes. `mismatches` compares whole
// answers (page, total, total_capped) of the two.
void BM_SearchIndexAB(benchmark::State& state) {
    const int per_day = static_cast<int>(state.range(0));
    const World& w = world(per_day);
    const SortBy sort = state.range(1) == 0 ? SortBy::kCheapest : SortBy::kFastest;
    SearchRules rules;
    rules.max_layover_minutes = static_cast<int>(state.range(2));
    const CompletionIndex& index = completion_index(per_day, rules.max_layover_minutes);
    std::vector<double> old_lat;
    std::vector<double> new_lat;
    std::size_t i = 0;
    int mismatches = 0;
    std::int64_t capped = 0;
    for (auto _ : state) {
        SearchQuery q = w.queries[i % w.queries.size()];
        q.sort_by = sort;
        // Alternate which one runs first, so neither always finds warm caches.
        const bool old_first = i % 2 == 0;
        ++i;
        Result<SearchResult> a = SearchResult{};
        Result<SearchResult> b = SearchResult{};
        for (int pass = 0; pass < 2; ++pass) {
            const bool run_old = (pass == 0) == old_first;
            const auto t0 = Clock::now();
            auto r = run_old ? find_itineraries(*w.timetable, *w.seats, q, rules)
                             : find_itineraries(*w.timetable, *w.seats, q, rules, &index);
            const auto t1 = Clock::now();
            (run_old ? old_lat : new_lat).push_back(micros(t1 - t0));
            (run_old ? a : b) = std::move(r);
        }
        if (!(a && b && *a == *b)) ++mismatches;
        capped += a && a->total_capped ? 1 : 0;
    }
    report(state, old_lat, "old_");
    report(state, new_lat, "new_");
    state.counters["p50_ratio"] = state.counters["old_p50_us"] / state.counters["new_p50_us"];
    state.counters["mismatches"] = mismatches;
    state.counters["capped_pct"] =
        100.0 * static_cast<double>(capped) / static_cast<double>(old_lat.size());
}
BENCHMARK(BM_SearchIndexAB)
    ->ArgNames({"per_day", "fastest", "layover"})
    ->ArgsProduct({{53'000, 200'000}, {0, 1}, {240, 1440}})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);

// Completion index build time and size over the two-day world. Args: flights
// per day, max layover minutes.
void BM_CompletionIndexBuild(benchmark::State& state) {
    const World& w = world(static_cast<int>(state.range(0)));
    SearchRules rules;
    rules.max_layover_minutes = static_cast<int>(state.range(1));
    std::size_t bytes = 0;
    std::size_t entries = 0;
    for (auto _ : state) {
        auto index = CompletionIndex::build(w.timetable, rules).value();
        bytes = index->memory_bytes();
        entries = index->entry_count();
        benchmark::DoNotOptimize(index);
    }
    const auto flights = static_cast<double>(w.timetable->leg_count());
    state.counters["flights"] = flights;
    state.counters["entries"] = static_cast<double>(entries);
    state.counters["MB"] = static_cast<double>(bytes) / 1e6;
    state.counters["bytes_per_flight"] = static_cast<double>(bytes) / flights;
}
BENCHMARK(BM_CompletionIndexBuild)
    ->ArgNames({"per_day", "layover"})
    ->ArgsProduct({{53'000, 200'000}, {240, 1440}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Timetable build time and size. Arg: flights per day (one day of flights).
void BM_TimetableBuild(benchmark::State& state) {
    schedule::GeneratorOptions o;
    o.flights_per_day = static_cast<int>(state.range(0));
    o.days = 1;
    const auto flights = schedule::generate_schedule(o).value();
    std::size_t bytes = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto copy = flights;
        state.ResumeTiming();
        auto t = Timetable::build(std::move(copy)).value();
        bytes = t->memory_bytes();
        benchmark::DoNotOptimize(t);
    }
    state.counters["flights"] = static_cast<double>(flights.size());
    state.counters["bytes_per_flight"] =
        static_cast<double>(bytes) / static_cast<double>(flights.size());
}
BENCHMARK(BM_TimetableBuild)->Arg(53'000)->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
