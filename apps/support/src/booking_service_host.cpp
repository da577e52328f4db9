#include "flightbook/app/booking_service_host.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "flightbook/api/booking_routes.hpp"
#include "flightbook/api/http_flight_seats.hpp"
#include "flightbook/api/http_payment_gateway.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/booking/booking_reconciler.hpp"
#include "flightbook/booking/booking_service.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/booking_repository.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/postgres/booking_repository.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/rules.hpp"

namespace flightbook::app {
namespace {

constexpr std::string_view kName = "booking-service";

void define_booking_settings(Config& c) {
    define_server_settings(c, 8081);
    define_database_settings(c, "bookings");
    c.define({"store", "FLIGHTBOOK_BOOKING_STORE", "postgres",
              "postgres (durable), or memory (bookings are lost on exit)"});
    define_service_url(c, "flight-service-url", "FLIGHT_SERVICE_URL", "http://127.0.0.1:8080");
    define_service_url(c, "payment-service-url", "PAYMENT_SERVICE_URL", "http://127.0.0.1:8082");
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

Result<std::unique_ptr<BookingRepository>> build_store(const Config& c, metrics::Registry* registry,
                                                       const http::Logger& log) {
    FLIGHTBOOK_TRY(kind, c.get_string("store"));
    if (kind == "memory") {
        log.warn("booking_store_memory", "bookings are kept in memory and lost on exit");
        return std::unique_ptr<BookingRepository>(
            std::make_unique<memory::InMemoryBookingRepository>());
    }
    if (kind != "postgres") {
        return fail(ErrorCode::kInvalidArgument, "--store must be postgres or memory");
    }
    FLIGHTBOOK_TRY(pool, database_pool(c, registry, "bookings"));
    log.info("booking_store_ready", "postgres");
    return std::unique_ptr<BookingRepository>(
        std::make_unique<postgres::PostgresBookingRepository>(std::move(pool)));
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

struct Settings {
    http::ServerOptions server;
    api::HttpFlightSeatsOptions flights;
    api::HttpPaymentGatewayOptions payments;
    booking::BookingServiceOptions bookings;
    booking::BookingReconcilerOptions reconciler;
    std::string crash_at;
};

Result<Settings> read_settings(const Config& config) {
    auto server_options = app::server_options(config, std::string{kName});
    auto flight_url = service_url(config, "flight-service-url");
    auto payment_url = service_url(config, "payment-service-url");
    auto hold_ttl =
        config.get_int("hold-ttl-seconds", rules::kMinHoldTtl.count(), rules::kMaxHoldTtl.count());
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
    if (!usable(server_options, kName) || !usable(flight_url, kName) ||
        !usable(payment_url, kName) || !usable(hold_ttl, kName) || !usable(mct, kName) ||
        !usable(layover, kName) || !usable(wait_ms, kName) || !usable(interval_ms, kName) ||
        !usable(grace_s, kName) || !usable(batch, kName) || !usable(connect_ms, kName) ||
        !usable(flight_read_ms, kName) || !usable(payment_read_ms, kName) ||
        !usable(attempts, kName) || !usable(backoff_ms, kName) || !usable(crash_at, kName)) {
        return fail(ErrorCode::kInvalidArgument, "invalid settings");
    }
    Settings s;
    s.server = *server_options;
    s.flights.base_url = *flight_url;
    s.flights.service_token = service_token(config);
    s.flights.connect_timeout_ms = static_cast<int>(*connect_ms);
    s.flights.read_timeout_ms = static_cast<int>(*flight_read_ms);
    s.flights.max_attempts = static_cast<int>(*attempts);
    s.flights.backoff_ms = static_cast<int>(*backoff_ms);

    s.payments.base_url = *payment_url;
    s.payments.connect_timeout_ms = static_cast<int>(*connect_ms);
    s.payments.read_timeout_ms = static_cast<int>(*payment_read_ms);
    s.payments.max_attempts = static_cast<int>(*attempts);
    s.payments.backoff_ms = static_cast<int>(*backoff_ms);

    booking::BookingServiceOptions& bo = s.bookings;
    bo.hold_ttl = std::chrono::seconds{*hold_ttl};
    bo.rules.mct_minutes = static_cast<int>(*mct);
    bo.rules.max_layover_minutes = static_cast<int>(*layover);
    bo.idempotency_wait_ms = *wait_ms;
    bo.reconcile_grace = std::chrono::seconds{*grace_s};
    bo.max_charge_time = payment_budget(s.payments);
    // The flight client retries itself; one more round here would only
    // stretch the time a create spends before it charges.
    bo.seat_call_attempts = 1;
    s.crash_at = *crash_at;
    if (!s.crash_at.empty()) {
        // Fault injection for the crash tests: die like a killed process,
        // without unwinding or flushing anything.
        bo.on_step = [step = s.crash_at](std::string_view reached) {
            if (reached == step) std::_Exit(137);
        };
    }
    s.reconciler.interval = std::chrono::milliseconds{*interval_ms};
    s.reconciler.batch_size = static_cast<std::size_t>(*batch);
    FLIGHTBOOK_TRY_STATUS(booking::validate(bo));
    FLIGHTBOOK_TRY_STATUS(api::validate(s.flights));
    return s;
}

void log_report(const http::Logger& log, const booking::ReconcileReport& r) {
    log.info("bookings_reconciled", "the reconciler resolved bookings", [&r](json::Writer& w) {
        w.key("confirmed").value(static_cast<std::uint64_t>(r.confirmed));
        w.key("failed").value(static_cast<std::uint64_t>(r.failed));
        w.key("expired").value(static_cast<std::uint64_t>(r.expired));
        w.key("settled").value(static_cast<std::uint64_t>(r.settled));
        w.key("refunded").value(static_cast<std::uint64_t>(r.refunded));
        w.key("skipped").value(static_cast<std::uint64_t>(r.skipped));
    });
}

class BookingServiceHost final : public ServiceHost {
public:
    explicit BookingServiceHost(Settings settings)
        : settings_(std::move(settings)),
          registry_(std::make_shared<metrics::Registry>()),
          server_(settings_.server, registry_) {}

    Status build(const Config& config) {
        const http::Logger& log = server_.logger();
        if (!settings_.crash_at.empty()) {
            log.warn("fault_injection", "--crash-at is set: " + settings_.crash_at);
        }
        auto started = build_parts(config);
        if (!started && started.error().code != ErrorCode::kInvalidArgument) {
            log.error("startup_failed", started.error().message);
        }
        return started;
    }

    http::Server& server() override { return server_; }

    void start_tasks() override {
        const http::Logger& log = server_.logger();
        reconciler_.emplace(
            *service_, settings_.reconciler,
            [&log](const Error& e) { log.warn("booking_reconcile_failed", e.message); },
            [&log](const booking::ReconcileReport& r) { log_report(log, r); });
        reconciler_->start();
    }
    void stop_tasks() override {
        if (reconciler_) reconciler_->stop();
    }

    ~BookingServiceHost() override {
        server_.stop();
        stop_tasks();
    }

private:
    Status build_parts(const Config& config) {
        FLIGHTBOOK_TRY(store, build_store(config, registry_.get(), server_.logger()));
        store_ = std::move(store);
        FLIGHTBOOK_TRY(seats, api::HttpFlightSeats::create(settings_.flights, registry_));
        seats_ = std::move(seats);
        FLIGHTBOOK_TRY(payments, api::HttpPaymentGateway::create(settings_.payments, registry_));
        payments_ = std::move(payments);
        service_ = std::make_unique<booking::BookingService>(
            *store_, *seats_, *payments_, SystemClock::instance(), settings_.bookings, registry_);
        FLIGHTBOOK_TRY_STATUS(api::register_booking_routes(server_, *service_));
        server_.add_readiness_check("bookings", [this] { return service_->check_ready(); });
        return ok();
    }

    Settings settings_;
    std::shared_ptr<metrics::Registry> registry_;
    http::Server server_;
    std::unique_ptr<BookingRepository> store_;
    std::unique_ptr<api::HttpFlightSeats> seats_;
    std::unique_ptr<api::HttpPaymentGateway> payments_;
    std::unique_ptr<booking::BookingService> service_;
    std::optional<booking::BookingReconciler> reconciler_;
};

Result<std::unique_ptr<ServiceHost>> build_booking_service(const Config& config) {
    FLIGHTBOOK_TRY(settings, read_settings(config));
    auto host = std::make_unique<BookingServiceHost>(std::move(settings));
    FLIGHTBOOK_TRY_STATUS(host->build(config));
    return std::unique_ptr<ServiceHost>(std::move(host));
}

}  // namespace

ServiceDefinition booking_service_definition() {
    return {std::string{kName}, define_booking_settings, build_booking_service};
}

}  // namespace flightbook::app
