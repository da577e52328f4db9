#include "sqlstate.hpp"

namespace flightbook::postgres {

ErrorCode error_code_for_sqlstate(std::string_view s) noexcept {
    if (s.size() != 5) return ErrorCode::kInternal;
    // Exact codes first: they refine their class.
    if (s == "40001" || s == "40P01") return ErrorCode::kAborted;  // serialization, deadlock
    if (s == "23505") return ErrorCode::kAlreadyExists;            // unique_violation
    if (s == "23514") return ErrorCode::kFailedPrecondition;       // check_violation
    if (s == "23503") return ErrorCode::kFailedPrecondition;       // foreign_key_violation
    if (s == "57014") return ErrorCode::kDeadlineExceeded;         // query_canceled (timeout)
    if (s == "55P03") return ErrorCode::kAborted;                  // lock_not_available
    if (s == "53300") return ErrorCode::kUnavailable;              // too_many_connections
    if (s == "57P01" || s == "57P02" || s == "57P03") return ErrorCode::kUnavailable;  // shutdown
    const std::string_view cls = s.substr(0, 2);
    if (cls == "08") return ErrorCode::kUnavailable;        // connection exception
    if (cls == "22") return ErrorCode::kInvalidArgument;    // data exception
    if (cls == "23") return ErrorCode::kConflict;           // other integrity violations
    if (cls == "40") return ErrorCode::kAborted;            // transaction rollback
    if (cls == "53") return ErrorCode::kResourceExhausted;  // insufficient resources
    return ErrorCode::kInternal;
}

}  // namespace flightbook::postgres
