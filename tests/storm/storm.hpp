#pragma once
// One storm run end to end: read the flights, plan the orders, run the
// clients with the monitor beside them, wait for the system to settle, read
// the final state, check, report.

#include <string>
#include <vector>

#include "checker.hpp"
#include "flightbook/result.hpp"
#include "history.hpp"
#include "options.hpp"
#include "report.hpp"

namespace flightbook::storm {

struct StormResult {
    std::vector<Call> calls;
    std::vector<SeatSample> samples;
    FinalState final_state;
    Summary summary;
    std::vector<Violation> violations;
    std::string report;  ///< format_report of the above
};

/// Runs a storm against services already running at `options.targets`.
/// Errors: the databases cannot be read, or the itineraries' flights do not
/// exist (nothing was sent then). Violations are a result, not an error.
[[nodiscard]] Result<StormResult> run_storm(const StormOptions& options);

}  // namespace flightbook::storm
