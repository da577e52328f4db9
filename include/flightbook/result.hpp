#pragma once
/// \file
/// `Result<T>`: a value or an `Error`. GCC 12 has no `std::expected`, so this is
/// the small subset flightbook needs, with the same spelling where it overlaps.

#include <cassert>
#include <utility>
#include <variant>

#include "flightbook/error.hpp"

namespace flightbook {

/// Wraps an `Error` so that `Result<T>` can be built from it unambiguously.
struct Unexpected {
    Error error;
};

/// Builds an error result: `return fail(ErrorCode::kNotFound, "no flight 7");`
[[nodiscard]] inline Unexpected fail(ErrorCode code, std::string message) {
    return Unexpected{Error{code, std::move(message)}};
}
[[nodiscard]] inline Unexpected fail(Error error) { return Unexpected{std::move(error)}; }

/// A value of type `T` or an `Error`. Not thread-safe to mutate concurrently,
/// like any value type. Accessing the wrong alternative is a bug (asserts).
template <typename T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}         // NOLINT
    Result(Unexpected u) : data_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT
    Result(Error e) : data_(std::in_place_index<1>, std::move(e)) {}             // NOLINT

    [[nodiscard]] bool has_value() const noexcept { return data_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    [[nodiscard]] T& value() & {
        assert(has_value());
        return std::get<0>(data_);
    }
    [[nodiscard]] const T& value() const& {
        assert(has_value());
        return std::get<0>(data_);
    }
    [[nodiscard]] T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(data_));
    }
    [[nodiscard]] const Error& error() const& {
        assert(!has_value());
        return std::get<1>(data_);
    }
    [[nodiscard]] Error&& error() && {
        assert(!has_value());
        return std::get<1>(std::move(data_));
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The value, or `fallback` when this holds an error.
    template <typename U>
    [[nodiscard]] T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
    }

private:
    std::variant<T, Error> data_;
};

/// Success or an `Error`, for operations without a value.
template <>
class [[nodiscard]] Result<void> {
public:
    using value_type = void;

    Result() = default;
    Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT
    Result(Error e) : error_(std::move(e)), ok_(false) {}             // NOLINT

    [[nodiscard]] bool has_value() const noexcept { return ok_; }
    explicit operator bool() const noexcept { return ok_; }
    [[nodiscard]] const Error& error() const& {
        assert(!ok_);
        return error_;
    }
    [[nodiscard]] Error&& error() && {
        assert(!ok_);
        return std::move(error_);
    }

private:
    Error error_{};
    bool ok_ = true;
};

/// Shorthand for `Result<void>`.
using Status = Result<void>;

/// Success value for `Status`-returning functions.
[[nodiscard]] inline Status ok() { return {}; }

}  // namespace flightbook

/// Propagates the error of a `Result` expression, else yields nothing.
#define FLIGHTBOOK_TRY_STATUS(expr)                                          \
    do {                                                                     \
        auto flightbook_try_r_ = (expr);                                     \
        if (!flightbook_try_r_) {                                            \
            return ::flightbook::fail(std::move(flightbook_try_r_).error()); \
        }                                                                    \
    } while (false)

/// Declares `var` bound to the value of a `Result` expression, or returns its
/// error from the enclosing function:
///     FLIGHTBOOK_TRY(lease, pool.acquire());
/// `var` names a declaration, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define FLIGHTBOOK_TRY(var, expr)                                            \
    auto var##_flightbook_try_ = (expr);                                     \
    if (!var##_flightbook_try_)                                              \
        return ::flightbook::fail(std::move(var##_flightbook_try_).error()); \
    auto var = std::move(var##_flightbook_try_).value()
// NOLINTEND(bugprone-macro-parentheses)
