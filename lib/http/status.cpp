#include "flightbook/http/status.hpp"

namespace flightbook::http {

int status_for(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kInvalidArgument: return 400;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kAlreadyExists:
        case ErrorCode::kConflict:
        case ErrorCode::kFailedPrecondition: return 409;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kPermissionDenied: return 403;
        case ErrorCode::kResourceExhausted: return 429;
        case ErrorCode::kAborted: return 409;
        case ErrorCode::kUnavailable: return 503;
        case ErrorCode::kDeadlineExceeded: return 504;
        case ErrorCode::kInDoubt: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

}  // namespace flightbook::http
