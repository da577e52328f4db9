#pragma once
/// \file
/// The bytes of a `SearchResult` in the search cache (issue 10): compact,
/// versioned, exact. Both cache tiers and every flight-service instance
/// sharing a Redis read and write this format, so a change to it must bump
/// `kCandidatesFormatVersion` (old entries then decode as errors, i.e. misses).

#include <cstdint>
#include <string>
#include <string_view>

#include "flightbook/result.hpp"
#include "flightbook/search/search.hpp"

namespace flightbook::search {

/// The first byte of every encoding.
inline constexpr std::uint8_t kCandidatesFormatVersion = 1;

/// Encodes every field of `result`: each itinerary's legs, price (cents),
/// duration, stops and first departure (Unix seconds), then `total` and
/// `total_capped`. Binary, not text: the version byte, then integers as
/// LEB128 varints (signed ones zigzag-encoded), lists prefixed by their
/// length. About 15 bytes per two-leg itinerary. Thread-safe.
///
///     version  total  total_capped(0|1)  path_count
///     path_count × { leg_count  leg_count × flight_id
///                    price_cents  total_time_minutes  stops  first_departure }
[[nodiscard]] std::string encode_candidates(const SearchResult& result);

/// The inverse of `encode_candidates`: `decode_candidates(encode_candidates(x))
/// == x` for every `x`. Checks structure only (no search rule such as "1 to 4
/// legs"). Errors: `kInvalidArgument` for an unknown version, a truncated or
/// overlong input, a malformed varint, or a value out of its field's range;
/// any input is safe to pass. Thread-safe.
[[nodiscard]] Result<SearchResult> decode_candidates(std::string_view bytes);

}  // namespace flightbook::search
