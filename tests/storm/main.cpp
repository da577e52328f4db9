// flightbook-storm: the reliability storm against running services (wiring
// only; the workload, monitor and checker live in the flightbook_storm
// library). Exit status: 0 clean, 1 invariant violated, 2 usage or setup error.
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "storm.hpp"

int main(int argc, char** argv) {
    using namespace flightbook::storm;
    std::vector<std::string> args(argv + 1, argv + argc);
    auto request = parse_cli(args);
    if (!request) {
        std::fprintf(stderr, "flightbook-storm: %s\n\n%s", request.error().message.c_str(),
                     usage().c_str());
        return 2;
    }
    if (request->help) {
        std::fputs(usage().c_str(), stdout);
        return 0;
    }
    auto result = run_storm(request->options);
    if (!result) {
        std::fprintf(stderr, "flightbook-storm: %s\n", result.error().message.c_str());
        return 2;
    }
    std::fputs(result->report.c_str(), stdout);
    if (!request->history_path.empty()) {
        auto written = write_history(request->history_path, result->calls);
        if (!written) {
            std::fprintf(stderr, "flightbook-storm: %s\n", written.error().message.c_str());
            return 2;
        }
    }
    return result->violations.empty() ? 0 : 1;
}
