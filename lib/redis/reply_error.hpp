#pragma once
// The one translation table from hiredis context errors and Redis error
// replies to ErrorCode.

#include <string_view>

#include "flightbook/error.hpp"

namespace flightbook::redis {

/// Maps a hiredis context error (REDIS_ERR_IO, REDIS_ERR_EOF, ...) to an ErrorCode.
[[nodiscard]] ErrorCode error_code_for_context_error(int hiredis_err) noexcept;

/// Maps the text of a Redis error reply ("NOSCRIPT ...", "OOM ...") to an ErrorCode.
[[nodiscard]] ErrorCode error_code_for_reply(std::string_view reply) noexcept;

}  // namespace flightbook::redis
