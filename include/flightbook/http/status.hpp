#pragma once
/// \file
/// The one table from `ErrorCode` to an HTTP status code.

#include "flightbook/error.hpp"

namespace flightbook::http {

/// HTTP status for an error code: invalid_argument → 400, not_found → 404,
/// conflict/already_exists → 409, unavailable → 503, and so on.
[[nodiscard]] int status_for(ErrorCode code) noexcept;

}  // namespace flightbook::http
