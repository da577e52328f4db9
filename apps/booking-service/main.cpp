// booking-service: bookings of flights (SPEC §4, docs/bookings.md).
// Reads configuration, builds the booking store and the clients of the
// flight and payment services, wires BookingService to HTTP, runs the
// reconciler and serves until SIGTERM/SIGINT.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "flightbook/api/booking_routes.hpp"
#include "flightbook/api/http_flight_seats.hpp"
#include "flightbook/api/http_payment_gateway.hpp"
#include "flightbook/app/config.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/app/shutdown_signals.hpp"
#include "flightbook/booking/booking_reconciler.hpp"
#include "flightbook/booking/booking_service.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/booking_repository.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/postgres/booking_repository.hpp"
#include "flightbook/postgres/pool.hpp"

namespace {

using namespace flightbook;

void define_booking_settings(app::Config& c) {
    c.define({"store", "FLIGHTBOOK_BOOKING_STORE", "postgres",
              "postgres (durable), or memory (bookings are lost on exit)"});
    app::define_service_url(c, "flight-service-url", "FLIGHT_SERVICE_URL", "http://127.0.0.1:8080");
    app::define_service_url(c, "payment-service-url", "PAYMENT_SERVICE_URL",
                            "http://127.0.0.1:8082");
    c.define({"hold-ttl-seconds", "FLIGHTBOOK_HOLD_TTL_SECONDS", "900",
              "life of the seat hold a booking takes while its payment settles"});
    c.define({"mct-minutes", "FLIGHTBOOK_MCT_MINUTES", "45", "minimum connection time"});
    c.define({"max-layover-minutes", "FLIGHTBOOK_MAX_LAYOVER_MINUTES", "240", "maximum layover"});
    c.define({"idempotency-wait-ms", "FLIGHTBOOK_IDEMPOTENCY_WAIT_MS", "10000",
              "how long a repeated request waits for the first one's answer"});
    c.define({"reconcile-interval-ms", "FLIGHTBOOK_RECONCILE_INTERVAL_MS", "5000",
              "pause between reconciler passes"});
    c.define({"reconcile-grace-seconds", "FLIGHTBOOK_RECONCILE_GRACE_SECONDS", "30",
              "age of a pending booking before the reconciler resolves it; must exceed the "
              "payment client's time budget"});
    c.define({"reconcile-batch", "FLIGHTBOOK_RECONCILE_BATCH", "100",
              "bookings looked at per reconciler pass"});
    c.define({"client-connect-timeout-ms", "FLIGHTBOOK_CLIENT_CONNECT_TIMEOUT_MS", "1000",
              "connect timeout of calls to the flight and payment services"});
    c.define({"flight-read-timeout-ms", "FLIGHTBOOK_FLIGHT_READ_TIMEOUT_MS", "5000",
              "read timeout of calls to the flight service"});
    c.define({"payment-read-timeout-ms", "FLIGHTBOOK_PAYMENT_READ_TIMEOUT_MS", "5000",
              "read timeout of calls to the payment service (above its latency)"});
    c.define({"client-attempts", "FLIGHTBOOK_CLIENT_ATTEMPTS", "3",
              "attempts per call to another service where a retry is safe"});
    c.define({"client-backoff-ms", "FLIGHTBOOK_CLIENT_BACKOFF_MS", "50",
              "pause before the first retry (doubles per retry, at most 1000 ms)"});
    c.define({"crash-at", "FLIGHTBOOK_CRASH_AT", "",
              "TEST ONLY fault injection: exit(137) right after this create step (pending, "
              "held, charged, confirmed); empty in production"});
}

Result<std::unique_ptr<BookingRepository>> build_store(const app::Config& c,
                                                       metrics::Registry* registry,
                                                       const http::Logger& log) {
    auto kind = c.get_string("store");
    if (!kind) return fail(std::move(kind).error());
    if (*kind == "memory") {
        log.warn("booking_store_memory", "bookings are kept in memory and lost on exit");
        return std::unique_ptr<BookingRepository>(
            std::make_unique<memory::InMemoryBookingRepository>());
    }
    if (*kind != "postgres") {
        return fail(ErrorCode::kInvalidArgument, "--store must be postgres or memory");
    }
    auto pool = app::database_pool(c, registry, "bookings");
    if (!pool) return fail(std::move(pool).error());
    log.info("booking_store_ready", "postgres");
    return std::unique_ptr<BookingRepository>(
        std::make_unique<postgres::PostgresBookingRepository>(std::move(pool).value()));
}

// The longest one charge can take: every attempt running into both timeouts,
// plus the pauses between attempts.
std::chrono::milliseconds payment_budget(const api::HttpPaymentGatewayOptions& o) {
    std::int64_t total = 0;
    std::int64_t pause = o.backoff_ms;
    for (int i = 0; i < o.max_attempts; ++i) {
        total += std::int64_t{o.connect_timeout_ms} + o.read_timeout_ms;
        if (i + 1 < o.max_attempts) {
            total += pause;
            pause = std::min<std::int64_t>(pause * 2, o.max_backoff_ms);
        }
    }
    return std::chrono::milliseconds{total};
}

template <typename T>
bool usable(const Result<T>& setting) {
    if (!setting) std::fprintf(stderr, "booking-service: %s\n", setting.error().message.c_str());
    return setting.has_value();
}

}  // namespace

