// flightbook demo: flight-, booking- and payment-service in one process, on
// in-memory adapters, with the same routes, JSON and settings as the three
// service binaries (the same ServiceDefinitions, composed differently).
#include <fmt/core.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "flightbook/app/booking_service_host.hpp"
#include "flightbook/app/flight_service_host.hpp"
#include "flightbook/app/payment_service_host.hpp"
#include "flightbook/app/shutdown_signals.hpp"
#include "flightbook/schedule/csv.hpp"
#include "reference_schedule.hpp"

namespace flightbook::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: flightbook demo [--schedule FILE.csv] [--flight-port 8080] [--booking-port 8081]\n"
    "                       [--payment-port 8082] [--bind-address 127.0.0.1]\n"
    "                       [--service-token TOKEN] [--failure-rate R] [--timeout-rate R]\n"
    "                       [--latency-ms-min MS] [--latency-ms-max MS] [--seed S]\n"
    "                       [--hold-ttl-seconds S] [--access-log true|false]\n"
    "\n"
    "Runs the three services in this process, on in-memory stores (nothing to\n"
    "install; everything is lost on exit), serving the reference schedule of\n"
    "SPEC §2 or --schedule. Stop with Ctrl-C.\n"
    "The payment mock reads PAYMENT_FAILURE_RATE, PAYMENT_TIMEOUT_RATE,\n"
    "PAYMENT_LATENCY_MS_MIN/MAX and PAYMENT_SEED when the flags are not given\n"
    "(PAYMENT_FAILURE_RATE=0 PAYMENT_TIMEOUT_RATE=0 flightbook demo never fails a\n"
    "payment). The service token between booking- and flight-service is random\n"
    "unless --service-token is given.\n";

// Flags handed to the payment mock as they are.
constexpr std::string_view kPaymentFlags[] = {"failure-rate", "timeout-rate", "latency-ms-min",
                                              "latency-ms-max", "seed"};

std::string random_token() {
    std::random_device device;
    std::string token;
    for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", device());
    return token;
}

struct DemoSettings {
    std::string bind = "127.0.0.1";
    int flight_port = 8080;
    int booking_port = 8081;
    int payment_port = 8082;
    std::string token;
    std::string access_log = "true";
};

// Builds one service from flags, as its binary would from its command line;
// the environment still fills what the flags leave out.
Result<std::unique_ptr<app::ServiceHost>> build(
    const app::ServiceDefinition& definition, const std::vector<std::string>& flags,
    const std::function<Result<std::unique_ptr<app::ServiceHost>>(const app::Config&)>& builder) {
    app::Config config;
    definition.define(config);
    FLIGHTBOOK_TRY_STATUS(config.load(flags));
    return builder(config);
}

void print_examples(const DemoSettings& s, bool reference) {
    const std::string host = s.bind == "0.0.0.0" ? "127.0.0.1" : s.bind;
    const std::string flights = fmt::format("http://{}:{}", host, s.flight_port);
    const std::string bookings = fmt::format("http://{}:{}", host, s.booking_port);
    fmt::print(
        "\nflightbook demo is up (in memory; stop with Ctrl-C).\n"
        "  flight-service   {0}\n"
        "  booking-service  {1}\n"
        "  payment-service  http://{2}:{3}\n\n",
        flights, bookings, host, s.payment_port);
    if (!reference) {
        fmt::print("Serving your schedule; the examples below use the reference flights.\n\n");
    }
    fmt::print(
        "Search and look up flights:\n"
        "  curl -s '{0}/api/flights/search?source=DEL&destination=BLR&date=2024-02-15&seats=2'\n"
        "  curl -s {0}/api/flights/1\n\n"
        "Book two seats on AI101 as user 42, then read, list and cancel the booking\n"
        "(the payment mock declines some charges unless PAYMENT_FAILURE_RATE=0):\n"
        "  id=$(curl -s -X POST {1}/api/bookings -H 'X-User-Id: 42' \\\n"
        "       -d '{{\"user_id\":42,\"flight_id\":1,\"seats\":2,\"date\":\"2024-02-15\","
        "\"payment_type\":\"upi\"}}' \\\n"
        "       | tee /dev/stderr | sed -n 's/.*\"booking_id\":\\([0-9]*\\).*/\\1/p'); echo\n"
        "  curl -s {1}/api/bookings/$id -H 'X-User-Id: 42'\n"
        "  curl -s '{1}/api/bookings?user_id=42' -H 'X-User-Id: 42'\n"
        "  curl -s -X PUT {1}/api/bookings/$id/cancel -H 'X-User-Id: 42'\n\n"
        "A two-leg itinerary (DEL→HYD→BLR), booked all or nothing:\n"
        "  curl -s -X POST {1}/api/bookings -H 'X-User-Id: 42' \\\n"
        "       -d "
        "'{{\"user_id\":42,\"flight_ids\":[8,9],\"seats\":1,\"date\":\"2024-02-15\"}}'\n\n"
        "Metrics of each service: curl -s {0}/metrics (and :{2}, :{3}).\n",
        flights, bookings, s.booking_port, s.payment_port);
    std::fflush(stdout);
}

}  // namespace

