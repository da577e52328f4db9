// flight-service: itinerary search, flights and seat accounting (SPEC §4).
// Reads configuration, builds the adapters, wires FlightService to HTTP and
// serves until SIGTERM/SIGINT.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "flightbook/api/flight_routes.hpp"
#include "flightbook/app/config.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/app/shutdown_signals.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/seat_counter_reconciler.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/periodic_task.hpp"
#include "flightbook/postgres/flight_repository.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/postgres/seat_inventory.hpp"
#include "flightbook/redis/client.hpp"
#include "flightbook/redis/seat_inventory.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/seats/hold_sweeper.hpp"

namespace {

using namespace flightbook;

void define_flight_settings(app::Config& c) {
    c.define({"seat-store", "FLIGHTBOOK_SEAT_STORE", "redis",
              "redis (Lua counters over PostgreSQL), postgres, or memory (no databases)"});
    c.define({"schedule", "FLIGHTBOOK_SCHEDULE", "",
              "flights CSV served by --seat-store memory (docs/schedule-format.md)"});
    c.define({"hold-ttl-seconds", "FLIGHTBOOK_HOLD_TTL_SECONDS", "900", "life of a seat hold"});
    c.define({"sweep-interval-ms", "FLIGHTBOOK_SWEEP_INTERVAL_MS", "1000",
              "how often expired holds are given back"});
    c.define({"reload-interval-seconds", "FLIGHTBOOK_RELOAD_INTERVAL_SECONDS", "60",
              "how often the search timetable is rebuilt from the flights table"});
    c.define({"reconcile-interval-seconds", "FLIGHTBOOK_RECONCILE_INTERVAL_SECONDS", "60",
              "how often Redis seat counters are checked against PostgreSQL (0: never)"});
    c.define({"mct-minutes", "FLIGHTBOOK_MCT_MINUTES", "45", "minimum connection time"});
    c.define({"max-layover-minutes", "FLIGHTBOOK_MAX_LAYOVER_MINUTES", "240", "maximum layover"});
}

// The adapters behind the two ports, owned together.
struct Stores {
    std::unique_ptr<FlightRepository> flights;
    std::unique_ptr<SeatInventory> truth;        // PostgreSQL or memory
    std::unique_ptr<SeatInventory> counters;     // Redis fast path, optional
    redis::RedisSeatInventory* redis = nullptr;  // == counters when they are Redis's
    SeatInventory& seats() { return counters ? *counters : *truth; }
};

Result<Stores> build_stores(const app::Config& c, const Clock& clock, const http::Logger& log,
                            metrics::Registry* registry) {
    auto kind = c.get_string("seat-store");
    if (!kind) return fail(std::move(kind).error());
    Stores s;
    if (*kind == "memory") {
        auto file = c.get_required_string("schedule");
        if (!file) return fail(ErrorCode::kInvalidArgument, "--seat-store memory needs --schedule");
        auto flights = schedule::read_flights_csv(*file);
        if (!flights) return fail(std::move(flights).error());
        auto seats = std::make_unique<memory::InMemorySeatInventory>(clock);
        FLIGHTBOOK_TRY_STATUS(seats->add_flights(*flights));
        s.flights =
            std::make_unique<memory::InMemoryFlightRepository>(std::move(*flights), seats.get());
        s.truth = std::move(seats);
        return s;
    }
    if (*kind != "postgres" && *kind != "redis") {
        return fail(ErrorCode::kInvalidArgument, "--seat-store must be redis, postgres or memory");
    }
    auto pool = app::database_pool(c, registry, "flights");
    if (!pool) return fail(std::move(pool).error());
    s.flights = std::make_unique<postgres::PostgresFlightRepository>(*pool);
    s.truth = std::make_unique<postgres::PostgresSeatInventory>(*pool, clock);
    if (*kind == "redis") {
        auto rs = app::redis_settings(c);
        if (!rs) return fail(std::move(rs).error());
        redis::ClientOptions ro;
        ro.host = rs->host;
        ro.port = rs->port;
        ro.pool_size = (*pool)->options().size;
        auto client = redis::Client::create(ro);
        if (!client) return fail(std::move(client).error());
        auto counters = std::make_unique<redis::RedisSeatInventory>(*client, *s.truth, clock);
        if (registry != nullptr) counters->attach_metrics(*registry);
        s.redis = counters.get();
        s.counters = std::move(counters);
    }
    log.info("stores_ready", *kind);
    return s;
}

template <typename T>
bool usable(const Result<T>& setting) {
    if (!setting) std::fprintf(stderr, "flight-service: %s\n", setting.error().message.c_str());
    return setting.has_value();
}

}  // namespace

