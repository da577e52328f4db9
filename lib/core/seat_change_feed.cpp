#include "flightbook/ports/seat_change_feed.hpp"

#include <charconv>

#include <fmt/format.h>

namespace flightbook {
namespace {

template <typename Int>
bool parse_int(std::string_view text, Int& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

std::string encode_seat_changes(std::string_view origin, std::span<const SeatCountChange> changes) {
    std::string out(origin);
    out += ' ';
    for (std::size_t i = 0; i < changes.size(); ++i) {
        if (i > 0) out += ',';
        out += fmt::format_int(changes[i].flight.value()).str();
        out += '=';
        out += fmt::format_int(changes[i].available).str();
    }
    return out;
}

bool decode_seat_changes(std::string_view message, std::string& origin,
                         std::vector<SeatCountChange>& changes) {
    changes.clear();
    const auto space = message.find(' ');
    if (space == std::string_view::npos || space == 0) return false;
    origin.assign(message.substr(0, space));
    std::string_view rest = message.substr(space + 1);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        const auto eq = item.find('=');
        SeatCountChange change;
        std::int64_t id = 0;
        if (eq == std::string_view::npos || !parse_int(item.substr(0, eq), id) ||
            !parse_int(item.substr(eq + 1), change.available)) {
            changes.clear();
            return false;
        }
        change.flight = FlightId{id};
        changes.push_back(change);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
        if (rest.empty()) {  // a trailing comma
            changes.clear();
            return false;
        }
    }
    return !changes.empty();
}

}  // namespace flightbook
