#pragma once
/// \file
/// Strong identifier types: a `FlightId` cannot be passed where a `BookingId`
/// is expected, and neither converts silently from a bare integer.

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace flightbook {

/// An integer id tagged with the entity it names. Trivially copyable.
template <typename Tag, typename Rep = std::int64_t>
class StrongId {
public:
    using rep_type = Rep;

    constexpr StrongId() = default;
    constexpr explicit StrongId(Rep value) : value_(value) {}

    [[nodiscard]] constexpr Rep value() const noexcept { return value_; }

    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>
    friend constexpr auto operator<=>(StrongId, StrongId) = default;

private:
    Rep value_{};
};

struct FlightIdTag {};
struct BookingIdTag {};
struct UserIdTag {};

/// Primary key of a row in the flights table.
using FlightId = StrongId<FlightIdTag>;
/// Primary key of a row in the bookings table.
using BookingId = StrongId<BookingIdTag>;
/// A customer's id as set by the gateway (`X-User-Id`).
using UserId = StrongId<UserIdTag>;

}  // namespace flightbook

template <typename Tag, typename Rep>
struct std::hash<flightbook::StrongId<Tag, Rep>> {
    std::size_t operator()(flightbook::StrongId<Tag, Rep> id) const noexcept {
        return std::hash<Rep>{}(id.value());
    }
};
