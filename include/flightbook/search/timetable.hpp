#pragma once
/// \file
/// `Timetable`: an immutable, flat snapshot of a set of flights, laid out for
/// itinerary search. Snapshots are swapped by `flights::FlightService`.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "flightbook/airport.hpp"
#include "flightbook/domain/flight.hpp"
#include "flightbook/flight_index.hpp"
#include "flightbook/result.hpp"
#include "flightbook/types.hpp"

namespace flightbook::search {

/// Dense index of an airport inside one timetable.
using AirportIndex = std::uint32_t;
/// Dense index of a leg (one flight) inside one timetable.
using LegIndex = std::uint32_t;
/// Dense index of a route (an ordered airport pair with at least one flight).
using RouteIndex = std::uint32_t;

/// One directed airport pair and the legs that fly it, sorted by departure.
struct Route {
    AirportIndex from = 0;
    AirportIndex to = 0;
    LegIndex first_leg = 0;  ///< Legs of this route are [first_leg, end_leg).
    LegIndex end_leg = 0;
    std::int64_t min_price_cents = 0;    ///< Cheapest leg of the route.
    std::int64_t min_block_seconds = 0;  ///< Shortest leg of the route.
};

/// One route into an airport, with what a reverse search reads about it, so
/// that walking the routes into an airport reads one contiguous array.
struct InRoute {
    AirportIndex from = 0;
    RouteIndex route = 0;
    std::int64_t min_price_cents = 0;    ///< Cheapest leg of the route.
    std::int64_t min_block_seconds = 0;  ///< Shortest leg of the route.
};

/// What a search reads about one leg, in one 32-byte record so that trying a
/// leg touches one cache line. Times are seconds after `Timetable::time_base()`.
struct LegInfo {
    std::int32_t departure = 0;
    std::int32_t arrival = 0;
    AirportIndex to = 0;           ///< Arrival airport.
    std::uint32_t flight = 0;      ///< Index into `Timetable::flights()`.
    std::int64_t price_cents = 0;  ///< One-seat price.
    std::int64_t id = 0;           ///< Flight id.
};

/// An immutable snapshot of flights in search-friendly form.
///
/// Airports are dense indices (sorted by code). Legs are stored grouped by
/// route, and routes grouped by origin airport, so the departures of one route
/// are a contiguous range sorted by departure time. Times are Unix seconds;
/// the hot arrays hold them as 32-bit offsets from `time_base()` (half the
/// memory traffic of 64-bit times), the accessors return absolute seconds.
/// The original `Flight` rows stay reachable by leg index for output.
///
/// Thread-safety: immutable after `build`; any number of threads may read.
class Timetable {
public:
    /// Builds a snapshot. Errors (`kInvalidArgument`): duplicate flight ids,
    /// a flight that does not arrive after it departs, an empty airport code,
    /// a flight from an airport to itself, flights spanning more than ~68 years
    /// (2^31 seconds).
    [[nodiscard]] static Result<std::shared_ptr<const Timetable>> build(
        std::vector<Flight> flights);

    [[nodiscard]] std::size_t airport_count() const noexcept { return airports_.size(); }
    [[nodiscard]] std::size_t leg_count() const noexcept { return leg_dep_.size(); }
    [[nodiscard]] std::size_t route_count() const noexcept { return routes_.size(); }

    /// Dense index of `code`, or nullopt when no flight touches it.
    [[nodiscard]] std::optional<AirportIndex> airport_index(const AirportCode& code) const;
    [[nodiscard]] const AirportCode& airport_code(AirportIndex a) const { return airports_[a]; }

    /// Routes leaving airport `a`.
    [[nodiscard]] std::span<const Route> routes_from(AirportIndex a) const {
        return {routes_.data() + route_off_[a], routes_.data() + route_off_[a + 1]};
    }
    /// Arrival airports of `routes_from(a)`, aligned (a dense array for scans).
    [[nodiscard]] std::span<const AirportIndex> route_destinations_from(AirportIndex a) const {
        return {route_to_.data() + route_off_[a], route_to_.data() + route_off_[a + 1]};
    }
    /// Indices of routes arriving at airport `a`.
    [[nodiscard]] std::span<const RouteIndex> routes_into(AirportIndex a) const {
        return {in_routes_.data() + in_off_[a], in_routes_.data() + in_off_[a + 1]};
    }
    /// Routes arriving at airport `a`, aligned with `routes_into(a)`.
    [[nodiscard]] std::span<const InRoute> incoming(AirportIndex a) const {
        return {in_info_.data() + in_off_[a], in_info_.data() + in_off_[a + 1]};
    }
    [[nodiscard]] const Route& route(RouteIndex r) const { return routes_[r]; }

