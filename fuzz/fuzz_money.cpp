// Money amounts (include/flightbook/money.hpp): prices in the schedule CSV
// and payment amounts in request bodies. Properties: an accepted amount
// formats to two decimals and parses back to the same cents; the cents
// agree with an independent reading of the digits (no rounding, no
// overflow); the canonical spelling is a fixed point.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

#include "flightbook/money.hpp"
#include "fuzz_check.hpp"

using namespace flightbook;

namespace {

// The grammar of Money::parse read a second, simpler way: an optional '-',
// digits, then optionally '.' and one or two digits. nullopt when the text
// does not match or the value does not fit an int64 of cents.
std::optional<std::int64_t> reference_cents(std::string_view s) {
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
    if (whole.empty()) return std::nullopt;
    if (dot != std::string_view::npos && (frac.empty() || frac.size() > 2)) return std::nullopt;
    __int128 v = 0;
    for (char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
        if (v > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
    }
    int cents = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        cents = cents * 10 + (c - '0');
    }
    v = v * 100 + cents;
    if (negative) v = -v;
    if (v > std::numeric_limits<std::int64_t>::max() ||
        v < std::numeric_limits<std::int64_t>::min()) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    auto money = Money::parse(text);
    if (!money) return 0;

    // Parse accepts only what the grammar allows, with the exact value.
    auto expected = reference_cents(text);
    FUZZ_CHECK(expected.has_value());
    FUZZ_CHECK(money->cents() == *expected);

    const std::string formatted = money->to_string();
    const std::size_t dot = formatted.find('.');
    FUZZ_CHECK(dot != std::string::npos && dot + 3 == formatted.size());
    auto again = Money::parse(formatted);
    FUZZ_CHECK(again.has_value() && *again == *money);
    FUZZ_CHECK(again->to_string() == formatted);
    return 0;
}
