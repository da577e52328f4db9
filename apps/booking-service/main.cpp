// booking-service: bookings of flights (docs/bookings.md), SPEC §4.
// The service is built in apps/support (booking_service_host.cpp) so that
// `flightbook demo` can compose it with the others in one process.
#include "flightbook/app/booking_service_host.hpp"

int main(int argc, char** argv) {
    return flightbook::app::service_main(argc, argv, flightbook::app::booking_service_definition());
}
