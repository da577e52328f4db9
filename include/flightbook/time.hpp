#pragma once
/// \file
/// UTC time helpers. flightbook keeps every instant as seconds since the Unix
/// epoch (UTC) and every calendar date as days since 1970-01-01.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "flightbook/result.hpp"

namespace flightbook {

/// An instant in UTC with one-second resolution.
using UtcTime = std::chrono::sys_seconds;
/// A calendar day in UTC.
using UtcDate = std::chrono::sys_days;

/// Parses RFC 3339: "2024-02-15T08:00:00Z", "2024-02-15T08:00:00.250Z" (fraction
/// dropped), "2024-02-15T13:30:00+05:30" (converted to UTC), and the space
/// separator "2024-02-15 08:00:00Z". A missing offset is `kInvalidArgument`,
/// as is an instant whose UTC year is outside 0000..9999 (an offset can move
/// 9999-12-31 or 0000-01-01 across that edge; such a time has no RFC 3339 form).
[[nodiscard]] Result<UtcTime> parse_rfc3339(std::string_view text);

/// Formats as "YYYY-MM-DDTHH:MM:SSZ".
[[nodiscard]] std::string format_rfc3339(UtcTime t);
/// The same 20 characters written to `out` without allocating, for years
/// 0000-9999 (else false and nothing written). Hot in search answers.
[[nodiscard]] bool format_rfc3339_to(UtcTime t, char (&out)[20]) noexcept;

/// Parses a calendar date "YYYY-MM-DD" (checked: no 2024-02-30).
[[nodiscard]] Result<UtcDate> parse_date(std::string_view text);

/// Formats as "YYYY-MM-DD".
[[nodiscard]] std::string format_date(UtcDate d);

/// The UTC day that contains `t`.
[[nodiscard]] inline UtcDate date_of(UtcTime t) { return std::chrono::floor<std::chrono::days>(t); }

/// Seconds since the epoch, for storage and arithmetic in flat arrays.
[[nodiscard]] inline std::int64_t to_unix_seconds(UtcTime t) {
    return t.time_since_epoch().count();
}
[[nodiscard]] inline UtcTime from_unix_seconds(std::int64_t s) {
    return UtcTime{std::chrono::seconds{s}};
}

}  // namespace flightbook
