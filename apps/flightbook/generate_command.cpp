// flightbook generate: writes a generated schedule as CSV.
#include <fmt/core.h>

#include "cli_args.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/schedule/generator.hpp"

namespace flightbook::cli {
namespace {

constexpr std::string_view kHelp =
    "usage: flightbook generate --out FILE.csv [--airports N] [--flights-per-day M]\n"
    "                           [--days D] [--seed S] [--start-date YYYY-MM-DD]\n"
    "\n"
    "Writes a deterministic hub-and-spoke schedule (same options, same file).\n"
    "Defaults: --airports 2300 --flights-per-day 53000 --days 2 --seed 1\n"
    "          --start-date 2024-02-15\n";

}  // namespace

int run_generate(const std::vector<std::string_view>& argv) {
    auto args = Args::parse(
        argv, {"out", "airports", "flights-per-day", "days", "seed", "start-date"}, {"help"});
    if (!args) {
        fmt::print(stderr, "flightbook generate: {}\n\n{}", args.error().message, kHelp);
        return kExitUsage;
    }
    if (args->has("help")) {
        fmt::print("{}", kHelp);
        return kExitOk;
    }
    schedule::GeneratorOptions options;
    auto out = args->get("out");
    auto airports = args->integer("airports", options.airports, 2, 17'576);
    auto per_day = args->integer("flights-per-day", options.flights_per_day, 1, 1'000'000);
    auto days = args->integer("days", options.days, 1, 31);
    auto seed = args->integer("seed", 1, 0, (1LL << 62));
    for (const auto* r : {&airports, &per_day, &days, &seed}) {
        if (!*r) {
            fmt::print(stderr, "flightbook generate: {}\n", r->error().message);
            return kExitUsage;
        }
    }
    if (!out) {
        fmt::print(stderr, "flightbook generate: --out is required\n\n{}", kHelp);
        return kExitUsage;
    }
    if (auto start = args->get("start-date")) {
        auto d = parse_date(*start);
        if (!d) {
            fmt::print(stderr, "flightbook generate: --start-date must be YYYY-MM-DD\n");
            return kExitUsage;
        }
        options.start_date = *d;
    }
    options.airports = static_cast<int>(*airports);
    options.flights_per_day = static_cast<int>(*per_day);
    options.days = static_cast<int>(*days);
    options.seed = static_cast<std::uint64_t>(*seed);
    auto flights = schedule::generate_schedule(options);
    if (!flights) {
        fmt::print(stderr, "flightbook generate: {}\n", flights.error().message);
        return kExitUsage;
    }
    auto written = schedule::write_flights_csv_file(std::string(*out), *flights);
    if (!written) {
        fmt::print(stderr, "flightbook generate: {}\n", written.error().message);
        return kExitFailure;
    }
    fmt::print(stderr, "wrote {} flights to {}\n", flights->size(), *out);
    return kExitOk;
}

}  // namespace flightbook::cli
