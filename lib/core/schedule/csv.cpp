#include "flightbook/schedule/csv.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace flightbook::schedule {
namespace {

constexpr std::size_t kFields = 9;

Unexpected line_error(std::size_t line, std::string_view what) {
    return fail(ErrorCode::kInvalidArgument, fmt::format("line {}: {}", line, what));
}

template <typename Int>
bool parse_int(std::string_view s, Int& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

Result<Flight> parse_row(std::string_view row, std::size_t line) {
    std::array<std::string_view, kFields> f;
    std::size_t n = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= row.size(); ++i) {
        if (i == row.size() || row[i] == ',') {
            if (n == kFields) return line_error(line, "expected 9 fields");
            f[n++] = row.substr(start, i - start);
            start = i + 1;
        }
    }
    if (n != kFields) return line_error(line, "expected 9 fields");
    Flight fl;
    std::int64_t id = 0;
    if (!parse_int(f[0], id) || id <= 0) return line_error(line, "id must be a positive integer");
    fl.id = FlightId{id};
    if (f[1].empty() || f[1].size() > 16) {
        return line_error(line, "flight_number must be 1 to 16 characters");
    }
    fl.flight_number = std::string(f[1]);
    auto src = AirportCode::parse(f[2]);
    if (!src) return line_error(line, "source must be a three-letter airport code");
    fl.source = *src;
    auto dst = AirportCode::parse(f[3]);
    if (!dst) return line_error(line, "destination must be a three-letter airport code");
    fl.destination = *dst;
    if (fl.source == fl.destination) return line_error(line, "source equals destination");
    auto dep = parse_rfc3339(f[4]);
    if (!dep) return line_error(line, "departure_time must be RFC 3339");
    fl.departure_time = *dep;
    auto arr = parse_rfc3339(f[5]);
    if (!arr) return line_error(line, "arrival_time must be RFC 3339");
    fl.arrival_time = *arr;
    if (fl.arrival_time <= fl.departure_time) {
        return line_error(line, "arrival_time must be after departure_time");
    }
    if (!parse_int(f[6], fl.total_seats) || fl.total_seats < 0) {
        return line_error(line, "total_seats must be a non-negative integer");
    }
    if (!parse_int(f[7], fl.booked_seats) || fl.booked_seats < 0 ||
        fl.booked_seats > fl.total_seats) {
        return line_error(line, "booked_seats must be from 0 to total_seats");
    }
    auto price = Money::parse(f[8]);
    if (!price || price->cents() < 0)
        return line_error(line, "price must be a non-negative amount");
    fl.price = *price;
    fl.created_at = fl.departure_time;
    return fl;
}

}  // namespace

Result<std::vector<Flight>> parse_flights_csv(std::string_view text,
                                              std::vector<std::size_t>* lines) {
    std::vector<Flight> out;
    if (lines != nullptr) lines->clear();
    std::size_t line = 0;
    bool header_seen = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string_view::npos) eol = text.size();
        std::string_view row = text.substr(pos, eol - pos);
        pos = eol + 1;
        ++line;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (row.empty()) continue;
        if (!header_seen) {
            if (row != kFlightsCsvHeader) {
                return line_error(line, fmt::format("header must be {}", kFlightsCsvHeader));
            }
            header_seen = true;
            continue;
        }
        auto f = parse_row(row, line);
        if (!f) return fail(std::move(f).error());
        out.push_back(std::move(f).value());
        if (lines != nullptr) lines->push_back(line);
    }
    if (!header_seen) return line_error(1, "missing header row");
    return out;
}

Result<std::vector<Flight>> read_flights_csv(const std::string& path,
                                             std::vector<std::size_t>* lines) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(ErrorCode::kNotFound, fmt::format("cannot open {}", path));
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return fail(ErrorCode::kUnavailable, fmt::format("cannot read {}", path));
    auto parsed = parse_flights_csv(buf.str(), lines);
    if (!parsed) {
        return fail(parsed.error().code, fmt::format("{}: {}", path, parsed.error().message));
    }
    return parsed;
}

std::string format_flight_csv_row(const Flight& f) {
    return fmt::format("{},{},{},{},{},{},{},{},{}", f.id.value(), f.flight_number, f.source.view(),
                       f.destination.view(), format_rfc3339(f.departure_time),
                       format_rfc3339(f.arrival_time), f.total_seats, f.booked_seats,
                       f.price.to_string());
}

void write_flights_csv(std::ostream& out, const std::vector<Flight>& flights) {
    out << kFlightsCsvHeader << '\n';
    for (const Flight& f : flights) out << format_flight_csv_row(f) << '\n';
}

Status write_flights_csv_file(const std::string& path, const std::vector<Flight>& flights) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return fail(ErrorCode::kUnavailable, fmt::format("cannot write {}", path));
    write_flights_csv(out, flights);
    out.flush();
    if (!out) return fail(ErrorCode::kUnavailable, fmt::format("cannot write {}", path));
    return ok();
}

}  // namespace flightbook::schedule