int main(int argc, char** argv) {
    app::ShutdownSignals signals;  // first, before any thread exists
    app::Config config;
    app::define_server_settings(config, 8081);
    app::define_database_settings(config, "bookings");
    define_booking_settings(config);
    if (auto loaded = config.load(argc, argv); !loaded) {
        std::fprintf(stderr, "booking-service: %s\n%s", loaded.error().message.c_str(),
                     config.usage("booking-service").c_str());
        return 2;
    }
    if (config.help_requested()) {
        std::fputs(config.usage("booking-service").c_str(), stdout);
        return 0;
    }
    auto server_options = app::server_options(config, "booking-service");
    auto flight_url = app::service_url(config, "flight-service-url");
    auto payment_url = app::service_url(config, "payment-service-url");
    auto hold_ttl = config.get_int("hold-ttl-seconds", 1, 86'400);
    auto mct = config.get_int("mct-minutes", 0, 1'440);
    auto layover = config.get_int("max-layover-minutes", 0, 10'080);
    auto wait_ms = config.get_int("idempotency-wait-ms", 0, 600'000);
    auto interval_ms = config.get_int("reconcile-interval-ms", 10, 3'600'000);
    auto grace_s = config.get_int("reconcile-grace-seconds", 1, 86'400);
    auto batch = config.get_int("reconcile-batch", 1, 10'000);
    auto connect_ms = config.get_int("client-connect-timeout-ms", 1, 600'000);
    auto flight_read_ms = config.get_int("flight-read-timeout-ms", 1, 600'000);
    auto payment_read_ms = config.get_int("payment-read-timeout-ms", 1, 600'000);
    auto attempts = config.get_int("client-attempts", 1, 10);
    auto backoff_ms = config.get_int("client-backoff-ms", 0, 1'000);
    auto crash_at = config.get_string("crash-at");
    if (!usable(server_options) || !usable(flight_url) || !usable(payment_url) ||
        !usable(hold_ttl) || !usable(mct) || !usable(layover) || !usable(wait_ms) ||
        !usable(interval_ms) || !usable(grace_s) || !usable(batch) || !usable(connect_ms) ||
        !usable(flight_read_ms) || !usable(payment_read_ms) || !usable(attempts) ||
        !usable(backoff_ms) || !usable(crash_at)) {
        return 2;
    }

    api::HttpFlightSeatsOptions fo;
    fo.base_url = *flight_url;
    fo.service_token = app::service_token(config);
    fo.connect_timeout_ms = static_cast<int>(*connect_ms);
    fo.read_timeout_ms = static_cast<int>(*flight_read_ms);
    fo.max_attempts = static_cast<int>(*attempts);
    fo.backoff_ms = static_cast<int>(*backoff_ms);

    api::HttpPaymentGatewayOptions po;
    po.base_url = *payment_url;
    po.connect_timeout_ms = static_cast<int>(*connect_ms);
    po.read_timeout_ms = static_cast<int>(*payment_read_ms);
    po.max_attempts = static_cast<int>(*attempts);
    po.backoff_ms = static_cast<int>(*backoff_ms);

    booking::BookingServiceOptions bo;
    bo.hold_ttl = std::chrono::seconds{*hold_ttl};
    bo.rules.mct_minutes = static_cast<int>(*mct);
    bo.rules.max_layover_minutes = static_cast<int>(*layover);
    bo.idempotency_wait_ms = *wait_ms;
    bo.reconcile_grace = std::chrono::seconds{*grace_s};
    bo.max_charge_time = payment_budget(po);
    // The flight client retries itself; one more round here would only
    // stretch the time a create spends before it charges.
    bo.seat_call_attempts = 1;
    if (!crash_at->empty()) {
        // Fault injection for the crash tests: die like a killed process,
        // without unwinding or flushing anything.
        bo.on_step = [step = *crash_at](std::string_view reached) {
            if (reached == step) std::_Exit(137);
        };
    }
    if (!usable(rules::check_hold_ttl(bo.hold_ttl)) || !usable(booking::validate(bo)) ||
        !usable(api::validate(fo))) {
        return 2;
    }

    auto registry = std::make_shared<metrics::Registry>();
    http::Server server(*server_options, registry);
    const http::Logger& log = server.logger();
    if (!crash_at->empty()) log.warn("fault_injection", "--crash-at is set: " + *crash_at);

    auto store = build_store(config, registry.get(), log);
    if (!store) {
        log.error("startup_failed", store.error().message);
        return 1;
    }
    auto seats = api::HttpFlightSeats::create(fo, registry);
    if (!seats) {
        log.error("startup_failed", seats.error().message);
        return 1;
    }
    auto payments = api::HttpPaymentGateway::create(po, registry);
    if (!payments) {
        log.error("startup_failed", payments.error().message);
        return 1;
    }
    booking::BookingService service(**store, **seats, **payments, SystemClock::instance(), bo,
                                    registry);
    if (auto routed = api::register_booking_routes(server, service); !routed) {
        log.error("startup_failed", routed.error().message);
        return 1;
    }
    server.add_readiness_check("bookings", [&service] { return service.check_ready(); });

    booking::BookingReconcilerOptions ro;
    ro.interval = std::chrono::milliseconds{*interval_ms};
    ro.batch_size = static_cast<std::size_t>(*batch);
    booking::BookingReconciler reconciler(
        service, ro, [&log](const Error& e) { log.warn("booking_reconcile_failed", e.message); },
        [&log](const booking::ReconcileReport& r) {
            log.info("bookings_reconciled", "the reconciler resolved bookings",
                     [&r](json::Writer& w) {
                         w.key("confirmed").value(static_cast<std::uint64_t>(r.confirmed));
                         w.key("failed").value(static_cast<std::uint64_t>(r.failed));
                         w.key("expired").value(static_cast<std::uint64_t>(r.expired));
                         w.key("settled").value(static_cast<std::uint64_t>(r.settled));
                         w.key("refunded").value(static_cast<std::uint64_t>(r.refunded));
                         w.key("skipped").value(static_cast<std::uint64_t>(r.skipped));
                     });
        });
    reconciler.start();
    const int rc = app::serve_until_signal(server, signals, log);
    reconciler.stop();
    return rc;
}
