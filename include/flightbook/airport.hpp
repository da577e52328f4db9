#pragma once
/// \file
/// IATA airport codes: exactly three letters, stored upper-cased.

#include <array>
#include <compare>
#include <string>
#include <string_view>

#include "flightbook/result.hpp"

namespace flightbook {

/// A validated three-letter IATA code. Value type; comparisons are byte-wise.
class AirportCode {
public:
    /// Parses `text`, upper-casing ASCII letters. Anything but three ASCII
    /// letters is `kInvalidArgument`.
    [[nodiscard]] static Result<AirportCode> parse(std::string_view text);

    /// The code as three upper-case letters.
    [[nodiscard]] std::string_view view() const noexcept { return {chars_.data(), 3}; }
    [[nodiscard]] std::string str() const { return std::string(view()); }

    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads defaulted <=>
    friend auto operator<=>(const AirportCode&, const AirportCode&) = default;

    /// An empty placeholder (three NUL bytes) so that structs holding codes
    /// are default-constructible; never the result of `parse`.
    AirportCode() = default;

private:
    std::array<char, 3> chars_{};
};

}  // namespace flightbook
