#include "flightbook/error.hpp"

namespace flightbook {

std::string_view to_string(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kInvalidArgument: return "invalid_argument";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kAlreadyExists: return "already_exists";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kFailedPrecondition: return "failed_precondition";
        case ErrorCode::kUnauthenticated: return "unauthenticated";
        case ErrorCode::kPermissionDenied: return "permission_denied";
        case ErrorCode::kResourceExhausted: return "resource_exhausted";
        case ErrorCode::kAborted: return "aborted";
        case ErrorCode::kUnavailable: return "unavailable";
        case ErrorCode::kDeadlineExceeded: return "deadline_exceeded";
        case ErrorCode::kInDoubt: return "in_doubt";
        case ErrorCode::kInternal: return "internal";
    }
    return "internal";
}

bool is_retryable(ErrorCode code) noexcept {
    return code == ErrorCode::kUnavailable || code == ErrorCode::kAborted;
}

}  // namespace flightbook
