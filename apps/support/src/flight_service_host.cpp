#include "flightbook/app/flight_service_host.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "flightbook/api/flight_routes.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/seat_counter_reconciler.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/periodic_task.hpp"
#include "flightbook/postgres/flight_repository.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/postgres/seat_inventory.hpp"
#include "flightbook/redis/client.hpp"
#include "flightbook/redis/search_cache.hpp"
#include "flightbook/redis/seat_change_feed.hpp"
#include "flightbook/redis/seat_inventory.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/seats/hold_sweeper.hpp"

namespace flightbook::app {
namespace {

constexpr std::string_view kName = "flight-service";

void define_flight_settings(Config& c) {
    define_server_settings(c, 8080);
    define_database_settings(c, "flights");
    define_redis_settings(c);
    c.define({"seat-store", "FLIGHTBOOK_SEAT_STORE", "redis",
              "redis (Lua counters over PostgreSQL), postgres, or memory (no databases)"});
    c.define({"schedule", "FLIGHTBOOK_SCHEDULE", "",
              "flights CSV served by --seat-store memory (docs/schedule-format.md)"});
    c.define({"hold-ttl-seconds", "FLIGHTBOOK_HOLD_TTL_SECONDS", "900", "life of a seat hold"});
    c.define({"sweep-interval-ms", "FLIGHTBOOK_SWEEP_INTERVAL_MS", "1000",
              "how often expired holds are given back"});
    c.define({"reload-interval-seconds", "FLIGHTBOOK_RELOAD_INTERVAL_SECONDS", "60",
              "how often the search timetable is rebuilt from the flights table"});
    c.define({"schedule-check-interval-ms", "FLIGHTBOOK_SCHEDULE_CHECK_INTERVAL_MS", "1000",
              "how often the flights table's schedule version is read; a change (e.g. "
              "`flightbook load`) rebuilds the timetable at once (0: never)"});
    c.define({"reconcile-interval-seconds", "FLIGHTBOOK_RECONCILE_INTERVAL_SECONDS", "60",
              "how often Redis seat counters are checked against PostgreSQL (0: never)"});
    c.define({"seat-freshness-ms", "FLIGHTBOOK_SEAT_FRESHNESS_MS", "100",
              "how old a seat count may be when a search page is checked against it; older "
              "counts are read again from the seat store (0: every page)"});
    c.define({"search-cache-mb", "FLIGHTBOOK_SEARCH_CACHE_MB", "64",
              "memory of the in-process search cache (route lists; 0: no search cache)"});
    c.define({"search-cache-ttl-ms", "FLIGHTBOOK_SEARCH_CACHE_TTL_MS", "30000",
              "how long a cached route list is reused (both tiers)"});
    c.define({"search-cache-shared", "FLIGHTBOOK_SEARCH_CACHE_SHARED", "true",
              "with --seat-store redis, share expensive route lists with other instances "
              "through Redis, with a lock per cold key"});
    c.define({"search-cache-shared-min-us", "FLIGHTBOOK_SEARCH_CACHE_SHARED_MIN_US", "100",
              "only route lists that took at least this long to compute go to Redis"});
    c.define({"search-cache-lock-wait-ms", "FLIGHTBOOK_SEARCH_CACHE_LOCK_WAIT_MS", "50",
              "how long an instance waits for another's computation before computing itself"});
    c.define({"search-cache-redis", "FLIGHTBOOK_SEARCH_CACHE_REDIS", "",
              "host:port of a Redis for the shared search cache, so that its values never "
              "compete with the seat counters for memory (default: the seat Redis)"});
    c.define({"seat-feed", "FLIGHTBOOK_SEAT_FEED", "true",
              "with --seat-store redis, publish seat changes on a Redis channel and follow the "
              "other instances' ones, so that search pages need no seat read for counts the "
              "feed vouches for"});
    c.define({"seat-feed-heartbeat-ms", "FLIGHTBOOK_SEAT_FEED_HEARTBEAT_MS", "20",
              "how often the seat-change subscription is checked end to end (its lag bound)"});
    c.define({"search-index-mb", "FLIGHTBOOK_SEARCH_INDEX_MB", "256",
              "memory allowed for the completion index built beside each timetable, which "
              "speeds up hard searches (0: none; ADR 0010)"});
    c.define({"mct-minutes", "FLIGHTBOOK_MCT_MINUTES", "45", "minimum connection time"});
    c.define({"max-layover-minutes", "FLIGHTBOOK_MAX_LAYOVER_MINUTES", "240", "maximum layover"});
}

// The adapters behind the two ports, owned together.
struct Stores {
    std::unique_ptr<FlightRepository> flights;
    std::unique_ptr<SeatInventory> truth;        // PostgreSQL or memory
    std::unique_ptr<SeatInventory> counters;     // Redis fast path, optional
    redis::RedisSeatInventory* redis = nullptr;  // == counters when they are Redis's
    std::unique_ptr<SearchCache> search_cache;   // the cache's shared tier, optional
    std::unique_ptr<redis::RedisSeatChangePublisher> feed_publisher;  // optional
    std::optional<redis::SeatChangeSubscriberOptions> feed;           // set: follow the feed
    SeatInventory& seats() { return counters ? *counters : *truth; }
};

// A name for this process on the seat-change feed, so that it skips its own
// messages: random, as pids repeat across hosts and restarts.
std::string feed_origin() {
    std::random_device random;
    return fmt::format("{:08x}{:08x}", random(), random());
}

// "host:port" → client options; an empty text is nullopt.
Result<std::optional<redis::ClientOptions>> redis_address(const Config& c, std::string_view flag) {
    FLIGHTBOOK_TRY(text, c.get_string(flag));
    if (text.empty()) return std::optional<redis::ClientOptions>{};
    const auto bad = [&] {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("--{} must be host:port, not '{}'", flag, text));
    };
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return bad();
    int port = 0;
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(text.data() + colon + 1, last, port);
    if (ec != std::errc{} || end != last || port < 1 || port > 65535) return bad();
    redis::ClientOptions ro;
    ro.host = text.substr(0, colon);
    ro.port = port;
    return std::optional<redis::ClientOptions>{ro};
}

Result<Stores> build_stores(const Config& c, std::optional<std::vector<Flight>> schedule,
                            const Clock& clock, const http::Logger& log,
                            metrics::Registry* registry) {
    FLIGHTBOOK_TRY(kind, c.get_string("seat-store"));
    Stores s;
    if (kind == "memory") {
        if (!schedule) {
            auto file = c.get_required_string("schedule");
            if (!file) {
                return fail(ErrorCode::kInvalidArgument, "--seat-store memory needs --schedule");
            }
            FLIGHTBOOK_TRY(read, schedule::read_flights_csv(*file));
            schedule = std::move(read);
        }
        auto seats = std::make_unique<memory::InMemorySeatInventory>(clock);
        FLIGHTBOOK_TRY_STATUS(seats->add_flights(*schedule));
        s.flights =
            std::make_unique<memory::InMemoryFlightRepository>(std::move(*schedule), seats.get());
        s.truth = std::move(seats);
        log.info("stores_ready", kind);
        return s;
    }
    if (kind != "postgres" && kind != "redis") {
        return fail(ErrorCode::kInvalidArgument, "--seat-store must be redis, postgres or memory");
    }
    FLIGHTBOOK_TRY(pool, database_pool(c, registry, "flights"));
    s.flights = std::make_unique<postgres::PostgresFlightRepository>(pool);
    s.truth = std::make_unique<postgres::PostgresSeatInventory>(pool, clock);
    if (kind == "redis") {
        FLIGHTBOOK_TRY(rs, redis_settings(c));
        redis::ClientOptions ro;
        ro.host = rs.host;
        ro.port = rs.port;
        ro.pool_size = pool->options().size;
        FLIGHTBOOK_TRY(client, redis::Client::create(ro));
        FLIGHTBOOK_TRY(shared, c.get_bool("search-cache-shared"));
        FLIGHTBOOK_TRY(cache_address, redis_address(c, "search-cache-redis"));
        if (shared) {
            auto cache_client = client;
            if (cache_address) {
                cache_address->pool_size = ro.pool_size;
                FLIGHTBOOK_TRY(own, redis::Client::create(*cache_address));
                cache_client = std::move(own);
            }
            s.search_cache = std::make_unique<redis::RedisSearchCache>(cache_client);
        }
        FLIGHTBOOK_TRY(feed, c.get_bool("seat-feed"));
        if (feed) {
            redis::SeatChangeSubscriberOptions fo;
            fo.host = ro.host;
            fo.port = ro.port;
            fo.origin = feed_origin();
            FLIGHTBOOK_TRY(heartbeat_ms, c.get_int("seat-feed-heartbeat-ms", 1, 10'000));
            fo.heartbeat_interval_ms = heartbeat_ms;
            s.feed_publisher = std::make_unique<redis::RedisSeatChangePublisher>(
                client, fo.origin, fo.channel, registry);
            s.feed = std::move(fo);
        }
        auto counters = std::make_unique<redis::RedisSeatInventory>(client, *s.truth, clock);
        if (registry != nullptr) counters->attach_metrics(*registry);
        s.redis = counters.get();
        s.counters = std::move(counters);
    }
    log.info("stores_ready", kind);
    return s;
}

struct Intervals {
    std::int64_t sweep_ms;
    std::int64_t reload_s;
    std::int64_t schedule_check_ms;
    std::int64_t reconcile_s;
};

class FlightServiceHost final : public ServiceHost {
public:
    FlightServiceHost(const http::ServerOptions& server_options, Intervals intervals)
        : registry_(std::make_shared<metrics::Registry>()),
          server_(server_options, registry_),
          intervals_(intervals) {}

    Status build(const Config& config, std::optional<std::vector<Flight>> schedule,
                 flights::FlightServiceOptions options) {
        const http::Logger& log = server_.logger();
        auto stores = build_stores(config, std::move(schedule), clock_, log, registry_.get());
        if (!stores) {
            log.error("startup_failed", stores.error().message);
            return fail(std::move(stores).error());
        }
        stores_ = std::move(*stores);
        service_ = std::make_unique<flights::FlightService>(*stores_.flights, stores_.seats(),
                                                            clock_, options, registry_,
                                                            stores_.search_cache.get());
        service_->publish_seat_changes_to(stores_.feed_publisher.get());
        if (stores_.feed) {
            subscriber_ = std::make_unique<redis::SeatChangeSubscriber>(
                *stores_.feed, service_->seat_feed(), clock_);
        }
        if (auto loaded = service_->reload(); !loaded) {
            // Serve anyway: /ready answers 503 until a reload succeeds.
            log.warn("schedule_not_loaded", loaded.error().message);
        }
        if (auto routed = api::register_flight_routes(server_, *service_, {service_token(config)});
            !routed) {
            log.error("startup_failed", routed.error().message);
            return routed;
        }
        server_.add_readiness_check("seats", [this] { return service_->check_ready(); });
        return ok();
    }

    http::Server& server() override { return server_; }

    void start_tasks() override {
        const http::Logger& log = server_.logger();
        flights::FlightService& service = *service_;
        HoldSweeperOptions so;
        so.interval_ms = intervals_.sweep_ms;
        sweeper_.emplace(
            stores_.seats(), clock_, so,
            [&service](const Reservation& r) { service.note_expired(r); }, &log, registry_);
        reloader_.emplace(std::chrono::seconds{intervals_.reload_s}, [&service, &log] {
            if (auto r = service.reload(); !r)
                log.warn("schedule_reload_failed", r.error().message);
        });
        if (stores_.redis != nullptr && intervals_.reconcile_s > 0) {
            reconciler_.emplace(*stores_.redis, service,
                                std::chrono::seconds{intervals_.reconcile_s}, log, registry_);
        }
        if (intervals_.schedule_check_ms > 0) {
            version_watch_.emplace(std::chrono::milliseconds{intervals_.schedule_check_ms},
                                   [this, &service, &log] {
                                       const auto start = std::chrono::steady_clock::now();
                                       auto r = service.reload_if_changed();
                                       if (!r) {
                                           log.warn("schedule_reload_failed", r.error().message);
                                       } else if (*r) {
                                           schedule_changed(log, start);
                                       }
                                   });
        }
        if (subscriber_) subscriber_->start();
        // Builds the completion index beside each new timetable, off the
        // request path; searches run without it until it is attached.
        index_builder_.emplace(std::chrono::seconds{1}, [&service, &log] {
            auto built = service.ensure_index();
            if (!built) {
                log.warn("search_index_not_built", built.error().message);
            } else if (built->attached) {
                log.info(
                    "search_index_attached", "the completion index serves searches",
                    [&](json::Writer& w) {
                        w.key("bytes").value(static_cast<std::uint64_t>(built->bytes));
                        w.key("entries").value(static_cast<std::uint64_t>(built->entries));
                        w.key("duration_ms").value(static_cast<std::int64_t>(built->took.count()));
                    });
            }
        });
        sweeper_->start();
        reloader_->start();
        index_builder_->start();
        if (version_watch_) version_watch_->start();
        if (reconciler_) reconciler_->start();
    }

    // A loaded schedule may reuse flight ids with other seat totals: the
    // Redis counters are compared with the truth at once, not at the next
    // periodic pass.
    void schedule_changed(const http::Logger& log, std::chrono::steady_clock::time_point start) {
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
        const auto timetable = service_->timetable();
        log.info("schedule_reloaded", "the flights table changed", [&](json::Writer& w) {
            w.key("flights").value(
                static_cast<std::uint64_t>(timetable ? timetable->flights().size() : 0));
            w.key("duration_ms").value(static_cast<std::int64_t>(took.count()));
        });
        if (reconciler_) {
            if (auto r = reconciler_->run_once(); !r) {
                log.warn("seat_counter_reconcile_failed", r.error().message);
            }
        }
    }

    void stop_tasks() override {
        if (reconciler_) reconciler_->stop();
        if (version_watch_) version_watch_->stop();
        if (reloader_) reloader_->stop();
        if (index_builder_) index_builder_->stop();
        if (sweeper_) sweeper_->stop();
        if (subscriber_) subscriber_->stop();
    }

    ~FlightServiceHost() override {
        server_.stop();
        stop_tasks();
    }

private:
    const Clock& clock_ = SystemClock::instance();
    std::shared_ptr<metrics::Registry> registry_;
    http::Server server_;
    Intervals intervals_;
    Stores stores_;
    std::unique_ptr<flights::FlightService> service_;
    std::unique_ptr<redis::SeatChangeSubscriber> subscriber_;  // stops before service_ goes
    std::optional<HoldSweeper> sweeper_;
    std::optional<PeriodicTask> reloader_;
    std::optional<PeriodicTask> index_builder_;
    std::optional<PeriodicTask> version_watch_;
    std::optional<flights::SeatCounterReconciler> reconciler_;
};

}  // namespace

ServiceDefinition flight_service_definition() {
    return {std::string{kName}, define_flight_settings,
            [](const Config& c) { return build_flight_service(c); }};
}

Result<std::unique_ptr<ServiceHost>> build_flight_service(
    const Config& config, std::optional<std::vector<Flight>> schedule) {
    auto server_options = app::server_options(config, std::string{kName});
    auto hold_ttl =
        config.get_int("hold-ttl-seconds", rules::kMinHoldTtl.count(), rules::kMaxHoldTtl.count());
    auto sweep_ms = config.get_int("sweep-interval-ms", 10, 3'600'000);
    auto reload_s = config.get_int("reload-interval-seconds", 1, 86'400);
    auto check_ms = config.get_int("schedule-check-interval-ms", 0, 3'600'000);
    auto reconcile_s = config.get_int("reconcile-interval-seconds", 0, 86'400);
    auto freshness_ms = config.get_int("seat-freshness-ms", 0, 60'000);
    auto mct = config.get_int("mct-minutes", 0, 1'440);
    auto layover = config.get_int("max-layover-minutes", 0, 10'080);
    auto cache_mb = config.get_int("search-cache-mb", 0, 65'536);
    auto cache_ttl_ms = config.get_int("search-cache-ttl-ms", 1, 86'400'000);
    auto shared_min_us = config.get_int("search-cache-shared-min-us", 0, 60'000'000);
    auto lock_wait_ms = config.get_int("search-cache-lock-wait-ms", 0, 10'000);
    auto index_mb = config.get_int("search-index-mb", 0, 65'536);
    if (!usable(index_mb, kName)) return fail(ErrorCode::kInvalidArgument, "invalid settings");
    if (!usable(cache_mb, kName) || !usable(cache_ttl_ms, kName) || !usable(shared_min_us, kName) ||
        !usable(lock_wait_ms, kName)) {
        return fail(ErrorCode::kInvalidArgument, "invalid settings");
    }
    if (!usable(server_options, kName) || !usable(hold_ttl, kName) || !usable(sweep_ms, kName) ||
        !usable(reload_s, kName) || !usable(check_ms, kName) || !usable(reconcile_s, kName) ||
        !usable(freshness_ms, kName) || !usable(mct, kName) || !usable(layover, kName)) {
        return fail(ErrorCode::kInvalidArgument, "invalid settings");
    }
    flights::FlightServiceOptions fo;
    fo.hold_ttl = std::chrono::seconds{*hold_ttl};
    fo.seat_freshness = std::chrono::milliseconds{*freshness_ms};
    fo.rules.mct_minutes = static_cast<int>(*mct);
    fo.rules.max_layover_minutes = static_cast<int>(*layover);
    fo.cache.max_bytes = static_cast<std::size_t>(*cache_mb) << 20;
    fo.cache.ttl = std::chrono::milliseconds{*cache_ttl_ms};
    fo.cache.shared_min_compute = std::chrono::microseconds{*shared_min_us};
    fo.cache.lock_wait = std::chrono::milliseconds{*lock_wait_ms};
    fo.index_max_bytes = static_cast<std::size_t>(*index_mb) << 20;
    FLIGHTBOOK_TRY_STATUS(flights::validate(fo));

    auto host = std::make_unique<FlightServiceHost>(
        *server_options, Intervals{*sweep_ms, *reload_s, *check_ms, *reconcile_s});
    FLIGHTBOOK_TRY_STATUS(host->build(config, std::move(schedule), fo));
    return std::unique_ptr<ServiceHost>(std::move(host));
}

}  // namespace flightbook::app
