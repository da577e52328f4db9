#include "flightbook/postgres/schedule_loader.hpp"

#include <fmt/format.h>

#include <string>

#include "flightbook/time.hpp"
#include "transaction.hpp"

namespace flightbook::postgres {
namespace {

// The staging table keeps each row's file line, so that every check below
// can name it. ON COMMIT DROP: nothing outlives the load.
constexpr std::string_view kCreateStaging =
    "SET LOCAL statement_timeout = 0;"
    "CREATE TEMP TABLE flights_load ("
    " line BIGINT NOT NULL, id BIGINT NOT NULL, flight_number TEXT NOT NULL,"
    " source TEXT NOT NULL, destination TEXT NOT NULL,"
    " departure_time TIMESTAMPTZ NOT NULL, arrival_time TIMESTAMPTZ NOT NULL,"
    " total_seats INTEGER NOT NULL, booked_seats INTEGER NOT NULL, price NUMERIC(10,2) NOT NULL"
    ") ON COMMIT DROP";

constexpr std::string_view kCopyStaging =
    "COPY flights_load (line, id, flight_number, source, destination, departure_time,"
    " arrival_time, total_seats, booked_seats, price) FROM STDIN";

// Each check answers the first offending row as (line, message).
struct Check {
    Statement statement;
    bool append_only;  // compares with the flights already in the table
};

constexpr Check kChecks[] = {
    {{"load_check_number",
      "SELECT line, 'flight_number ' || flight_number || ' is longer than the 10 characters of "
      "the flights table' FROM flights_load WHERE length(flight_number) > 10 ORDER BY line LIMIT "
      "1"},
     false},
    {{"load_check_seats",
      "SELECT line, 'total_seats must be above 0 in the flights table' FROM flights_load "
      "WHERE total_seats <= 0 ORDER BY line LIMIT 1"},
     false},
    {{"load_check_id_repeat",
      "SELECT b.line, 'id ' || b.id || ' repeats line ' || a.line FROM flights_load a "
      "JOIN flights_load b ON a.id = b.id AND a.line < b.line ORDER BY b.line LIMIT 1"},
     false},
    {{"load_check_number_repeat",
      "SELECT b.line, 'flight ' || b.flight_number || ' departing ' || "
      "to_char(b.departure_time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || "
      "' repeats line ' || a.line FROM flights_load a JOIN flights_load b "
      "ON a.flight_number = b.flight_number AND a.departure_time = b.departure_time "
      "AND a.line < b.line ORDER BY b.line LIMIT 1"},
     false},
    {{"load_check_id_exists",
      "SELECT l.line, 'flight id ' || l.id || ' is already in the flights table "
      "(--mode replace replaces the schedule)' FROM flights_load l "
      "JOIN flights f ON f.id = l.id ORDER BY l.line LIMIT 1"},
     true},
    {{"load_check_number_exists",
      "SELECT l.line, 'flight ' || l.flight_number || ' with that departure_time is already "
      "in the flights table as id ' || f.id FROM flights_load l JOIN flights f "
      "ON f.flight_number = l.flight_number AND f.departure_time = l.departure_time "
      "ORDER BY l.line LIMIT 1"},
     true},
};

constexpr Statement kReservationsExist{
    "load_reservations_exist", "SELECT count(DISTINCT reservation_id) FROM seat_reservation_legs"};
constexpr Statement kDeleteFlights{"load_delete_flights", "DELETE FROM flights"};
constexpr Statement kInsertFlights{
    "load_insert_flights",
    "INSERT INTO flights (id, flight_number, source, destination, departure_time, arrival_time,"
    " total_seats, booked_seats, price) SELECT id, flight_number, source, destination,"
    " departure_time, arrival_time, total_seats, booked_seats, price FROM flights_load ORDER BY "
    "line"};
// Explicit ids leave the id sequence behind them.
constexpr Statement kAdvanceSequence{"load_advance_sequence",
                                     "SELECT setval(pg_get_serial_sequence('flights', 'id'), "
                                     "greatest((SELECT max(id) FROM flights), 1))"};
constexpr Statement kVersion{"load_schedule_version", "SELECT version FROM schedule_version"};

// COPY text format: backslash, tab and line breaks are escaped.
void append_field(std::string& out, std::string_view value) {
    for (const char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
}

std::string copy_rows(const std::vector<Flight>& flights, const std::vector<std::size_t>& lines) {
    std::string out;
    out.reserve(flights.size() * 110);
    for (std::size_t i = 0; i < flights.size(); ++i) {
        const Flight& f = flights[i];
        fmt::format_to(std::back_inserter(out), "{}\t{}\t", lines.empty() ? i + 2 : lines[i],
                       f.id.value());
        append_field(out, f.flight_number);
        fmt::format_to(std::back_inserter(out), "\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", f.source.view(),
                       f.destination.view(), format_rfc3339(f.departure_time),
                       format_rfc3339(f.arrival_time), f.total_seats, f.booked_seats,
                       f.price.to_string());
    }
    return out;
}

}  // namespace

Result<LoadReport> load_schedule(Connection& connection, const std::vector<Flight>& flights,
                                 const std::vector<std::size_t>& lines, LoadMode mode) {
    if (!lines.empty() && lines.size() != flights.size()) {
        return fail(ErrorCode::kInvalidArgument, "one line number per flight, or none");
    }
    // NUMERIC(10,2) would refuse it inside COPY, where only the COPY's own
    // line is known.
    constexpr std::int64_t kMaxPriceCents = 9'999'999'999;
    for (std::size_t i = 0; i < flights.size(); ++i) {
        if (flights[i].price.cents() > kMaxPriceCents) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("line {}: price must be below 100000000.00 in the flights "
                                    "table",
                                    lines.empty() ? i + 2 : lines[i]));
        }
    }
    FLIGHTBOOK_TRY(tx, Transaction::begin(connection));
    FLIGHTBOOK_TRY_STATUS(connection.exec_script(kCreateStaging));
    FLIGHTBOOK_TRY_STATUS(connection.copy_in(kCopyStaging, copy_rows(flights, lines)));
    for (const Check& check : kChecks) {
        if (check.append_only && mode != LoadMode::kAppend) continue;
        FLIGHTBOOK_TRY(found, tx.exec(check.statement));
        if (found.rows() > 0) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("line {}: {}", found.int64(0, 0), found.text(0, 1)));
        }
    }
    LoadReport report;
    if (mode == LoadMode::kReplace) {
        FLIGHTBOOK_TRY(reservations, tx.exec(kReservationsExist));
        if (const std::int64_t n = reservations.int64(0, 0); n > 0) {
            return fail(ErrorCode::kFailedPrecondition,
                        fmt::format("{} seat reservations reference flights of the current "
                                    "schedule; replace would take their flights away (append "
                                    "instead, or reset the database)",
                                    n));
        }
        FLIGHTBOOK_TRY(deleted, tx.exec(kDeleteFlights));
        report.removed = static_cast<std::size_t>(deleted.affected_rows());
    }
    FLIGHTBOOK_TRY(inserted, tx.exec(kInsertFlights));
    report.rows = static_cast<std::size_t>(inserted.affected_rows());
    FLIGHTBOOK_TRY_STATUS(tx.exec(kAdvanceSequence));
    FLIGHTBOOK_TRY(version, tx.exec(kVersion));
    report.version = version.int64(0, 0);
    FLIGHTBOOK_TRY_STATUS(tx.commit());
    return report;
}

}  // namespace flightbook::postgres
