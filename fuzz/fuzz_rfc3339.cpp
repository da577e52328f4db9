// RFC 3339 times and calendar dates (include/flightbook/time.hpp): every
// request date and every schedule time goes through these two parsers.
// Properties: whatever parses formats back to a string that parses to the
// same value (the canonical form is a fixed point), and the canonical forms
// have their fixed shapes.
#include <cstddef>
#include <cstdint>

#include "flightbook/time.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);

    if (auto date = parse_date(text)) {
        const std::string formatted = format_date(*date);
        FUZZ_CHECK(formatted.size() == 10);
        // A date is accepted only in its canonical spelling.
        FUZZ_CHECK(formatted == text);
        auto again = parse_date(formatted);
        FUZZ_CHECK(again.has_value() && *again == *date);
    }

    if (auto time = parse_rfc3339(text)) {
        const std::string formatted = format_rfc3339(*time);
        FUZZ_CHECK(formatted.size() == 20 && formatted[10] == 'T' && formatted[19] == 'Z');
        auto again = parse_rfc3339(formatted);
        FUZZ_CHECK(again.has_value() && *again == *time);
        FUZZ_CHECK(format_rfc3339(*again) == formatted);
        // The day of a time is a date that itself round-trips.
        auto day = parse_date(formatted.substr(0, 10));
        FUZZ_CHECK(day.has_value() && *day == date_of(*time));
    }
    return 0;
}
