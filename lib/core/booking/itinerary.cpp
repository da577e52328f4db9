#include "flightbook/booking/itinerary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "flightbook/rules.hpp"

namespace flightbook::booking {
namespace {

ItineraryCheck refuse(ItineraryProblem problem, std::string message) {
    return ItineraryCheck{problem, std::move(message)};
}

std::string describe(const Flight& f) {
    return fmt::format("{} (flight {}, {}->{})", f.flight_number, f.id.value(), f.source.view(),
                       f.destination.view());
}

}  // namespace

std::string_view to_string(ItineraryProblem problem) noexcept {
    switch (problem) {
        case ItineraryProblem::kNone: return "ok";
        case ItineraryProblem::kLegCount: return "invalid_leg_count";
        case ItineraryProblem::kRepeatedFlight: return "repeated_flight";
        case ItineraryProblem::kWrongDate: return "wrong_date";
        case ItineraryProblem::kNotConnected: return "legs_do_not_connect";
        case ItineraryProblem::kConnectionTooShort: return "connection_too_short";
        case ItineraryProblem::kLayoverTooLong: return "layover_too_long";
        case ItineraryProblem::kAirportRevisited: return "airport_revisited";
    }
    return "unknown";
}

ItineraryCheck check_flight_ids(const std::vector<FlightId>& ids) {
    if (auto count = rules::check_itinerary_legs(ids.size()); !count) {
        return refuse(ItineraryProblem::kLegCount, count.error().message);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
        for (std::size_t j = i + 1; j < ids.size(); ++j) {
            if (ids[i] == ids[j]) {
                return refuse(ItineraryProblem::kRepeatedFlight,
                              fmt::format("flight {} appears twice in the itinerary (legs {} "
                                          "and {})",
                                          ids[i].value(), i + 1, j + 1));
            }
        }
    }
    return {};
}

ItineraryCheck check_itinerary(const std::vector<Flight>& flights, UtcDate date,
                               const search::SearchRules& rules) {
    std::vector<FlightId> ids;
    ids.reserve(flights.size());
    for (const Flight& f : flights) ids.push_back(f.id);
    if (auto basic = check_flight_ids(ids); !basic.ok()) return basic;

    const Flight& first = flights.front();
    if (date_of(first.departure_time) != date) {
        return refuse(ItineraryProblem::kWrongDate,
                      fmt::format("{} departs on {}, not on {}", describe(first),
                                  format_date(date_of(first.departure_time)), format_date(date)));
    }

    const std::chrono::minutes mct{rules.mct_minutes};
    const std::chrono::minutes max_layover{rules.max_layover_minutes};
    for (std::size_t i = 1; i < flights.size(); ++i) {
        const Flight& prev = flights[i - 1];
        const Flight& next = flights[i];
        if (next.source != prev.destination) {
            return refuse(
                ItineraryProblem::kNotConnected,
                fmt::format("leg {} {} leaves {}, but leg {} {} lands at {}", i + 1, describe(next),
                            next.source.view(), i, describe(prev), prev.destination.view()));
        }
        const auto layover = next.departure_time - prev.arrival_time;
        const auto layover_minutes = std::chrono::duration_cast<std::chrono::minutes>(layover);
        if (layover < mct) {
            return refuse(ItineraryProblem::kConnectionTooShort,
                          fmt::format("{} min between {} and {} at {} is less than the minimum "
                                      "connection time of {} min",
                                      layover_minutes.count(), prev.flight_number,
                                      next.flight_number, next.source.view(), mct.count()));
        }
        if (layover > max_layover) {
            return refuse(ItineraryProblem::kLayoverTooLong,
                          fmt::format("{} min between {} and {} at {} is more than the maximum "
                                      "layover of {} min",
                                      layover_minutes.count(), prev.flight_number,
                                      next.flight_number, next.source.view(), max_layover.count()));
        }
    }

    // Every airport the traveller passes: the origin, then each landing.
    std::vector<AirportCode> visited{first.source};
    for (const Flight& f : flights) {
        if (std::find(visited.begin(), visited.end(), f.destination) != visited.end()) {
            return refuse(ItineraryProblem::kAirportRevisited,
                          fmt::format("the itinerary visits {} twice ({} lands there again)",
                                      f.destination.view(), f.flight_number));
        }
        visited.push_back(f.destination);
    }
    return {};
}

}  // namespace flightbook::booking
