// Embeds libflightbook with no server at all: loads a schedule from a CSV
// file (default: the reference world), answers one search and prints the
// JSON that GET /api/flights/search would answer.
//
//   example_embedded_search [schedule.csv] [SOURCE] [DESTINATION] [YYYY-MM-DD] [SEATS]
#include <cstdio>
#include <string>

#include "flightbook/schedule/csv.hpp"
#include "flightbook/search/query.hpp"
#include "flightbook/search/result_json.hpp"
#include "flightbook/search/search.hpp"
#include "flightbook/search/seat_availability.hpp"
#include "flightbook/search/timetable.hpp"

#ifndef FLIGHTBOOK_EXAMPLE_DATA
#define FLIGHTBOOK_EXAMPLE_DATA "examples/data"
#endif

int main(int argc, char** argv) {
    using namespace flightbook;
    const std::string file =
        argc > 1 ? argv[1] : std::string(FLIGHTBOOK_EXAMPLE_DATA) + "/reference_flights.csv";
    auto flights = schedule::read_flights_csv(file);
    if (!flights) {
        std::fprintf(stderr, "%s\n", flights.error().message.c_str());
        return 1;
    }
    auto timetable = search::Timetable::build(std::move(*flights));
    if (!timetable) {
        std::fprintf(stderr, "%s\n", timetable.error().message.c_str());
        return 1;
    }
    const std::string source = argc > 2 ? argv[2] : "HYD";
    const std::string destination = argc > 3 ? argv[3] : "BOM";
    const std::string date = argc > 4 ? argv[4] : "2024-02-15";
    const std::string seats = argc > 5 ? argv[5] : "2";
    auto query =
        search::parse_search_query([&](std::string_view name) -> std::optional<std::string_view> {
            if (name == "source") return source;
            if (name == "destination") return destination;
            if (name == "date") return date;
            if (name == "seats") return seats;
            return std::nullopt;
        });
    if (!query) {
        std::fprintf(stderr, "%s\n", query.error().message.c_str());
        return 2;
    }
    search::TimetableSeatAvailability live(*timetable);
    auto result = search::find_itineraries(**timetable, live, *query);
    if (!result) {
        std::fprintf(stderr, "%s\n", result.error().message.c_str());
        return 1;
    }
    std::printf("%s\n", search::search_result_to_json(*result, **timetable, live).c_str());
    return 0;
}
