// Every route of the three services, called in process with fuzzed
// requests: the real handlers of lib/api (flight, booking and payment
// routes) over the in-memory adapters, with http::Server replaced by a
// route table (support/route_table_server.cpp). Input:
//
//     byte 0      which route (index into every registered route, mod count)
//     line 1      up to four TAB-separated fields: the path parameter
//                 ({id}, {payment_id}), the query string (k=v&k=v), the
//                 X-User-Id header, the Idempotency-Key header; a missing
//                 field leaves that part out
//     the rest    the body
//
// Properties: no handler throws; no answer is a 5xx (in memory nothing is
// unavailable, so a 5xx can only be a bug); every answer is a JSON object,
// and an error answer carries "error" and "message" strings. The services
// keep their state between inputs (bookings sell seats out, keys replay),
// and start afresh every few thousand inputs to bound memory.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flightbook/api/booking_routes.hpp"
#include "flightbook/api/flight_routes.hpp"
#include "flightbook/api/payment_routes.hpp"
#include "flightbook/booking/booking_service.hpp"
#include "flightbook/clock.hpp"
#include "flightbook/flights/flight_service.hpp"
#include "flightbook/flights/local_flight_seats.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/memory/booking_repository.hpp"
#include "flightbook/memory/flight_repository.hpp"
#include "flightbook/memory/payment_store.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/payment/local_payment_gateway.hpp"
#include "flightbook/payment/payment_processor.hpp"
#include "flightbook/schedule/csv.hpp"
#include "fuzz_check.hpp"
#include "support/route_table_server.hpp"

using namespace flightbook;

namespace {

// A few small flights, so that bookings sell them out within a run.
constexpr std::string_view kFlights =
    "id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,"
    "price\n"
    "1,AI101,DEL,BOM,2024-02-15T06:00:00Z,2024-02-15T08:00:00Z,6,0,5000.00\n"
    "2,AI202,BOM,BLR,2024-02-15T09:30:00Z,2024-02-15T11:00:00Z,4,0,3200.50\n"
    "3,6E303,DEL,BLR,2024-02-15T07:00:00Z,2024-02-15T09:45:00Z,9,2,7100.00\n"
    "4,UK404,BLR,HYD,2024-02-15T12:30:00Z,2024-02-15T13:40:00Z,3,0,2500.00\n"
    "5,SG505,HYD,DEL,2024-02-16T06:00:00Z,2024-02-16T08:10:00Z,180,180,4100.00\n";

http::ServerOptions quiet(std::string name) {
    http::ServerOptions o;
    o.service_name = std::move(name);
    o.access_log = false;
    return o;
}

struct World {
    std::vector<Flight> flights = schedule::parse_flights_csv(kFlights).value();
    ManualClock clock{parse_rfc3339("2024-02-10T00:00:00Z").value()};
    memory::InMemorySeatInventory seats{clock};
    memory::InMemoryFlightRepository flight_repo{flights};
    flights::FlightService flight_service{flight_repo, seats, clock};
    flights::LocalFlightSeats seat_port{flight_service};
    memory::InMemoryPaymentStore payment_store;
    payment::PaymentProcessor processor{payment_store, clock,
                                        payment::PaymentProcessorOptions{0.15, 0.05, 0, 0, 1},
                                        [](std::chrono::milliseconds) {}};
    payment::LocalPaymentGateway gateway{processor};
    memory::InMemoryBookingRepository bookings;
    booking::BookingService booking_service{
        bookings, seat_port, gateway, clock, [this] {
            booking::BookingServiceOptions o;
            // Waits pass on the manual clock, so that
            // a wait for another request ends.
            o.sleep = [this](std::chrono::milliseconds d) {
                clock.advance(std::chrono::ceil<std::chrono::seconds>(d));
            };
            return o;
        }()};
    http::Server flight_server{quiet("flight-service")};
    http::Server booking_server{quiet("booking-service")};
    http::Server payment_server{quiet("payment-service")};
    // Every route of the three servers, with the table that holds it.
    std::vector<std::pair<http::RouteInfo, const http::Router*>> routes;

    World() {
        FUZZ_CHECK(seats.add_flights(flights).has_value());
        FUZZ_CHECK(flight_service.reload().has_value());
        FUZZ_CHECK(api::register_flight_routes(flight_server, flight_service).has_value());
        FUZZ_CHECK(api::register_booking_routes(booking_server, booking_service).has_value());
        FUZZ_CHECK(api::register_payment_routes(payment_server, processor).has_value());
        for (const http::Server* s : {&flight_server, &booking_server, &payment_server}) {
            const http::Router& table = fuzz::route_table(*s);
            for (http::RouteInfo& r : table.routes()) routes.emplace_back(std::move(r), &table);
        }
    }
};

std::vector<std::string_view> split(std::string_view text, char sep, std::size_t max_parts) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < max_parts) {
        const std::size_t at = text.find(sep);
        if (at == std::string_view::npos) break;
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    parts.push_back(text);
    return parts;
}

// The pattern with every {name} segment replaced by `value`.
std::string fill_path(std::string_view pattern, std::string_view value) {
    std::string path;
    for (std::string_view segment : split(pattern.substr(1), '/', 16)) {
        path += '/';
        if (!segment.empty() && segment.front() == '{') {
            path += value;
        } else {
            path += segment;
        }
    }
    return path;
}

void check_answer(const http::Response& r) {
    FUZZ_CHECK(r.status >= 200 && r.status < 500);
    auto body = http::parse_object(r.body);
    FUZZ_CHECK(body.has_value());
    if (r.status >= 400) {
        FUZZ_CHECK(body->get_string("error").has_value());
        FUZZ_CHECK(body->get_string("message").has_value());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<World> world;
    static std::size_t runs = 0;
    if (!world || ++runs % 4096 == 0) {
        world.reset();  // the servers unregister before the next world registers
        world = std::make_unique<World>();
    }
    if (size == 0) return 0;
    const auto& [info, table] = world->routes[data[0] % world->routes.size()];
    const std::string_view rest = fuzz::as_text(data + 1, size - 1);
    const std::size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    const std::string_view body = eol == std::string_view::npos ? "" : rest.substr(eol + 1);
    const std::vector<std::string_view> fields = split(line, '\t', 4);

    const std::string path = fill_path(info.pattern, fields[0]);
    const http::Router::Match match = table->match(info.method, path);
    // A parameter with a '/' or an empty one names another path: the server
    // answers that itself (404/405) without a handler.
    if (match.kind != http::Router::Match::Kind::kFound) return 0;

    http::FieldList query;
    if (fields.size() > 1 && !fields[1].empty()) {
        for (std::string_view pair : split(fields[1], '&', 64)) {
            const std::size_t eq = pair.find('=');
            query.emplace_back(pair.substr(0, eq),
                               eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        }
        // The server hands handlers the parameters sorted by name.
        std::stable_sort(query.begin(), query.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    http::FieldList headers;
    if (fields.size() > 2) headers.emplace_back("X-User-Id", fields[2]);
    if (fields.size() > 3) headers.emplace_back("Idempotency-Key", fields[3]);

    const http::Request request(
        http::Request::Parts{info.method, path, body, "fuzz", &match.params, &query, &headers});
    try {
        check_answer((*match.handler)(request));
    } catch (...) {
        // The server would turn this into a 500.
        std::fprintf(stderr, "a route handler threw on %s %s\n", info.method.c_str(),
                     info.pattern.c_str());
        std::abort();
    }
    return 0;
}
