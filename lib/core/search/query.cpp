#include "flightbook/search/query.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace flightbook::search {
namespace {

Unexpected invalid(std::string message) {
    return fail(ErrorCode::kInvalidArgument, std::move(message));
}

// A plain non-negative decimal integer, no sign, no spaces, at most 9 digits.
std::optional<int> parse_int(std::string_view s) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

std::optional<std::string_view> present(const ParamLookup& lookup, std::string_view name) {
    auto v = lookup(name);
    if (v && v->empty()) return std::nullopt;
    return v;
}

Result<int> int_param(const ParamLookup& lookup, std::string_view name, int fallback, int lo,
                      int hi) {
    auto v = present(lookup, name);
    if (!v) return fallback;
    auto n = parse_int(*v);
    if (!n || *n < lo || *n > hi) {
        return invalid(fmt::format("{} must be an integer from {} to {}", name, lo, hi));
    }
    return *n;
}

Result<AirportCode> airport_param(const ParamLookup& lookup, std::string_view name) {
    auto v = present(lookup, name);
    if (!v) return invalid(fmt::format("{} is required", name));
    auto code = AirportCode::parse(*v);
    if (!code) return invalid(fmt::format("{} must be a three-letter airport code", name));
    return code;
}

}  // namespace

std::string_view to_string(SortBy s) noexcept {
    return s == SortBy::kFastest ? "fastest" : "cheapest";
}

Status validate(const SearchRules& rules) {
    constexpr int kWeekMinutes = 7 * 24 * 60;
    if (rules.mct_minutes < 0 || rules.mct_minutes > kWeekMinutes) {
        return invalid(fmt::format("mct must be from 0 to {} minutes", kWeekMinutes));
    }
    if (rules.max_layover_minutes < rules.mct_minutes || rules.max_layover_minutes > kWeekMinutes) {
        return invalid(fmt::format("max layover must be from the mct to {} minutes", kWeekMinutes));
    }
    return ok();
}

Result<SearchQuery> parse_search_query(const ParamLookup& lookup) {
    SearchQuery q;
    auto source = airport_param(lookup, "source");
    if (!source) return fail(std::move(source).error());
    q.source = *source;
    auto destination = airport_param(lookup, "destination");
    if (!destination) return fail(std::move(destination).error());
    q.destination = *destination;
    if (q.source == q.destination) return invalid("source and destination must differ");

    auto date_text = present(lookup, "date");
    if (!date_text) return invalid("date is required");
    auto date = parse_date(*date_text);
    if (!date) return invalid("date must be a calendar date YYYY-MM-DD");
    q.date = *date;

    if (!present(lookup, "seats")) return invalid("seats is required");
    auto seats = int_param(lookup, "seats", 1, 1, kMaxSeats);
    if (!seats) return fail(std::move(seats).error());
    q.seats = *seats;

    if (auto s = present(lookup, "sort_by")) {
        if (*s == "cheapest") {
            q.sort_by = SortBy::kCheapest;
        } else if (*s == "fastest") {
            q.sort_by = SortBy::kFastest;
        } else {
            return invalid("sort_by must be cheapest or fastest");
        }
    }
    auto stops = int_param(lookup, "max_stops", kMaxStops, 0, kMaxStops);
    if (!stops) return fail(std::move(stops).error());
    q.max_stops = *stops;
    auto limit = int_param(lookup, "limit", kDefaultLimit, 1, kMaxLimit);
    if (!limit) return fail(std::move(limit).error());
    q.limit = *limit;
    auto offset = int_param(lookup, "offset", 0, 0, kMaxPageEnd - 1);
    if (!offset) return fail(std::move(offset).error());
    q.offset = *offset;
    if (q.offset + q.limit > kMaxPageEnd) {
        return invalid(fmt::format("offset + limit must be at most {}", kMaxPageEnd));
    }
    return q;
}

}  // namespace flightbook::search
