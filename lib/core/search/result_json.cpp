#include "flightbook/search/result_json.hpp"

#include "flightbook/domain/flight_json.hpp"

namespace flightbook::search {

void write_search_result_json(json::Writer& w, const SearchResult& result,
                              const Timetable& timetable, const SeatAvailability& seats) {
    w.begin_object().key("paths").begin_array();
    for (const Itinerary& it : result.paths) {
        w.begin_object().key("flights").begin_array();
        for (FlightId id : it.flights) {
            const Flight* f = timetable.find(id);
            if (f == nullptr) {
                w.begin_object().key("id").value(id.value()).end_object();
            } else {
                write_flight_json(w, *f, seats.available_seats(id));
            }
        }
        w.end_array()
            .key("total_price")
            .value(it.total_price)
            .key("total_time_minutes")
            .value(it.total_time_minutes)
            .key("stops")
            .value(it.stops)
            .end_object();
    }
    w.end_array()
        .key("count")
        .value(static_cast<std::int64_t>(result.paths.size()))
        .key("total")
        .value(result.total)
        .key("total_capped")
        .value(result.total_capped)
        .end_object();
}

std::string search_result_to_json(const SearchResult& result, const Timetable& timetable,
                                  const SeatAvailability& seats) {
    json::Writer w;
    write_search_result_json(w, result, timetable, seats);
    return w.take();
}

}  // namespace flightbook::search
