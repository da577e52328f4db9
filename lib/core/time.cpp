#include "flightbook/time.hpp"

#include <fmt/format.h>

namespace flightbook {
namespace {

// Reads exactly `n` digits at `pos`; returns -1 on anything else.
int read_digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

Result<UtcDate> date_at(std::string_view s) {
    const int y = read_digits(s, 0, 4);
    const int m = read_digits(s, 5, 2);
    const int d = read_digits(s, 8, 2);
    if (y < 0 || m < 0 || d < 0 || s.size() < 10 || s[4] != '-' || s[7] != '-') {
        return fail(ErrorCode::kInvalidArgument, "date must be YYYY-MM-DD");
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y},
                                          std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return fail(ErrorCode::kInvalidArgument, "date does not exist");
    return UtcDate{ymd};
}

}  // namespace

Result<UtcDate> parse_date(std::string_view text) {
    if (text.size() != 10) return fail(ErrorCode::kInvalidArgument, "date must be YYYY-MM-DD");
    return date_at(text);
}

std::string format_date(UtcDate d) {
    const std::chrono::year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

Result<UtcTime> parse_rfc3339(std::string_view s) {
    auto bad = [] {
        return fail(ErrorCode::kInvalidArgument,
                    "time must be RFC 3339, e.g. 2024-02-15T08:00:00Z");
    };
    if (s.size() < 20) return bad();
    auto date = date_at(s.substr(0, 10));
    if (!date) return bad();
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad();
    const int hh = read_digits(s, 11, 2);
    const int mm = read_digits(s, 14, 2);
    const int ss = read_digits(s, 17, 2);
    if (hh < 0 || mm < 0 || ss < 0 || s[13] != ':' || s[16] != ':') return bad();
    if (hh > 23 || mm > 59 || ss > 60) return bad();  // 60: leap second, folded below
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
        if (pos == start) return bad();
    }
    if (pos >= s.size()) return bad();
    int offset_minutes = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        const int oh = read_digits(s, pos + 1, 2);
        const int om = read_digits(s, pos + 4, 2);
        if (oh < 0 || om < 0 || s[pos + 3] != ':' || oh > 23 || om > 59) return bad();
        offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return bad();
    }
    if (pos != s.size()) return bad();
    const auto secs =
        std::chrono::hours{hh} + std::chrono::minutes{mm} + std::chrono::seconds{ss > 59 ? 59 : ss};
    const UtcTime t = UtcTime{*date} + secs - std::chrono::minutes{offset_minutes};
    // An offset can carry 0000-01-01 or 9999-12-31 across a year boundary
    // (found by fuzz/fuzz_rfc3339): such an instant has no four-digit-year
    // form, so format_rfc3339 could not write it back.
    const int year = static_cast<int>(std::chrono::year_month_day{date_of(t)}.year());
    if (year < 0 || year > 9999) return bad();
    return t;
}

bool format_rfc3339_to(UtcTime t, char (&out)[20]) noexcept {
    // Written digit by digit: search answers format two per leg, and fmt
    // with a nested format_date cost more than the rest of a flight's JSON.
    const UtcDate d = date_of(t);
    const std::chrono::year_month_day ymd{d};
    const std::chrono::hh_mm_ss hms{t - d};
    const auto year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) return false;
    const auto two = [&out](std::size_t at, long long v) {
        out[at] = static_cast<char>('0' + v / 10);
        out[at + 1] = static_cast<char>('0' + v % 10);
    };
    two(0, year / 100);
    two(2, year % 100);
    out[4] = '-';
    two(5, static_cast<unsigned>(ymd.month()));
    out[7] = '-';
    two(8, static_cast<unsigned>(ymd.day()));
    out[10] = 'T';
    two(11, hms.hours().count());
    out[13] = ':';
    two(14, hms.minutes().count());
    out[16] = ':';
    two(17, hms.seconds().count());
    out[19] = 'Z';
    return true;
}

std::string format_rfc3339(UtcTime t) {
    char out[20];
    if (format_rfc3339_to(t, out)) return std::string(out, sizeof out);
    const UtcDate d = date_of(t);
    const std::chrono::hh_mm_ss hms{t - d};
    return fmt::format("{}T{:02}:{:02}:{:02}Z", format_date(d), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

}  // namespace flightbook
