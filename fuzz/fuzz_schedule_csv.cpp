// The schedule CSV (include/flightbook/schedule/csv.hpp) that
// `flightbook load` and the demo read. Properties: every accepted flight
// obeys the documented row rules, the line numbers point at increasing
// lines, and writing the flights and parsing them again gives the same
// flights.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include "flightbook/schedule/csv.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    std::vector<std::size_t> lines;
    auto flights = schedule::parse_flights_csv(text, &lines);
    if (!flights) {
        FUZZ_CHECK(flights.error().code == ErrorCode::kInvalidArgument);
        FUZZ_CHECK(flights.error().message.rfind("line ", 0) == 0);
        return 0;
    }
    FUZZ_CHECK(lines.size() == flights->size());
    for (std::size_t i = 0; i < flights->size(); ++i) {
        const Flight& f = (*flights)[i];
        FUZZ_CHECK(f.id.value() > 0);
        FUZZ_CHECK(!f.flight_number.empty() && f.flight_number.size() <= 16);
        FUZZ_CHECK(f.flight_number.find_first_of(",\n") == std::string::npos);
        FUZZ_CHECK(f.source != f.destination);
        FUZZ_CHECK(f.arrival_time > f.departure_time);
        FUZZ_CHECK(f.total_seats >= 0 && f.booked_seats >= 0 && f.booked_seats <= f.total_seats);
        FUZZ_CHECK(f.price.cents() >= 0);
        FUZZ_CHECK(lines[i] >= 2);  // the header comes first
        if (i > 0) FUZZ_CHECK(lines[i] > lines[i - 1]);
    }

    std::ostringstream out;
    schedule::write_flights_csv(out, *flights);
    auto again = schedule::parse_flights_csv(out.str());
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *flights);
    return 0;
}
