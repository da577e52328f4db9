#include "flightbook/seats/reservation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace flightbook {

namespace {

constexpr std::size_t kMaxReservationIdLength = 64;

constexpr bool is_id_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
}

constexpr std::array<std::string_view, 5> kStateNames{"held", "confirmed", "released", "expired",
                                                      "cancelled"};

}  // namespace

Result<ReservationId> ReservationId::parse(std::string_view text) {
    if (text.empty() || text.size() > kMaxReservationIdLength) {
        return fail(ErrorCode::kInvalidArgument, "reservation_id must be 1 to 64 characters");
    }
    if (!std::all_of(text.begin(), text.end(), is_id_char)) {
        return fail(ErrorCode::kInvalidArgument,
                    "reservation_id may contain only letters, digits and . _ : -");
    }
    return ReservationId(std::string(text));
}

Result<std::vector<SeatLeg>> normalize_legs(std::vector<SeatLeg> legs) {
    if (legs.empty()) return fail(ErrorCode::kInvalidArgument, "a hold needs at least one leg");
    for (const SeatLeg& leg : legs) {
        if (leg.flight_id.value() <= 0) {
            return fail(ErrorCode::kInvalidArgument, "flight_id must be positive");
        }
        FLIGHTBOOK_TRY_STATUS(rules::check_seats(leg.seats));
    }
    std::sort(legs.begin(), legs.end(),
              [](const SeatLeg& a, const SeatLeg& b) { return a.flight_id < b.flight_id; });
    std::vector<SeatLeg> merged;
    for (const SeatLeg& leg : legs) {
        if (!merged.empty() && merged.back().flight_id == leg.flight_id) {
            merged.back().seats += leg.seats;
            FLIGHTBOOK_TRY_STATUS(rules::check_seats(merged.back().seats));
        } else {
            merged.push_back(leg);
        }
    }
    if (merged.size() > rules::kMaxReservationFlights) {
        return fail(ErrorCode::kInvalidArgument, fmt::format("a hold may cover at most {} flights",
                                                             rules::kMaxReservationFlights));
    }
    return merged;
}

std::string_view to_string(ReservationState state) noexcept {
    return kStateNames[static_cast<std::size_t>(state)];
}

Result<ReservationState> parse_reservation_state(std::string_view text) {
    for (std::size_t i = 0; i < kStateNames.size(); ++i) {
        if (kStateNames[i] == text) return static_cast<ReservationState>(i);
    }
    return fail(ErrorCode::kInvalidArgument, fmt::format("unknown reservation state '{}'", text));
}

}  // namespace flightbook
