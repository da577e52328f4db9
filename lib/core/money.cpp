#include "flightbook/money.hpp"

#include <fmt/format.h>

#include <limits>

namespace flightbook {

Result<Money> Money::parse(std::string_view text) {
    auto bad = [&] {
        return fail(ErrorCode::kInvalidArgument,
                    "amount must be a decimal number with at most two decimals");
    };
    if (text.empty()) return bad();
    bool negative = false;
    if (text.front() == '-') {
        negative = true;
        text.remove_prefix(1);
    }
    if (text.empty()) return bad();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max() / 100 - 1;
    std::int64_t whole = 0;
    std::size_t i = 0;
    std::size_t digits = 0;
    for (; i < text.size() && text[i] != '.'; ++i, ++digits) {
        const char c = text[i];
        if (c < '0' || c > '9') return bad();
        whole = whole * 10 + (c - '0');
        if (whole > kMax) return bad();
    }
    if (digits == 0) return bad();
    std::int64_t frac = 0;
    if (i < text.size()) {
        ++i;  // '.'
        const std::size_t decimals = text.size() - i;
        if (decimals == 0 || decimals > 2) return bad();
        for (std::size_t k = 0; k < 2; ++k) {
            frac *= 10;
            if (i + k < text.size()) {
                const char c = text[i + k];
                if (c < '0' || c > '9') return bad();
                frac += c - '0';
            }
        }
    }
    const std::int64_t cents = whole * 100 + frac;
    return Money(negative ? -cents : cents);
}

std::string Money::to_string() const {
    const std::uint64_t mag = cents_ < 0 ? static_cast<std::uint64_t>(-(cents_ + 1)) + 1
                                         : static_cast<std::uint64_t>(cents_);
    // Hot in search answers (one price per leg and itinerary): no format string.
    const fmt::format_int units(mag / 100);
    const auto rest = static_cast<char>(mag % 100);
    std::string out;
    out.reserve(units.size() + 4);
    if (cents_ < 0) out.push_back('-');
    out.append(units.data(), units.size());
    out.push_back('.');
    out.push_back(static_cast<char>('0' + rest / 10));
    out.push_back(static_cast<char>('0' + rest % 10));
    return out;
}

}  // namespace flightbook
