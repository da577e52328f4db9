// flightbook load: a CSV schedule into the flights database, in one
// transaction (flightbook/postgres/schedule_loader.hpp).
#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cli_args.hpp"
#include "flightbook/app/config.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/postgres/connection.hpp"
#include "flightbook/postgres/schedule_loader.hpp"
#include "flightbook/schedule/csv.hpp"

namespace flightbook::cli {
namespace {

constexpr std::string_view kAbout =
    "Loads a flights CSV (docs/schedule-format.md) into the flights database with\n"
    "COPY, in one transaction: every row or none. A bad row stops the load with\n"
    "its line number and writes nothing. --mode append (default) adds flights and\n"
    "refuses ids already in the table; --mode replace makes the table exactly the\n"
    "file and is refused while seat reservations exist. A running flight-service\n"
    "picks the new schedule up within --schedule-check-interval-ms (1 s) without\n"
    "a restart; searches go on over the old timetable until the new one is built.\n"
    "Exit codes: 0 loaded, 1 refused or failed (nothing written), 2 bad usage.\n\n";

using Seconds = std::chrono::duration<double>;

}  // namespace

int run_load(const std::vector<std::string_view>& argv) {
    app::Config config;
    config.define({"schedule", "", "", "the flights CSV to load"});
    config.define({"mode", "", "append",
                   "append (add flights) or replace (the file becomes the "
                   "schedule)"});
    app::define_database_settings(config, "flights", 1);
    std::vector<std::string> args(argv.begin(), argv.end());
    if (auto loaded = config.load(args); !loaded) {
        fmt::print(stderr, "flightbook load: {}\n\n{}{}", loaded.error().message, kAbout,
                   config.usage("flightbook load"));
        return kExitUsage;
    }
    if (config.help_requested()) {
        fmt::print("{}{}", kAbout, config.usage("flightbook load"));
        return kExitOk;
    }
    auto file = config.get_required_string("schedule");
    auto mode_name = config.get_string("mode");
    auto db = app::database_settings(config);
    auto dsn = config.get_string("db-dsn");
    for (const Error* e : {file ? nullptr : &file.error(), mode_name ? nullptr : &mode_name.error(),
                           db ? nullptr : &db.error(), dsn ? nullptr : &dsn.error()}) {
        if (e != nullptr) {
            fmt::print(stderr, "flightbook load: {}\n", e->message);
            return kExitUsage;
        }
    }
    postgres::LoadMode mode = postgres::LoadMode::kAppend;
    if (*mode_name == "replace") {
        mode = postgres::LoadMode::kReplace;
    } else if (*mode_name != "append") {
        fmt::print(stderr, "flightbook load: --mode must be append or replace\n");
        return kExitUsage;
    }

    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::size_t> lines;
    auto flights = schedule::read_flights_csv(*file, &lines);
    if (!flights) {
        fmt::print(stderr, "flightbook load: {}\n", flights.error().message);
        return kExitFailure;
    }
    const auto t1 = std::chrono::steady_clock::now();

    postgres::ConnectOptions co;
    co.dsn = dsn->empty() ? db->conninfo() : *dsn;
    auto connection = postgres::Connection::connect(co);
    if (!connection) {
        fmt::print(stderr, "flightbook load: {}\n", connection.error().message);
        return kExitFailure;
    }
    auto report = postgres::load_schedule(**connection, *flights, lines, mode);
    const auto t2 = std::chrono::steady_clock::now();
    if (!report) {
        fmt::print(stderr, "flightbook load: {}: {}\n", *file, report.error().message);
        if (report.error().code == ErrorCode::kInDoubt) {
            fmt::print(stderr,
                       "flightbook load: the COMMIT's outcome is unknown; count the "
                       "flights before loading again\n");
        }
        return kExitFailure;
    }
    const double parse_s = Seconds(t1 - t0).count();
    const double load_s = Seconds(t2 - t1).count();
    fmt::print(
        "loaded {} flights from {} ({}{}): parsed in {:.2f} s, written in {:.2f} s "
        "({:.0f} rows/s); schedule version {}\n",
        report->rows, *file, *mode_name,
        mode == postgres::LoadMode::kReplace ? fmt::format(", {} flights removed", report->removed)
                                             : std::string{},
        parse_s, load_s, load_s > 0 ? static_cast<double>(report->rows) / load_s : 0.0,
        report->version);
    return kExitOk;
}

}  // namespace flightbook::cli
