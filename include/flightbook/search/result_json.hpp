#pragma once
/// \file
/// The body of `GET /api/flights/search` (SPEC §4), shared by the CLI and the
/// HTTP service so both print byte-identical answers.

#include <string>

#include "flightbook/json/writer.hpp"
#include "flightbook/search/search.hpp"

namespace flightbook::search {

/// Writes {"paths":[{"flights":[Flight...],"total_price","total_time_minutes",
/// "stops"}],"count","total","total_capped"}. Each flight comes from
/// `timetable` with its live seat count from `seats` (booked_seats = total -
/// available). A leg id missing from `timetable` is written as
/// {"id": n} only (it cannot happen for results of the same snapshot).
/// Not thread-safe on the same writer; otherwise read-only.
void write_search_result_json(json::Writer& w, const SearchResult& result,
                              const Timetable& timetable, const SeatAvailability& seats);

/// The same as a standalone JSON document.
[[nodiscard]] std::string search_result_to_json(const SearchResult& result,
                                                const Timetable& timetable,
                                                const SeatAvailability& seats);

}  // namespace flightbook::search
