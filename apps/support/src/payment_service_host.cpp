#include "flightbook/app/payment_service_host.hpp"

#include <limits>
#include <memory>

#include "flightbook/api/payment_routes.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/json/writer.hpp"
#include "flightbook/memory/payment_store.hpp"
#include "flightbook/metrics/registry.hpp"
#include "flightbook/payment/payment_processor.hpp"
#include "flightbook/postgres/payment_store.hpp"
#include "flightbook/postgres/pool.hpp"

namespace flightbook::app {
namespace {

constexpr std::string_view kName = "payment-service";

void define_payment_settings(Config& c) {
    define_server_settings(c, 8082);
    define_database_settings(c, "payments", 8);
    c.define({"store", "FLIGHTBOOK_PAYMENT_STORE", "postgres",
              "postgres (durable), or memory (payments are lost on exit)"});
    c.define({"failure-rate", "PAYMENT_FAILURE_RATE", "0.15", "share of charges declined"});
    c.define({"timeout-rate", "PAYMENT_TIMEOUT_RATE", "0.05", "share of charges that time out"});
    c.define({"latency-ms-min", "PAYMENT_LATENCY_MS_MIN", "0", "least latency of a first charge"});
    c.define({"latency-ms-max", "PAYMENT_LATENCY_MS_MAX", "0", "most latency of a first charge"});
    c.define({"seed", "PAYMENT_SEED", "0", "seed of the outcome draw (0: random at start)"});
}

Result<payment::PaymentProcessorOptions> processor_options(const Config& c) {
    FLIGHTBOOK_TRY(failure, c.get_double("failure-rate", 0.0, 1.0));
    FLIGHTBOOK_TRY(timeout, c.get_double("timeout-rate", 0.0, 1.0));
    FLIGHTBOOK_TRY(min, c.get_int("latency-ms-min", 0, 60'000));
    FLIGHTBOOK_TRY(max, c.get_int("latency-ms-max", 0, 60'000));
    FLIGHTBOOK_TRY(seed, c.get_int("seed", 0, std::numeric_limits<std::int64_t>::max()));
    payment::PaymentProcessorOptions o;
    o.failure_rate = failure;
    o.timeout_rate = timeout;
    o.latency_ms_min = static_cast<int>(min);
    o.latency_ms_max = static_cast<int>(max);
    o.seed = static_cast<std::uint64_t>(seed);
    FLIGHTBOOK_TRY_STATUS(payment::validate(o));
    return o;
}

Result<std::unique_ptr<PaymentStore>> build_store(const Config& c, metrics::Registry* registry,
                                                  const http::Logger& log) {
    FLIGHTBOOK_TRY(kind, c.get_string("store"));
    if (kind == "memory") {
        log.warn("payment_store_memory", "payments are kept in memory and lost on exit");
        return std::unique_ptr<PaymentStore>(std::make_unique<memory::InMemoryPaymentStore>());
    }
    if (kind != "postgres") {
        return fail(ErrorCode::kInvalidArgument, "--store must be postgres or memory");
    }
    FLIGHTBOOK_TRY(pool, database_pool(c, registry, "payments"));
    log.info("payment_store_ready", "postgres");
    return std::unique_ptr<PaymentStore>(
        std::make_unique<postgres::PostgresPaymentStore>(std::move(pool)));
}

class PaymentServiceHost final : public ServiceHost {
public:
    explicit PaymentServiceHost(const http::ServerOptions& server_options)
        : registry_(std::make_shared<metrics::Registry>()), server_(server_options, registry_) {}

    Status build(const Config& config, const payment::PaymentProcessorOptions& options) {
        const http::Logger& log = server_.logger();
        auto store = build_store(config, registry_.get(), log);
        if (!store) {
            if (store.error().code != ErrorCode::kInvalidArgument) {
                log.error("startup_failed", store.error().message);
            }
            return fail(std::move(store).error());
        }
        store_ = std::move(*store);
        processor_ = std::make_unique<payment::PaymentProcessor>(
            *store_, SystemClock::instance(), options, payment::PaymentProcessor::Sleeper{},
            registry_);
        log.info("payment_mock_configured", "outcomes are drawn per idempotency key",
                 [&](json::Writer& w) {
                     w.key("failure_rate").value(options.failure_rate);
                     w.key("timeout_rate").value(options.timeout_rate);
                     w.key("latency_ms_min").value(options.latency_ms_min);
                     w.key("latency_ms_max").value(options.latency_ms_max);
                     w.key("seed").value(processor_->seed());
                 });
        if (auto routed = api::register_payment_routes(server_, *processor_); !routed) {
            log.error("startup_failed", routed.error().message);
            return routed;
        }
        server_.add_readiness_check("payments", [this] { return processor_->ping(); });
        return ok();
    }

    http::Server& server() override { return server_; }
    ~PaymentServiceHost() override { server_.stop(); }

private:
    std::shared_ptr<metrics::Registry> registry_;
    http::Server server_;
    std::unique_ptr<PaymentStore> store_;
    std::unique_ptr<payment::PaymentProcessor> processor_;
};

Result<std::unique_ptr<ServiceHost>> build_payment_service(const Config& config) {
    auto server_options = app::server_options(config, std::string{kName});
    auto options = processor_options(config);
    if (!usable(server_options, kName) || !usable(options, kName)) {
        return fail(ErrorCode::kInvalidArgument, "invalid settings");
    }
    auto host = std::make_unique<PaymentServiceHost>(*server_options);
    FLIGHTBOOK_TRY_STATUS(host->build(config, *options));
    return std::unique_ptr<ServiceHost>(std::move(host));
}

}  // namespace

ServiceDefinition payment_service_definition() {
    return {std::string{kName}, define_payment_settings, build_payment_service};
}

}  // namespace flightbook::app
