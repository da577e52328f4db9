// A separate project that links the installed libflightbook through
// find_package(flightbook) and uses each of its libraries' public API:
// core (search, seats), http (JSON codec on simdjson) and the adapters'
// option types, so that every exported target and its private dependencies
// resolve at link time.
#include <cstdio>

#include "flightbook/clock.hpp"
#include "flightbook/http/json.hpp"
#include "flightbook/memory/seat_inventory.hpp"
#include "flightbook/postgres/pool.hpp"
#include "flightbook/redis/client.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/search/result_json.hpp"
#include "flightbook/search/search.hpp"
#include "flightbook/search/seat_availability.hpp"
#include "flightbook/search/timetable.hpp"

namespace {

constexpr const char* kSchedule =
    "id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,"
    "price\n"
    "1,AI401,DEL,HYD,2024-02-15T07:00:00Z,2024-02-15T09:00:00Z,180,20,9500.00\n"
    "2,AI402,HYD,BLR,2024-02-15T10:30:00Z,2024-02-15T11:30:00Z,180,35,5500.00\n";

int fail(const char* what, const flightbook::Error& e) {
    std::fprintf(stderr, "consumer: %s: %s\n", what, e.message.c_str());
    return 1;
}

}  // namespace

int main() {
    using namespace flightbook;
    auto flights = schedule::parse_flights_csv(kSchedule);
    if (!flights) return fail("csv", flights.error());
    auto timetable = search::Timetable::build(*flights);
    if (!timetable) return fail("timetable", timetable.error());
    auto query = http::parse_object(
        R"({"source":"DEL","destination":"BLR","date":"2024-02-15","seats":"2"})");
    if (!query) return fail("json", query.error());
    auto parsed = search::parse_search_query([&](std::string_view name) {
        const auto* v = query->find(name);
        return v && v->as_string() ? std::optional<std::string_view>(*v->as_string())
                                   : std::nullopt;
    });
    if (!parsed) return fail("query", parsed.error());
    search::TimetableSeatAvailability seats(*timetable);
    auto result = search::find_itineraries(**timetable, seats, *parsed);
    if (!result) return fail("search", result.error());
    if (result->paths.size() != 1 || result->paths[0].stops != 1) {
        std::fputs("consumer: expected one one-stop itinerary\n", stderr);
        return 1;
    }

    ManualClock clock;
    memory::InMemorySeatInventory inventory(clock);
    if (auto added = inventory.add_flights(*flights); !added) return fail("seats", added.error());
    auto hold = inventory.hold({ReservationId::parse("consumer-1").value(),
                                {{FlightId{1}, 2}, {FlightId{2}, 2}},
                                clock.now() + std::chrono::minutes{15}});
    if (!hold) return fail("hold", hold.error());

    // The adapters are reachable too (no server is contacted here).
    postgres::PoolOptions pg;
    pg.dsn = "host=127.0.0.1";
    redis::ClientOptions rd;
    auto client = redis::Client::create(rd);
    if (!client) return fail("redis client", client.error());

    std::printf("consumer ok: %s\n",
                search::search_result_to_json(*result, **timetable, seats).c_str());
    return 0;
}