int main(int argc, char** argv) {
    app::ShutdownSignals signals;  // first, before any thread exists
    app::Config config;
    app::define_server_settings(config, 8080);
    app::define_database_settings(config, "flights");
    app::define_redis_settings(config);
    define_flight_settings(config);
    if (auto loaded = config.load(argc, argv); !loaded) {
        std::fprintf(stderr, "flight-service: %s\n%s", loaded.error().message.c_str(),
                     config.usage("flight-service").c_str());
        return 2;
    }
    if (config.help_requested()) {
        std::fputs(config.usage("flight-service").c_str(), stdout);
        return 0;
    }
    auto server_options = app::server_options(config, "flight-service");
    auto hold_ttl =
        config.get_int("hold-ttl-seconds", rules::kMinHoldTtl.count(), rules::kMaxHoldTtl.count());
    auto sweep_ms = config.get_int("sweep-interval-ms", 10, 3'600'000);
    auto reload_s = config.get_int("reload-interval-seconds", 1, 86'400);
    auto reconcile_s = config.get_int("reconcile-interval-seconds", 0, 86'400);
    auto mct = config.get_int("mct-minutes", 0, 1'440);
    auto layover = config.get_int("max-layover-minutes", 0, 10'080);
    if (!usable(server_options) || !usable(hold_ttl) || !usable(sweep_ms) || !usable(reload_s) ||
        !usable(reconcile_s) || !usable(mct) || !usable(layover)) {
        return 2;
    }

    auto registry = std::make_shared<metrics::Registry>();
    http::Server server(*server_options, registry);
    const http::Logger& log = server.logger();
    const Clock& clock = SystemClock::instance();

    auto stores = build_stores(config, clock, log, registry.get());
    if (!stores) {
        log.error("startup_failed", stores.error().message);
        return 1;
    }
    flights::FlightServiceOptions fo;
    fo.hold_ttl = std::chrono::seconds{*hold_ttl};
    fo.rules.mct_minutes = static_cast<int>(*mct);
    fo.rules.max_layover_minutes = static_cast<int>(*layover);
    if (auto valid = flights::validate(fo); !valid) {
        std::fprintf(stderr, "flight-service: %s\n", valid.error().message.c_str());
        return 2;
    }
    flights::FlightService service(*stores->flights, stores->seats(), clock, fo, registry);
    if (auto loaded = service.reload(); !loaded) {
        // Serve anyway: /ready answers 503 until a reload succeeds.
        log.warn("schedule_not_loaded", loaded.error().message);
    }

    if (auto routed = api::register_flight_routes(server, service, {app::service_token(config)});
        !routed) {
        log.error("startup_failed", routed.error().message);
        return 1;
    }
    server.add_readiness_check("seats", [&service] { return service.check_ready(); });

    HoldSweeperOptions so;
    so.interval_ms = *sweep_ms;
    HoldSweeper sweeper(
        stores->seats(), clock, so, [&service](const Reservation& r) { service.note_expired(r); },
        &log, registry);
    PeriodicTask reloader(std::chrono::seconds{*reload_s}, [&service, &log] {
        if (auto r = service.reload(); !r) log.warn("schedule_reload_failed", r.error().message);
    });
    std::optional<flights::SeatCounterReconciler> reconciler;
    if (stores->redis != nullptr && *reconcile_s > 0) {
        reconciler.emplace(*stores->redis, service, std::chrono::seconds{*reconcile_s}, log,
                           registry);
    }
    sweeper.start();
    reloader.start();
    if (reconciler) reconciler->start();
    const int rc = app::serve_until_signal(server, signals, log);
    if (reconciler) reconciler->stop();
    reloader.stop();
    sweeper.stop();
    return rc;
}
