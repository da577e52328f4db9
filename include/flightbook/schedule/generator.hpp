#pragma once
/// \file
/// A deterministic generator of realistic flight schedules (hub-and-spoke
/// networks, banks of departures, block times from great-circle distance).
/// The model is described in docs/schedule-format.md.

#include <cstdint>
#include <vector>

#include "flightbook/airport.hpp"
#include "flightbook/domain/flight.hpp"
#include "flightbook/result.hpp"
#include "flightbook/time.hpp"

namespace flightbook::schedule {

/// Size and seed of a generated schedule. Defaults: a network the size of
/// the world's (about 2,300 airports, 28,000 directed pairs, 53,000 flights
/// a day), two days from 2024-02-15.
struct GeneratorOptions {
    int airports = 2300;           ///< 2 .. 17,576
    int flights_per_day = 53'000;  ///< 1 .. 1,000,000 (approximate target)
    int days = 2;                  ///< 1 .. 31
    std::uint64_t seed = 1;
    UtcDate start_date = UtcDate{std::chrono::year{2024} / 2 / 15};
};

/// Checks the ranges above; `kInvalidArgument` names the bad field.
[[nodiscard]] Status validate(const GeneratorOptions& options);

/// Generates the schedule. The same options always give the same flights
/// (ids 1..n in departure order). Thread-safe (no shared state).
/// Errors: those of `validate`.
[[nodiscard]] Result<std::vector<Flight>> generate_schedule(const GeneratorOptions& options);

/// The synthetic code of airport number `index` (0-based rank by size):
/// distinct for 0 <= index < 17,576, e.g. index 0 -> a fixed three-letter code.
[[nodiscard]] AirportCode synthetic_airport_code(int index);

}  // namespace flightbook::schedule
