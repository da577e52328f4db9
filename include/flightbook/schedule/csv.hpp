#pragma once
/// \file
/// The flights CSV format: the flights table of SPEC §2 with a header row
///
///     id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,price
///
/// RFC 3339 UTC times and prices with two decimals. See docs/schedule-format.md.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/result.hpp"

namespace flightbook::schedule {

/// The header row, without the line break.
inline constexpr std::string_view kFlightsCsvHeader =
    "id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,"
    "price";

/// Parses a whole CSV document. Errors (`kInvalidArgument`) name the 1-based
/// line: wrong header, wrong field count, bad id/code/time/number, arrival not
/// after departure, seats outside 0 <= booked <= total, negative price.
/// Empty lines and a trailing CR are ignored. Thread-safe. `lines`, when
/// given, receives the 1-based line of each flight (for later errors, such
/// as a database refusing a row, to name the line).
[[nodiscard]] Result<std::vector<Flight>> parse_flights_csv(
    std::string_view text, std::vector<std::size_t>* lines = nullptr);

/// Reads and parses a file. A missing or unreadable file is `kNotFound`.
[[nodiscard]] Result<std::vector<Flight>> read_flights_csv(
    const std::string& path, std::vector<std::size_t>* lines = nullptr);

/// Formats one flight as a CSV row (no line break).
[[nodiscard]] std::string format_flight_csv_row(const Flight& flight);

/// Writes the header and one row per flight to `out`.
void write_flights_csv(std::ostream& out, const std::vector<Flight>& flights);

/// Writes to a file, replacing it. Failure to write is `kUnavailable`.
[[nodiscard]] Status write_flights_csv_file(const std::string& path,
                                            const std::vector<Flight>& flights);

}  // namespace flightbook::schedule
