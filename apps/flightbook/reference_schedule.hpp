#pragma once
// The 16-flight reference world of SPEC §2 (examples/data/reference_flights.csv),
// compiled in so that `flightbook demo` needs no file.
#include <string_view>

namespace flightbook::cli {
extern const std::string_view kReferenceScheduleCsv;
}  // namespace flightbook::cli
