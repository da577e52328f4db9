#include "flightbook/domain/flight_json.hpp"

#include "flightbook/time.hpp"

namespace flightbook {

void write_flight_json(json::Writer& w, const Flight& flight, std::int32_t available_seats) {
    w.begin_object()
        .key("id")
        .value(flight.id.value())
        .key("flight_number")
        .value(flight.flight_number)
        .key("source")
        .value(flight.source.view())
        .key("destination")
        .value(flight.destination.view())
        .key("departure_time")
        .value(format_rfc3339(flight.departure_time))
        .key("arrival_time")
        .value(format_rfc3339(flight.arrival_time))
        .key("total_seats")
        .value(flight.total_seats)
        .key("booked_seats")
        .value(flight.total_seats - available_seats)
        .key("available_seats")
        .value(available_seats)
        .key("price")
        .value(flight.price)
        .end_object();
}

void write_flight_json(json::Writer& w, const Flight& flight) {
    write_flight_json(w, flight, flight.available_seats());
}

std::string flight_to_json(const Flight& flight) {
    json::Writer w;
    write_flight_json(w, flight);
    return w.take();
}

}  // namespace flightbook
