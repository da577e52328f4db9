#pragma once
/// \file
/// A validated search request (SPEC §3) and the one parser that builds it from
/// named string parameters, shared by the CLI and the HTTP service so both
/// validate identically.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "flightbook/airport.hpp"
#include "flightbook/result.hpp"
#include "flightbook/rules.hpp"
#include "flightbook/time.hpp"

namespace flightbook::search {

/// Sort order of the answer (SPEC §3).
enum class SortBy : std::uint8_t {
    kCheapest,  ///< total_price, duration, first departure, leg ids
    kFastest,   ///< duration, total_price, first departure, leg ids
};

/// "cheapest" / "fastest".
[[nodiscard]] std::string_view to_string(SortBy s) noexcept;

/// Limits of the query parameters.
inline constexpr int kMaxStops = 3;
inline constexpr int kDefaultLimit = 20;
inline constexpr int kMaxLimit = 100;
inline constexpr int kMaxPageEnd = 1000;                      ///< offset + limit at most this.
inline constexpr int kMaxSeats = rules::kMaxSeatsPerRequest;  ///< rules.hpp
inline constexpr int kTotalCap = 1000;                        ///< `total` is exact up to this.

/// One validated search request. Plain value type.
struct SearchQuery {
    AirportCode source;
    AirportCode destination;
    UtcDate date;   ///< UTC day of the first departure.
    int seats = 1;  ///< 1..kMaxSeats
    SortBy sort_by = SortBy::kCheapest;
    int max_stops = kMaxStops;  ///< 0..3
    int limit = kDefaultLimit;  ///< 1..100
    int offset = 0;             ///< offset + limit <= 1000
};

/// Connection rules (SPEC §3 rule 2). Plain value type.
struct SearchRules {
    int mct_minutes = 45;           ///< Minimum connection time, inclusive.
    int max_layover_minutes = 240;  ///< Maximum layover, inclusive.
};

/// Checks `rules`: 0 <= mct <= max_layover <= 7 days. Else `kInvalidArgument`.
[[nodiscard]] Status validate(const SearchRules& rules);

/// Looks up a named request parameter; nullopt when absent.
using ParamLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

/// Builds a validated `SearchQuery` from parameters named `source`,
/// `destination`, `date`, `seats` (required), `sort_by`, `max_stops`, `limit`,
/// `offset` (optional; an empty value counts as absent). Airport codes are
/// upper-cased. Any missing or invalid value, or source == destination, is
/// `kInvalidArgument` with a message naming the parameter. Thread-safe.
[[nodiscard]] Result<SearchQuery> parse_search_query(const ParamLookup& lookup);

}  // namespace flightbook::search
