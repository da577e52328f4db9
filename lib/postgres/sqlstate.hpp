#pragma once
// The one translation table from PostgreSQL SQLSTATE codes to ErrorCode.

#include <string_view>

#include "flightbook/error.hpp"

namespace flightbook::postgres {

/// Maps a five-character SQLSTATE to an ErrorCode with the right retry meaning.
[[nodiscard]] ErrorCode error_code_for_sqlstate(std::string_view sqlstate) noexcept;

}  // namespace flightbook::postgres
