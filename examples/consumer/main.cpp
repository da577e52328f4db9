// Links the installed libflightbook and uses its public API.
#include <cstdio>

#include "flightbook/airport.hpp"
#include "flightbook/money.hpp"
#include "flightbook/time.hpp"

int main() {
    auto code = flightbook::AirportCode::parse("del");
    auto price = flightbook::Money::parse("8500.00");
    auto when = flightbook::parse_rfc3339("2024-02-15T08:00:00Z");
    if (!code || !price || !when) {
        std::fputs("flightbook consumer: parse failed\n", stderr);
        return 1;
    }
    std::printf("consumer ok: %s %s %s\n", code->str().c_str(), price->to_string().c_str(),
                flightbook::format_rfc3339(*when).c_str());
    return 0;
}
