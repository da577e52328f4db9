// The search cache (issue 10, ADR 0009): what a hit costs in each tier, what
// it saves, the live seat check of a page, and a stampede.
//
// The shared-tier benchmarks need a Redis on loopback: FLIGHTBOOK_TEST_REDIS_HOST
// and FLIGHTBOOK_TEST_REDIS_PORT (as the test suites; scripts/services.sh's
// Redis is 127.0.0.1:56379). Without them those benchmarks are skipped with a
// message. See docs/benchmarks.md ("Search cache").
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/route_cache.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/search_cache.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/redis/client.hpp"
#include "flightbook/redis/search_cache.hpp"
#include "flightbook/redis/seat_change_feed.hpp"
#include "flightbook/schedule/generator.hpp"
#include "flightbook/search/result_json.hpp"

namespace {

using namespace flightbook;
using namespace flightbook::flights;

// The 53k-flights/day, two-day world of search_bench.cpp, its hard mix of
// queries (random pairs among the 300 busiest airports, max_stops 3), and a
// flight service on in-memory stores over it.
struct World {
    std::vector<Flight> flights;
    std::vector<search::SearchQuery> queries;
    ManualClock clock;
    std::unique_ptr<memory::InMemorySeatInventory> seats;
    std::unique_ptr<memory::InMemoryFlightRepository> repo;
    std::unique_ptr<FlightService> service;
};

World& world() {
    static std::unique_ptr<World> w;
    if (w) return *w;
    w = std::make_unique<World>();
    schedule::GeneratorOptions o;
    o.days = 2;
    w->flights = schedule::generate_schedule(o).value();
    std::map<AirportCode, int> movements;
    for (const Flight& f : w->flights) {
        ++movements[f.source];
        ++movements[f.destination];
    }
    std::vector<std::pair<int, AirportCode>> ranked;
    for (const auto& [code, n] : movements) ranked.emplace_back(-n, code);
    std::sort(ranked.begin(), ranked.end());
    ranked.resize(300);
    std::mt19937_64 rng(7);
    for (int i = 0; i < 400; ++i) {
        search::SearchQuery q;
        q.source = ranked[rng() % ranked.size()].second;
        do {
            q.destination = ranked[rng() % ranked.size()].second;
        } while (q.destination == q.source);
        q.date = o.start_date;
        w->queries.push_back(q);
    }
    w->seats = std::make_unique<memory::InMemorySeatInventory>(w->clock);
    (void)w->seats->add_flights(w->flights);
    w->repo = std::make_unique<memory::InMemoryFlightRepository>(w->flights, w->seats.get());
    w->service = std::make_unique<FlightService>(*w->repo, *w->seats, w->clock);
    (void)w->service->reload();
    return *w;
}

std::shared_ptr<redis::Client> redis_client() {
    const char* host = std::getenv("FLIGHTBOOK_TEST_REDIS_HOST");
    const char* port = std::getenv("FLIGHTBOOK_TEST_REDIS_PORT");
    if (host == nullptr || port == nullptr) return nullptr;
    redis::ClientOptions o;
    o.host = host;
    o.port = std::atoi(port);
    auto c = redis::Client::create(o);
    return c ? *c : nullptr;
}

void report(benchmark::State& state, std::vector<double> us) {
    std::sort(us.begin(), us.end());
    auto at = [&](double p) {
        return us[std::min(us.size() - 1,
                           static_cast<std::size_t>(p * static_cast<double>(us.size() - 1) + 0.5))];
    };
    state.counters["p50_us"] = at(0.5);
    state.counters["p90_us"] = at(0.9);
    state.counters["p99_us"] = at(0.99);
}

// CPU time of the calling thread, so that other processes on a busy
// machine do not pollute the distribution (as search_bench.cpp).
double thread_cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// The computation a miss pays: the best 40 itineraries (a page of 20 and its
// refill) of each hard-mix query, timed one by one. Its distribution is what
// the shared tier's threshold is chosen from.
void BM_ComputeRouteList(benchmark::State& state) {
    World& w = world();
    const auto timetable = w.service->timetable();
    search::TimetableSeatAvailability seats(timetable);
    std::vector<double> us;
    std::size_t i = 0;
    for (auto _ : state) {
        auto q = w.queries[i++ % w.queries.size()];
        q.limit = static_cast<int>(state.range(0));
        const double t0 = thread_cpu_us();
        auto r = search::find_itineraries(*timetable, seats, q);
        us.push_back(thread_cpu_us() - t0);
        benchmark::DoNotOptimize(r);
    }
    report(state, us);
}
BENCHMARK(BM_ComputeRouteList)->ArgName("depth")->Arg(20)->Arg(25)->Arg(40)->Iterations(400);

// A tier-1 hit: lookup of a warm key (no seat check).
void BM_LocalHit(benchmark::State& state) {
    ManualClock clock;
    RouteCache cache(clock, {});
    World& w = world();
    const SeatMirror mirror(w.flights);
    search::SearchResult routes;
    routes.paths.resize(40);
    const RouteCache::Key key{1, "v1:DEL:BLR:2024-02-15:1:cheapest:3:45:240"};
    const RouteCache::Compute compute = [&](int) { return Result<search::SearchResult>(routes); };
    (void)cache.find(key, 20, 40, mirror, 1, compute);
    for (auto _ : state) benchmark::DoNotOptimize(cache.find(key, 20, 40, mirror, 1, compute));
}
BENCHMARK(BM_LocalHit);

// A tier-2 hit: GET of a 40-itinerary list from Redis and its decoding (the
// local key changes every time, the shared one does not).
void BM_SharedHit(benchmark::State& state) {
    auto client = redis_client();
    if (!client) {
        state.SkipWithError("set FLIGHTBOOK_TEST_REDIS_HOST/PORT");
        return;
    }
    SystemClock clock;
    redis::RedisSearchCache shared(client);
    RouteCacheOptions o;
    o.shared_min_compute = std::chrono::microseconds{0};
    RouteCache cache(clock, o, &shared);
    World& w = world();
    const SeatMirror mirror(w.flights);
    const auto timetable = w.service->timetable();
    search::TimetableSeatAvailability seats(timetable);
    auto q = w.queries[0];
    q.limit = 40;
    const auto routes = search::find_itineraries(*timetable, seats, q).value();
    const RouteCache::Compute compute = [&](int) { return Result<search::SearchResult>(routes); };
    std::uint64_t generation = 0;
    const std::string shared_key = fmt::format("bench:{}", std::rand());
    (void)cache.find({generation++, shared_key}, 20, 40, mirror, 1, compute);
    std::int64_t shared_hits = 0;
    for (auto _ : state) {
        auto found = cache.find({generation++, shared_key}, 20, 40, mirror, 1, compute);
        shared_hits += found && found->source == RouteSource::kShared ? 1 : 0;
    }
    state.counters["shared_hit_pct"] =
        100.0 * static_cast<double>(shared_hits) / static_cast<double>(state.iterations());
    state.counters["bytes"] = static_cast<double>(
        encode_route_list(RouteList{routes, 40, 0, 0, std::chrono::microseconds{0}}).size());
}
BENCHMARK(BM_SharedHit)->UseRealTime()->Unit(benchmark::kMicrosecond);

// A repeated search through FlightService on a warm cache: the tier-1 hit,
// the live seat check of the page against counts within the bound, and (arg
// 1) the JSON body. No HTTP.
void BM_ServiceRepeatedSearch(benchmark::State& state) {
    World& w = world();
    const bool render = state.range(0) == 1;
    std::size_t i = 0;
    for (auto _ : state) {
        const auto& q = w.queries[i++ % 16];  // 16 hot queries
        auto answer = w.service->search(q);
        if (render && answer) benchmark::DoNotOptimize(answer->to_json());
        benchmark::DoNotOptimize(answer);
    }
}
BENCHMARK(BM_ServiceRepeatedSearch)->ArgName("json")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// The live check per itinerary: the page cut from a warm list when every
// count is within the bound.
void BM_PageCheckPerItinerary(benchmark::State& state) {
    World& w = world();
    const auto& q = w.queries[3];
    (void)w.service->search(q);
    std::size_t shown = 0;
    for (auto _ : state) {
        auto answer = w.service->search(q);
        shown = answer ? answer->result.paths.size() : 0;
        benchmark::DoNotOptimize(answer);
    }
    state.counters["itineraries"] = static_cast<double>(shown);
    state.counters["per_itinerary"] = benchmark::Counter(
        static_cast<double>(state.iterations() * std::max<std::size_t>(shown, 1)),
        benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_PageCheckPerItinerary);

// N threads ask for one cold key at once: how many computations.
void BM_Stampede(benchmark::State& state) {
    const int threads = static_cast<int>(state.range(0));
    SystemClock clock;
    World& w = world();
    const SeatMirror mirror(w.flights);
    std::int64_t computations = 0;
    std::uint64_t generation = 0;
    for (auto _ : state) {
        RouteCache cache(clock, {});
        std::atomic<int> calls{0};
        const RouteCache::Compute compute = [&](int) {
            ++calls;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            return Result<search::SearchResult>(search::SearchResult{});
        };
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&] {
                (void)cache.find({generation, "cold"}, 20, 40, mirror, 1, compute);
            });
        }
        for (auto& t : pool) t.join();
        ++generation;
        computations += calls;
    }
    state.counters["computations_per_stampede"] =
        static_cast<double>(computations) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Stampede)->Arg(64)->Iterations(20)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

