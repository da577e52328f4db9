#pragma once
/// \file
/// A scheduled flight: one row of the flights table (SPEC §2).

#include <cstdint>
#include <string>

#include "flightbook/airport.hpp"
#include "flightbook/money.hpp"
#include "flightbook/time.hpp"
#include "flightbook/types.hpp"

namespace flightbook {

/// One flight leg with its seat counters as last read. Plain value type.
struct Flight {
    FlightId id;
    std::string flight_number;
    AirportCode source;
    AirportCode destination;
    UtcTime departure_time;
    UtcTime arrival_time;
    std::int32_t total_seats = 0;
    std::int32_t booked_seats = 0;  ///< Held + confirmed seats.
    Money price;                    ///< One seat.
    UtcTime created_at;

    [[nodiscard]] std::int32_t available_seats() const noexcept {
        return total_seats - booked_seats;
    }
    [[nodiscard]] std::int64_t duration_minutes() const noexcept {
        return (arrival_time - departure_time).count() / 60;
    }

    friend bool operator==(const Flight&, const Flight&) = default;
};

}  // namespace flightbook
