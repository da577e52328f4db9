#include "cli.hpp"

#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <limits>
#include <map>
#include <optional>

namespace flightbook::storm {

namespace {

Result<std::int64_t> number(const std::string& flag, const std::string& text, std::int64_t min,
                            std::int64_t max) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be an integer between {} and {}", flag, min, max));
    }
    return v;
}

Result<double> fraction(const std::string& flag, const std::string& text, double max) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size() && v >= 0 && v <= max) return v;
    } catch (const std::exception&) {
    }
    return fail(ErrorCode::kInvalidArgument,
                fmt::format("{} must be a number between 0 and {}", flag, max));
}

}  // namespace

Result<StormOptions> profile(const std::string& name) {
    StormOptions o;
    if (name == "short") {
        o.clients = 16;
        o.seconds = 20;
    } else if (name == "tiny") {
        // For sanitizer builds, several times slower: flight 3 (100 seats)
        // alone and behind 15, so one flight sells out within the time.
        o.clients = 8;
        o.seconds = 15;
        o.users = 16;
    } else if (name == "long") {
        // Seats keep coming back (more cancels), so a large demand keeps the
        // flights selling out again and again for the whole ten minutes.
        o.clients = 32;
        o.seconds = 600;
        o.demand_factor = 40;
        o.cancel_share = 0.4;
        o.keyed_cancel_share = 0.6;
        o.users = 500;
        o.settle_seconds = 120;
    } else {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("unknown profile '{}': short, long or tiny", name));
    }
    o.itineraries = reference_itineraries(name);
    return o;
}

Result<CliRequest> parse_cli(const std::vector<std::string>& args) {
    std::map<std::string, std::string> flags;
    CliRequest out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
            return out;
        }
        if (a == "--verbose") {
            flags[a] = "1";
            continue;
        }
        if (a.rfind("--", 0) != 0 || i + 1 >= args.size()) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("expected --flag value at '{}'", a));
        }
        flags[a] = args[++i];
    }
    auto take = [&](const std::string& flag) -> std::optional<std::string> {
        const auto it = flags.find(flag);
        if (it == flags.end()) return std::nullopt;
        std::string v = it->second;
        flags.erase(it);
        return v;
    };
    auto p = profile(take("--profile").value_or("short"));
    if (!p) return fail(p.error());
    StormOptions& o = out.options = std::move(p).value();
    Targets& t = o.targets;
    if (auto v = take("--flight-url")) t.flight_url = *v;
    if (auto v = take("--booking-url")) t.booking_url = *v;
    if (auto v = take("--payment-url")) t.payment_url = *v;
    if (auto v = take("--service-token")) t.service_token = *v;
    if (auto v = take("--flights-dsn")) t.flights_dsn = *v;
    if (auto v = take("--bookings-dsn")) t.bookings_dsn = *v;
    if (auto v = take("--payments-dsn")) t.payments_dsn = *v;
    if (auto v = take("--redis-host")) t.redis_host = *v;
    if (auto v = take("--redis-prefix")) t.redis_seat_prefix = *v;
    if (auto v = take("--history")) out.history_path = *v;
    if (auto v = take("--date")) o.date = *v;
    struct IntFlag {
        const char* name;
        std::int64_t min, max;
        std::function<void(std::int64_t)> set;
    };
    const IntFlag ints[] = {
        {"--redis-port", 1, 65535, [&](std::int64_t v) { t.redis_port = static_cast<int>(v); }},
        {"--seconds", 1, 3600, [&](std::int64_t v) { o.seconds = static_cast<int>(v); }},
        {"--clients", 1, 256, [&](std::int64_t v) { o.clients = static_cast<int>(v); }},
        {"--users", 1, 1000, [&](std::int64_t v) { o.users = static_cast<int>(v); }},
        {"--user-base", 1, 1'000'000'000'000, [&](std::int64_t v) { o.user_base = v; }},
        {"--seed", 0, std::numeric_limits<std::int64_t>::max(),
         [&](std::int64_t v) { o.seed = static_cast<std::uint64_t>(v); }},
        {"--settle-seconds", 0, 3600,
         [&](std::int64_t v) { o.settle_seconds = static_cast<int>(v); }},
        {"--monitor-interval-ms", 10, 60000,
         [&](std::int64_t v) { o.monitor_interval_ms = static_cast<int>(v); }},
        {"--request-timeout-ms", 100, 120000,
         [&](std::int64_t v) { o.request_timeout_ms = static_cast<int>(v); }},
    };
    for (const IntFlag& f : ints) {
        if (auto v = take(f.name)) {
            auto n = number(f.name, *v, f.min, f.max);
            if (!n) return fail(n.error());
            f.set(*n);
        }
    }
    if (auto v = take("--demand-factor")) {
        auto d = fraction("--demand-factor", *v, 1000);
        if (!d) return fail(d.error());
        o.demand_factor = *d;
    }
    o.verbose = take("--verbose").has_value();
    if (!flags.empty()) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("unknown flag {}", flags.begin()->first));
    }
    if (t.flights_dsn.empty() || t.bookings_dsn.empty() || t.payments_dsn.empty()) {
        return fail(ErrorCode::kInvalidArgument,
                    "--flights-dsn, --bookings-dsn and --payments-dsn are required");
    }
    return out;
}

std::string usage() {
    return R"(usage: flightbook-storm [--profile short|long|tiny] [flags]

Drives running flight-, booking- and payment-service with concurrent searches,
bookings that sell the flights out, idempotent replays, cancels and double
cancels, then checks the history and the databases for every invariant of
docs/reliability.md. Exits 0 only when no invariant was violated.

  --profile NAME            short (16 clients, 20 s; default), long (32, 600 s), tiny (8, 15 s)
  --seconds N --clients N   override the profile's duration and client threads
  --flight-url URL          default http://127.0.0.1:8080
  --booking-url URL         default http://127.0.0.1:8081
  --payment-url URL         default http://127.0.0.1:8082
  --service-token TOKEN     flight-service's token (not needed for the checks)
  --flights-dsn DSN         libpq connection strings of the three databases (required)
  --bookings-dsn DSN
  --payments-dsn DSN
  --redis-host H --redis-port P   flight-service's Redis (default 127.0.0.1:6379)
  --redis-prefix P          seat counter key prefix (default flightbook:seats:)
  --date YYYY-MM-DD         the flights' day (default 2024-02-15)
  --demand-factor X         seats demanded per seat available (default 3)
  --users N --user-base ID  users of the run (default 64 from a clock-derived base)
  --seed N                  order plan and client choices
  --settle-seconds N        wait for pending bookings to resolve (default 60)
  --monitor-interval-ms N   seat reads (default 200)
  --request-timeout-ms N    client read timeout (default 15000)
  --history FILE            write every request and answer, one tab-separated line each
  --verbose                 progress on stderr
)";
}

}  // namespace flightbook::storm
