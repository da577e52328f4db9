// payment-service: the payment gateway mock (docs/payments.md), SPEC §4.
// The service is built in apps/support (payment_service_host.cpp) so that
// `flightbook demo` can compose it with the others in one process.
#include "flightbook/app/payment_service_host.hpp"

int main(int argc, char** argv) {
    return flightbook::app::service_main(argc, argv, flightbook::app::payment_service_definition());
}
