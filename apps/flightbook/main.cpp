// flightbook: command-line tool for schedules, offline search, the all-in-one
// demo and schedule loading.
#include <fmt/core.h>

#include <string_view>
#include <vector>

#include "cli_args.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: flightbook <command> [options]\n"
    "\n"
    "commands:\n"
    "  generate   write a generated flight schedule as CSV\n"
    "  search     search itineraries in a CSV schedule (one query or a batch)\n"
    "  demo       run flight-, booking- and payment-service in this process, in memory\n"
    "  load       load a CSV schedule into the flights database (one transaction)\n"
    "\n"
    "Run 'flightbook <command> --help' for the options of a command.\n";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    if (args.empty()) {
        fmt::print(stderr, "{}", kUsage);
        return flightbook::cli::kExitUsage;
    }
    const std::string_view command = args.front();
    const std::vector<std::string_view> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        fmt::print("{}", kUsage);
        return flightbook::cli::kExitOk;
    }
    if (command == "generate") return flightbook::cli::run_generate(rest);
    if (command == "search") return flightbook::cli::run_search(rest);
    if (command == "demo") return flightbook::cli::run_demo(rest);
    if (command == "load") return flightbook::cli::run_load(rest);
    fmt::print(stderr, "flightbook: unknown command '{}'\n\n{}", command, kUsage);
    return flightbook::cli::kExitUsage;
}
