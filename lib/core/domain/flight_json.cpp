#include "flightbook/domain/flight_json.hpp"

#include "flightbook/time.hpp"

namespace flightbook {

namespace {

void write_time(json::Writer& w, UtcTime t) {
    char text[20];
    if (format_rfc3339_to(t, text)) {
        w.value(std::string_view(text, sizeof text));
    } else {
        w.value(format_rfc3339(t));
    }
}

}  // namespace

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
        .key("departure_time");
    write_time(w, flight.departure_time);
    w.key("arrival_time");
    write_time(w, flight.arrival_time);
    w.key("total_seats")
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
