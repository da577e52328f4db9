// The seat life cycle on the in-memory adapter, driven by a manual clock:
// hold two legs all-or-nothing, let one hold expire, confirm another.
#include <cstdio>

#include "flightbook/clock.hpp"
#include "flightbook/memory/seat_inventory.hpp"

int main() {
    using namespace flightbook;
    using namespace std::chrono_literals;
    ManualClock clock;
    memory::InMemorySeatInventory seats(clock);
    if (!seats.add_flight(FlightId{1}, 10) || !seats.add_flight(FlightId{2}, 10)) return 1;

    auto print = [&](const char* what) {
        auto a = seats.availability(FlightId{1}).value();
        auto b = seats.availability(FlightId{2}).value();
        std::printf("%-32s flight 1: %2d available %2d held %2d sold | flight 2: %2d available\n",
                    what, a.available, a.held, a.confirmed, b.available);
    };
    print("start");

    const auto trip = ReservationId::parse("trip-1").value();
    auto held = seats.hold({trip, {{FlightId{1}, 2}, {FlightId{2}, 2}}, clock.now() + 15min});
    if (!held) return 1;
    print("held 2+2 seats for 15 min");

    auto greedy = seats.hold({ReservationId::parse("greedy").value(),
                              {{FlightId{1}, 1}, {FlightId{2}, 9}},
                              clock.now() + 15min});
    std::printf("a hold of 1+9 seats: %s\n", greedy ? "held" : greedy.error().message.c_str());
    print("after the refused hold");

    clock.advance(16min);
    auto expired = seats.release_expired(clock.now(), 100).value();
    std::printf("sweeper expired %zu reservation(s)\n", expired.size());
    print("after expiry");

    const auto sale = ReservationId::parse("sale-1").value();
    if (!seats.hold({sale, {{FlightId{1}, 3}}, clock.now() + 15min}) || !seats.confirm(sale)) {
        return 1;
    }
    print("sold 3 seats");
    return 0;
}
