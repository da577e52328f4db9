#include "flightbook/postgres/flight_repository.hpp"

#include <fmt/format.h>

#include "seat_queries.hpp"

namespace flightbook::postgres {

namespace {

Result<Flight> flight_from_row(const QueryResult& r, std::size_t row) {
    Flight f;
    f.id = FlightId{r.int64(row, 0)};
    f.flight_number = std::string(r.text(row, 1));
    auto source = AirportCode::parse(r.text(row, 2));
    auto destination = AirportCode::parse(r.text(row, 3));
    if (!source || !destination) {
        return fail(ErrorCode::kInternal, fmt::format("flight {}: bad airport code", f.id.value()));
    }
    f.source = *source;
    f.destination = *destination;
    f.departure_time = from_unix_seconds(r.int64(row, 4));
    f.arrival_time = from_unix_seconds(r.int64(row, 5));
    f.total_seats = static_cast<std::int32_t>(r.int64(row, 6));
    f.booked_seats = static_cast<std::int32_t>(r.int64(row, 7));
    f.price = Money::from_cents(r.int64(row, 8));
    f.created_at = from_unix_seconds(r.int64(row, 9));
    return f;
}

Result<std::vector<Flight>> flights_from(const QueryResult& r) {
    std::vector<Flight> flights;
    flights.reserve(r.rows());
    for (std::size_t i = 0; i < r.rows(); ++i) {
        auto f = flight_from_row(r, i);
        if (!f) return fail(std::move(f).error());
        flights.push_back(std::move(f).value());
    }
    return flights;
}

}  // namespace

PostgresFlightRepository::PostgresFlightRepository(std::shared_ptr<ConnectionPool> pool)
    : pool_(std::move(pool)) {}

Result<Flight> PostgresFlightRepository::get(FlightId id) {
    auto lease = pool_->acquire();
    if (!lease) return fail(std::move(lease).error());
    auto r = (*lease)->exec(queries::kFlightById, {id.value()});
    if (!r) return fail(std::move(r).error());
    if (r->rows() == 0)
        return fail(ErrorCode::kNotFound, fmt::format("flight {} not found", id.value()));
    return flight_from_row(*r, 0);
}

Result<std::vector<Flight>> PostgresFlightRepository::list_all() {
    auto lease = pool_->acquire();
    if (!lease) return fail(std::move(lease).error());
    auto r = (*lease)->exec(queries::kFlightsAll);
    if (!r) return fail(std::move(r).error());
    return flights_from(*r);
}

Result<std::vector<Flight>> PostgresFlightRepository::list_departing(UtcTime from, UtcTime to) {
    if (to < from) return fail(ErrorCode::kInvalidArgument, "range end before its start");
    auto lease = pool_->acquire();
    if (!lease) return fail(std::move(lease).error());
    auto r =
        (*lease)->exec(queries::kFlightsDeparting, {to_unix_seconds(from), to_unix_seconds(to)});
    if (!r) return fail(std::move(r).error());
    return flights_from(*r);
}

Result<std::int64_t> PostgresFlightRepository::schedule_version() {
    auto lease = pool_->acquire();
    if (!lease) return fail(std::move(lease).error());
    auto r = (*lease)->exec(queries::kScheduleVersion);
    if (!r) return fail(std::move(r).error());
    if (r->rows() != 1) return fail(ErrorCode::kInternal, "schedule_version must have one row");
    return r->int64(0, 0);
}

}  // namespace flightbook::postgres
