#include "flightbook/airport.hpp"

#include <fmt/format.h>

namespace flightbook {

Result<AirportCode> AirportCode::parse(std::string_view text) {
    if (text.size() != 3) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("airport code must be 3 letters, got {} characters", text.size()));
    }
    AirportCode code;
    for (std::size_t i = 0; i < 3; ++i) {
        char c = text[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') {
            return fail(ErrorCode::kInvalidArgument, "airport code must be 3 letters (IATA)");
        }
        code.chars_[i] = c;
    }
    return code;
}

}  // namespace flightbook
