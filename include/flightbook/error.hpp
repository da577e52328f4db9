#pragma once
/// \file
/// The one error vocabulary of flightbook. Every expected failure is an `Error`
/// value carried by `Result<T>`; exceptions are reserved for broken invariants.

#include <cstdint>
#include <string>
#include <string_view>

namespace flightbook {

/// What went wrong, and therefore what a caller may do about it.
///
/// The retry meaning follows abseil's status codes: `kUnavailable` → retry the
/// call; `kAborted` → retry the whole transaction; `kFailedPrecondition` → do
/// not retry until the state changes; `kInDoubt` → the outcome of a commit is
/// unknown and must be resolved by reading, never by blindly retrying.
enum class ErrorCode : std::uint8_t {
    kInvalidArgument,     ///< The request itself is malformed (HTTP 400).
    kNotFound,            ///< The addressed entity does not exist (404).
    kAlreadyExists,       ///< Creation of an entity that already exists (409).
    kConflict,            ///< The entity's current state forbids the operation (409).
    kFailedPrecondition,  ///< e.g. sold out, payment declined (409/400 by context).
    kUnauthenticated,     ///< Missing or wrong credentials (401).
    kPermissionDenied,    ///< Known caller, forbidden operation (403).
    kResourceExhausted,   ///< A limit was hit: payload size, pool size (413/429/503).
    kAborted,             ///< Concurrency conflict; retry the transaction.
    kUnavailable,         ///< A dependency is down or timed out; retry the call.
    kDeadlineExceeded,    ///< The operation ran out of time; outcome may be unknown.
    kInDoubt,             ///< A commit was sent but its outcome is unknown.
    kInternal,            ///< A bug or broken invariant.
};

/// Stable machine-readable name, e.g. "invalid_argument".
[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

/// True when retrying the same call may succeed (`kUnavailable`, `kAborted`).
[[nodiscard]] bool is_retryable(ErrorCode code) noexcept;

/// An error value: a code with retry meaning and a human-readable message.
struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string message;

    [[nodiscard]] friend bool operator==(const Error&, const Error&) = default;
};

}  // namespace flightbook