    /// All departures from airport `a` over every route, sorted by departure
    /// time: leg indices and, aligned with them, their departure times
    /// (offsets from `time_base()`).
    [[nodiscard]] std::span<const LegIndex> departures_from(AirportIndex a) const {
        return {by_time_leg_.data() + by_time_off_[a], by_time_leg_.data() + by_time_off_[a + 1]};
    }
    [[nodiscard]] std::span<const std::int32_t> departure_times_from(AirportIndex a) const {
        return {by_time_dep_.data() + by_time_off_[a], by_time_dep_.data() + by_time_off_[a + 1]};
    }
    /// Arrival airports aligned with `departures_from(a)`.
    [[nodiscard]] std::span<const AirportIndex> departure_destinations_from(AirportIndex a) const {
        return {by_time_to_.data() + by_time_off_[a], by_time_to_.data() + by_time_off_[a + 1]};
    }
    /// Arrival airport of a leg.
    [[nodiscard]] AirportIndex leg_destination(LegIndex l) const { return leg_info_[l].to; }

    /// Departure/arrival (Unix seconds) and one-seat price of a leg.
    [[nodiscard]] std::int64_t departure(LegIndex l) const { return time_base_ + leg_dep_[l]; }
    [[nodiscard]] std::int64_t arrival(LegIndex l) const {
        return time_base_ + leg_info_[l].arrival;
    }
    [[nodiscard]] std::int64_t price_cents(LegIndex l) const { return leg_info_[l].price_cents; }
    /// Unix seconds that the 32-bit times of the raw arrays are relative to.
    [[nodiscard]] std::int64_t time_base() const noexcept { return time_base_; }
    /// Raw arrays, for tight loops; times are offsets from `time_base()`.
    /// `departures()` repeats `legs()[l].departure` densely, for binary search.
    [[nodiscard]] const std::int32_t* departures() const noexcept { return leg_dep_.data(); }
    [[nodiscard]] const LegInfo* legs() const noexcept { return leg_info_.data(); }

    /// The flight row behind a leg.
    [[nodiscard]] const Flight& flight(LegIndex l) const { return flights_[leg_info_[l].flight]; }
    [[nodiscard]] FlightId flight_id(LegIndex l) const { return FlightId{leg_info_[l].id}; }
    /// All flights, in the order given to `build`.
    [[nodiscard]] const std::vector<Flight>& flights() const noexcept { return flights_; }
    /// The flight with id `id`, or nullptr.
    [[nodiscard]] const Flight* find(FlightId id) const;
    /// The position of flight `id` in `flights()`, or nullopt.
    [[nodiscard]] std::optional<std::uint32_t> index_of(FlightId id) const noexcept {
        return ids_.find(id);
    }

    /// Approximate heap memory held by the snapshot, in bytes.
    [[nodiscard]] std::size_t memory_bytes() const noexcept;

private:
    Timetable() = default;

    std::vector<Flight> flights_;
    std::vector<AirportCode> airports_;     // sorted
    std::vector<std::uint32_t> route_off_;  // airport_count + 1
    std::vector<Route> routes_;
    std::vector<AirportIndex> route_to_;  // routes_[r].to, dense
    std::vector<std::uint32_t> in_off_;   // airport_count + 1
    std::vector<RouteIndex> in_routes_;
    std::vector<InRoute> in_info_;       // aligned with in_routes_
    std::int64_t time_base_ = 0;         // earliest departure (Unix seconds)
    std::vector<std::int32_t> leg_dep_;  // seconds after time_base_ (dense, for binary search)
    std::vector<LegInfo> leg_info_;
    std::vector<std::uint32_t> by_time_off_;  // airport_count + 1
    std::vector<LegIndex> by_time_leg_;       // per airport, sorted by departure
    std::vector<std::int32_t> by_time_dep_;   // departure times, aligned
    std::vector<AirportIndex> by_time_to_;    // arrival airports, aligned
    FlightIndex ids_;                         // id -> index into flights_
};

}  // namespace flightbook::search
