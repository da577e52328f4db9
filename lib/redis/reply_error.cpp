#include "reply_error.hpp"

#include <hiredis/hiredis.h>

namespace flightbook::redis {

ErrorCode error_code_for_context_error(int err) noexcept {
    switch (err) {
        case REDIS_ERR_IO:
        case REDIS_ERR_EOF:
        case REDIS_ERR_OTHER: return ErrorCode::kUnavailable;
        case REDIS_ERR_PROTOCOL: return ErrorCode::kInternal;
        case REDIS_ERR_OOM: return ErrorCode::kResourceExhausted;
        default: return ErrorCode::kUnavailable;
    }
}

ErrorCode error_code_for_reply(std::string_view reply) noexcept {
    auto starts = [&](std::string_view p) { return reply.substr(0, p.size()) == p; };
    if (starts("NOSCRIPT")) return ErrorCode::kNotFound;
    if (starts("OOM")) return ErrorCode::kResourceExhausted;
    if (starts("BUSY") || starts("LOADING") || starts("MASTERDOWN") || starts("TRYAGAIN")) {
        return ErrorCode::kUnavailable;
    }
    if (starts("READONLY")) return ErrorCode::kUnavailable;
    if (starts("WRONGTYPE")) return ErrorCode::kInternal;
    return ErrorCode::kInternal;
}

}  // namespace flightbook::redis