int run_demo(const std::vector<std::string_view>& argv) {
    // Before any thread: every thread inherits the blocked signal mask.
    app::ShutdownSignals signals;
    auto args =
        Args::parse(argv,
                    {"schedule", "flight-port", "booking-port", "payment-port", "bind-address",
                     "service-token", "failure-rate", "timeout-rate", "latency-ms-min",
                     "latency-ms-max", "seed", "hold-ttl-seconds", "access-log"},
                    {"help"});
    if (!args) {
        fmt::print(stderr, "flightbook demo: {}\n\n{}", args.error().message, kHelp);
        return kExitUsage;
    }
    if (args->has("help")) {
        fmt::print("{}", kHelp);
        return kExitOk;
    }
    DemoSettings s;
    auto flight_port = args->integer("flight-port", s.flight_port, 1, 65'535);
    auto booking_port = args->integer("booking-port", s.booking_port, 1, 65'535);
    auto payment_port = args->integer("payment-port", s.payment_port, 1, 65'535);
    for (const auto* r : {&flight_port, &booking_port, &payment_port}) {
        if (!*r) {
            fmt::print(stderr, "flightbook demo: {}\n", r->error().message);
            return kExitUsage;
        }
    }
    s.flight_port = static_cast<int>(*flight_port);
    s.booking_port = static_cast<int>(*booking_port);
    s.payment_port = static_cast<int>(*payment_port);
    if (auto b = args->get("bind-address")) s.bind = std::string{*b};
    if (auto a = args->get("access-log")) s.access_log = std::string{*a};
    s.token =
        args->get("service-token") ? std::string{*args->get("service-token")} : random_token();

    const auto file = args->get("schedule");
    auto schedule = file ? schedule::read_flights_csv(std::string{*file})
                         : schedule::parse_flights_csv(kReferenceScheduleCsv);
    if (!schedule) {
        fmt::print(stderr, "flightbook demo: {}\n", schedule.error().message);
        return kExitFailure;
    }

    const std::string peer = s.bind == "0.0.0.0" ? "127.0.0.1" : s.bind;
    auto common = [&s](int port) {
        return std::vector<std::string>{"--port=" + std::to_string(port),
                                        "--bind-address=" + s.bind, "--access-log=" + s.access_log,
                                        "--service-token=" + s.token};
    };
    std::vector<std::string> payment_flags = common(s.payment_port);
    payment_flags.push_back("--store=memory");
    for (std::string_view flag : kPaymentFlags) {
        if (auto v = args->get(flag)) payment_flags.push_back(fmt::format("--{}={}", flag, *v));
    }
    std::vector<std::string> flight_flags = common(s.flight_port);
    flight_flags.push_back("--seat-store=memory");
    std::vector<std::string> booking_flags = common(s.booking_port);
    booking_flags.push_back("--store=memory");
    booking_flags.push_back(fmt::format("--flight-service-url=http://{}:{}", peer, s.flight_port));
    booking_flags.push_back(
        fmt::format("--payment-service-url=http://{}:{}", peer, s.payment_port));
    if (auto ttl = args->get("hold-ttl-seconds")) {
        flight_flags.push_back(fmt::format("--hold-ttl-seconds={}", *ttl));
        booking_flags.push_back(fmt::format("--hold-ttl-seconds={}", *ttl));
    }

    const auto payment_def = app::payment_service_definition();
    const auto flight_def = app::flight_service_definition();
    const auto booking_def = app::booking_service_definition();
    auto payment = build(payment_def, payment_flags, payment_def.build);
    auto flight = build(flight_def, flight_flags, [&schedule](const app::Config& c) {
        return app::build_flight_service(c, std::move(*schedule));
    });
    auto booking = build(booking_def, booking_flags, booking_def.build);
    for (const auto* r : {&payment, &flight, &booking}) {
        if (!*r) {
            fmt::print(stderr, "flightbook demo: {}\n", r->error().message);
            return r->error().code == ErrorCode::kInvalidArgument ? kExitUsage : kExitFailure;
        }
    }
    return app::run_until_signal({payment->get(), flight->get(), booking->get()}, signals,
                                 [&] { print_examples(s, !file.has_value()); });
}

}  // namespace flightbook::cli
