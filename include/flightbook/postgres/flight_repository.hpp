#pragma once
/// \file
/// The PostgreSQL `FlightRepository` over the flights table.

#include <memory>

#include "flightbook/ports/flight_repository.hpp"
#include "flightbook/postgres/pool.hpp"

namespace flightbook::postgres {

/// Reads the flights table; `booked_seats` is live. Thread-safe.
class PostgresFlightRepository final : public FlightRepository {
public:
    explicit PostgresFlightRepository(std::shared_ptr<ConnectionPool> pool);

    [[nodiscard]] Result<Flight> get(FlightId id) override;
    [[nodiscard]] Result<std::vector<Flight>> list_all() override;
    [[nodiscard]] Result<std::vector<Flight>> list_departing(UtcTime from, UtcTime to) override;
    /// schedule_version.version (sql/flights/0004), bumped by a trigger.
    [[nodiscard]] Result<std::int64_t> schedule_version() override;

private:
    std::shared_ptr<ConnectionPool> pool_;
};

}  // namespace flightbook::postgres
