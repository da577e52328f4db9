#pragma once
// Shared helpers for the search tests: the SPEC §2 reference world, a terse
// way to write small inline networks, and a seat source with overrides.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/domain/flight.hpp"
#include "flightbook/schedule/csv.hpp"
#include "flightbook/search/search.hpp"

namespace flightbook::testing {

// The 16 flights of SPEC §2 (same rows as sql/flights/0002_reference_data.sql).
inline constexpr std::string_view kReferenceCsv =
    "id,flight_number,source,destination,departure_time,arrival_time,total_seats,booked_seats,"
    "price\n"
    "1,AI101,DEL,BOM,2024-02-15T08:00:00Z,2024-02-15T10:30:00Z,180,50,8500.00\n"
    "2,AI102,DEL,BOM,2024-02-15T14:00:00Z,2024-02-15T16:30:00Z,180,30,9200.00\n"
    "3,AI103,DEL,BOM,2024-02-15T20:00:00Z,2024-02-15T22:30:00Z,180,80,7800.00\n"
    "4,AI201,DEL,BLR,2024-02-15T09:00:00Z,2024-02-15T12:00:00Z,180,40,12000.00\n"
    "5,AI202,DEL,BLR,2024-02-15T15:00:00Z,2024-02-15T18:00:00Z,180,60,13500.00\n"
    "6,AI301,BOM,BLR,2024-02-15T10:00:00Z,2024-02-15T11:30:00Z,180,25,6500.00\n"
    "7,AI302,BOM,BLR,2024-02-15T16:00:00Z,2024-02-15T17:30:00Z,180,45,7200.00\n"
    "8,AI401,DEL,HYD,2024-02-15T07:00:00Z,2024-02-15T09:00:00Z,180,20,9500.00\n"
    "9,AI402,HYD,BLR,2024-02-15T10:30:00Z,2024-02-15T11:30:00Z,180,35,5500.00\n"
    "10,AI403,BOM,HYD,2024-02-15T08:30:00Z,2024-02-15T10:00:00Z,180,30,6800.00\n"
    "11,AI404,HYD,BLR,2024-02-15T11:00:00Z,2024-02-15T12:00:00Z,180,25,5500.00\n"
    "12,AI405,DEL,CCU,2024-02-15T06:00:00Z,2024-02-15T08:00:00Z,180,15,11000.00\n"
    "13,AI406,CCU,BLR,2024-02-15T09:30:00Z,2024-02-15T12:30:00Z,180,20,8500.00\n"
    "14,AI501,BOM,DEL,2024-02-15T11:00:00Z,2024-02-15T13:30:00Z,180,40,8500.00\n"
    "15,AI502,BLR,DEL,2024-02-15T13:00:00Z,2024-02-15T16:00:00Z,180,35,12000.00\n"
    "16,AI503,BLR,BOM,2024-02-15T12:00:00Z,2024-02-15T13:30:00Z,180,30,6500.00\n";

inline std::vector<Flight> reference_flights() {
    return schedule::parse_flights_csv(kReferenceCsv).value();
}

// One leg of an inline network: "A B 08:00 09:30 price" on `day` (offset
// from 2024-02-15), times in UTC.
inline Flight leg(std::int64_t id, std::string_view from, std::string_view to, std::string_view dep,
                  std::string_view arr, std::int64_t price_units = 100, int day = 0,
                  int arr_day = -1) {
    const std::string base = day == 0 ? "2024-02-15" : (day == 1 ? "2024-02-16" : "2024-02-14");
    const int ad = arr_day < 0 ? day : arr_day;
    const std::string arr_base = ad == 0 ? "2024-02-15" : (ad == 1 ? "2024-02-16" : "2024-02-17");
    Flight f;
    f.id = FlightId{id};
    f.flight_number = "T" + std::to_string(id);
    f.source = AirportCode::parse(from).value();
    f.destination = AirportCode::parse(to).value();
    f.departure_time = parse_rfc3339(base + "T" + std::string(dep) + ":00Z").value();
    f.arrival_time = parse_rfc3339(arr_base + "T" + std::string(arr) + ":00Z").value();
    f.total_seats = 100;
    f.booked_seats = 0;
    f.price = Money::from_cents(price_units * 100);
    return f;
}

// Seats from the timetable, with per-flight overrides, and seat floors kept
// in step with them (as the seat mirror keeps its own).
class OverrideSeats final : public search::SeatAvailability {
public:
    explicit OverrideSeats(std::shared_ptr<const search::Timetable> t)
        : base_(t), floors_(t->flights()) {}
    void set(std::int64_t id, std::int32_t seats) {
        floors_.change(FlightId{id}, available_seats(FlightId{id}), seats);
        overrides_[id] = seats;
    }
    std::int32_t available_seats(FlightId id) const override {
        auto it = overrides_.find(id.value());
        return it != overrides_.end() ? it->second : base_.available_seats(id);
    }
    const search::SeatFloors* floors() const noexcept override { return &floors_; }

private:
    search::TimetableSeatAvailability base_;
    search::SeatFloors floors_;
    std::map<std::int64_t, std::int32_t> overrides_;
};

inline search::SearchQuery query(std::string_view from, std::string_view to, int seats = 1,
                                 std::string_view date = "2024-02-15") {
    search::SearchQuery q;
    q.source = AirportCode::parse(from).value();
    q.destination = AirportCode::parse(to).value();
    q.date = parse_date(date).value();
    q.seats = seats;
    return q;
}

// Flight numbers of each path, e.g. {"AI401+AI402", ...}.
inline std::vector<std::string> numbers(const search::SearchResult& r, const search::Timetable& t) {
    std::vector<std::string> out;
    for (const auto& p : r.paths) {
        std::string s;
        for (FlightId id : p.flights) {
            if (!s.empty()) s += "+";
            s += t.find(id)->flight_number;
        }
        out.push_back(s);
    }
    return out;
}

}  // namespace flightbook::testing
