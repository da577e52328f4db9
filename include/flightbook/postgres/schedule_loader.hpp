#pragma once
/// \file
/// Loads a whole flight schedule into the flights table in one transaction
/// (`flightbook load`): all rows or none, with every refusal naming the
/// schedule file's line.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/postgres/connection.hpp"
#include "flightbook/result.hpp"

namespace flightbook::postgres {

enum class LoadMode {
    kAppend,   ///< add the flights; an id (or number + departure) already there is refused
    kReplace,  ///< the flights become exactly these; refused while seat reservations exist
};

struct LoadReport {
    std::size_t rows = 0;      ///< flights written
    std::size_t removed = 0;   ///< flights deleted first (replace)
    std::int64_t version = 0;  ///< schedule_version after COMMIT
};

/// Writes `flights` with COPY in one transaction on `connection`. `lines[i]`
/// is the file line of `flights[i]` (1-based; empty: i + 2, a file without
/// blank lines). Before anything is written, every rule of the flights table
/// is checked and the first broken one answered with its line
/// (`kInvalidArgument` "line 17: ..."): flight_number of at most 10
/// characters, total_seats above 0, ids and (flight_number, departure_time)
/// unique in the file and, when appending, new to the table. Replace is
/// refused (`kFailedPrecondition`) while any seat reservation references a
/// flight: its seats would lose their flight. Other errors: `kUnavailable`,
/// `kInDoubt` (the COMMIT's outcome is unknown: read the table).
[[nodiscard]] Result<LoadReport> load_schedule(Connection& connection,
                                               const std::vector<Flight>& flights,
                                               const std::vector<std::size_t>& lines,
                                               LoadMode mode);

}  // namespace flightbook::postgres
