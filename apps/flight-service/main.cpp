// flight-service: itinerary search, flights and seat accounting, SPEC §4.
// The service is built in apps/support (flight_service_host.cpp) so that
// `flightbook demo` can compose it with the others in one process.
#include "flightbook/app/flight_service_host.hpp"

int main(int argc, char** argv) {
    return flightbook::app::service_main(argc, argv, flightbook::app::flight_service_definition());
}
