// payment-service: the payment gateway mock (SPEC §4, docs/payments.md).
// Reads configuration, builds the payment store, wires the PaymentProcessor
// to HTTP and serves until SIGTERM/SIGINT.
#include <cstdio>
#include <limits>
#include <memory>

#include "flightbook/api/payment_routes.hpp"
#include "flightbook/app/config.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/app/shutdown_signals.hpp"
#include "flightbook/http/server.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/payment_store.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/payment/payment_processor.hpp"
#include "flightbook/postgres/payment_store.hpp"
#include "flightbook/postgres/pool.hpp"

namespace {

using namespace flightbook;

void define_payment_settings(app::Config& c) {
    c.define({"store", "FLIGHTBOOK_PAYMENT_STORE", "postgres",
              "postgres (durable), or memory (payments are lost on exit)"});
    c.define({"failure-rate", "PAYMENT_FAILURE_RATE", "0.15", "share of charges declined"});
    c.define({"timeout-rate", "PAYMENT_TIMEOUT_RATE", "0.05", "share of charges that time out"});
    c.define({"latency-ms-min", "PAYMENT_LATENCY_MS_MIN", "0", "least latency of a first charge"});
    c.define({"latency-ms-max", "PAYMENT_LATENCY_MS_MAX", "0", "most latency of a first charge"});
    c.define({"seed", "PAYMENT_SEED", "0", "seed of the outcome draw (0: random at start)"});
}

Result<payment::PaymentProcessorOptions> processor_options(const app::Config& c) {
    auto failure = c.get_double("failure-rate", 0.0, 1.0);
    if (!failure) return fail(std::move(failure).error());
    auto timeout = c.get_double("timeout-rate", 0.0, 1.0);
    if (!timeout) return fail(std::move(timeout).error());
    auto min = c.get_int("latency-ms-min", 0, 60'000);
    if (!min) return fail(std::move(min).error());
    auto max = c.get_int("latency-ms-max", 0, 60'000);
    if (!max) return fail(std::move(max).error());
    auto seed = c.get_int("seed", 0, std::numeric_limits<std::int64_t>::max());
    if (!seed) return fail(std::move(seed).error());
    payment::PaymentProcessorOptions o;
    o.failure_rate = *failure;
    o.timeout_rate = *timeout;
    o.latency_ms_min = static_cast<int>(*min);
    o.latency_ms_max = static_cast<int>(*max);
    o.seed = static_cast<std::uint64_t>(*seed);
    FLIGHTBOOK_TRY_STATUS(payment::validate(o));
    return o;
}

Result<std::unique_ptr<PaymentStore>> build_store(const app::Config& c, metrics::Registry* registry,
                                                  const http::Logger& log) {
    auto kind = c.get_string("store");
    if (!kind) return fail(std::move(kind).error());
    if (*kind == "memory") {
        log.warn("payment_store_memory", "payments are kept in memory and lost on exit");
        return std::unique_ptr<PaymentStore>(std::make_unique<memory::InMemoryPaymentStore>());
    }
    if (*kind != "postgres") {
        return fail(ErrorCode::kInvalidArgument, "--store must be postgres or memory");
    }
    auto pool = app::database_pool(c, registry, "payments");
    if (!pool) return fail(std::move(pool).error());
    log.info("payment_store_ready", "postgres");
    return std::unique_ptr<PaymentStore>(
        std::make_unique<postgres::PostgresPaymentStore>(std::move(pool).value()));
}

template <typename T>
bool usable(const Result<T>& setting) {
    if (!setting) std::fprintf(stderr, "payment-service: %s\n", setting.error().message.c_str());
    return setting.has_value();
}

}  // namespace

int main(int argc, char** argv) {
    app::ShutdownSignals signals;  // first, before any thread exists
    app::Config config;
    app::define_server_settings(config, 8082);
    app::define_database_settings(config, "payments", 8);
    define_payment_settings(config);
    if (auto loaded = config.load(argc, argv); !loaded) {
        std::fprintf(stderr, "payment-service: %s\n%s", loaded.error().message.c_str(),
                     config.usage("payment-service").c_str());
        return 2;
    }
    if (config.help_requested()) {
        std::fputs(config.usage("payment-service").c_str(), stdout);
        return 0;
    }
    auto server_options = app::server_options(config, "payment-service");
    auto options = processor_options(config);
    if (!usable(server_options) || !usable(options)) return 2;

    auto registry = std::make_shared<metrics::Registry>();
    http::Server server(*server_options, registry);
    const http::Logger& log = server.logger();

    auto store = build_store(config, registry.get(), log);
    if (!store) {
        log.error("startup_failed", store.error().message);
        return 1;
    }
    payment::PaymentProcessor processor(**store, SystemClock::instance(), *options, {}, registry);
    log.info("payment_mock_configured", "outcomes are drawn per idempotency key",
             [&](json::Writer& w) {
                 w.key("failure_rate").value(options->failure_rate);
                 w.key("timeout_rate").value(options->timeout_rate);
                 w.key("latency_ms_min").value(options->latency_ms_min);
                 w.key("latency_ms_max").value(options->latency_ms_max);
                 w.key("seed").value(processor.seed());
             });

    if (auto routed = api::register_payment_routes(server, processor); !routed) {
        log.error("startup_failed", routed.error().message);
        return 1;
    }
    server.add_readiness_check("payments", [&processor] { return processor.ping(); });
    return app::serve_until_signal(server, signals, log);
}