// The seat-change feed (ADR 0011) over Redis: how long a seat change takes
// from PUBLISH on one instance to another instance's listener (wall time,
// both sides in this process on their own connections), and what publishing
// costs the instance that made the change.
class WaitingListener final : public SeatChangeListener {
public:
    void feed_started(TimePoint) override {
        std::lock_guard lock(mutex_);
        live_ = true;
        changed_.notify_all();
    }
    void seat_changes(std::span<const SeatCountChange> changes, TimePoint) override {
        std::lock_guard lock(mutex_);
        last_ = changes.back().flight.value();
        changed_.notify_all();
    }
    void feed_heartbeat(TimePoint) override {}
    void feed_lost() override {}
    // Waits up to 1 s for the flight id `id` (or a live session when 0).
    bool wait_for(std::int64_t id) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(1),
                                 [&] { return id == 0 ? live_ : last_ == id; });
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool live_ = false;
    std::int64_t last_ = 0;
};

void BM_SeatFeedPropagation(benchmark::State& state) {
    auto client = redis_client();
    if (!client) {
        state.SkipWithError("set FLIGHTBOOK_TEST_REDIS_HOST/PORT");
        return;
    }
    const std::string channel = fmt::format("bench:feed:{}", std::rand());
    WaitingListener listener;
    redis::SeatChangeSubscriberOptions so;
    so.host = client->options().host;
    so.port = client->options().port;
    so.channel = channel;
    so.origin = "follower";
    redis::SeatChangeSubscriber subscriber(so, listener, SystemClock::instance());
    subscriber.start();
    if (!listener.wait_for(0)) {
        state.SkipWithError("no feed session");
        return;
    }
    redis::RedisSeatChangePublisher publisher(client, "seller", channel);
    std::vector<double> us;
    std::int64_t id = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const SeatCountChange change{FlightId{++id}, 3};
        publisher.publish(std::span<const SeatCountChange>(&change, 1));
        if (!listener.wait_for(id)) {
            state.SkipWithError("a change was not delivered within 1 s");
            break;
        }
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
    }
    subscriber.stop();
    if (!us.empty()) report(state, std::move(us));
    state.counters["publish_errors"] = static_cast<double>(publisher.errors());
}
BENCHMARK(BM_SeatFeedPropagation)->Iterations(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// What the instance making a change pays: one PUBLISH round trip.
void BM_SeatFeedPublish(benchmark::State& state) {
    auto client = redis_client();
    if (!client) {
        state.SkipWithError("set FLIGHTBOOK_TEST_REDIS_HOST/PORT");
        return;
    }
    redis::RedisSeatChangePublisher publisher(client, "seller", "bench:feed:nobody");
    const std::vector<SeatCountChange> legs{{FlightId{1}, 3}, {FlightId{2}, 40}};
    for (auto _ : state) publisher.publish(legs);
}
BENCHMARK(BM_SeatFeedPublish)->UseRealTime()->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
