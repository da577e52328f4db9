#pragma once
/// \file
/// Money as integer minor units (cents). Never a floating-point number.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "flightbook/result.hpp"

namespace flightbook {

/// An amount in cents. Arithmetic is plain integer arithmetic; callers keep
/// amounts far below the int64 range (prices are at most NUMERIC(10,2)).
class Money {
public:
    constexpr Money() = default;
    [[nodiscard]] static constexpr Money from_cents(std::int64_t cents) { return Money(cents); }

    /// Parses "8500", "8500.5", "8500.50" or "-3.10". More than two decimals,
    /// exponents, signs other than a leading '-', or overflow are `kInvalidArgument`.
    [[nodiscard]] static Result<Money> parse(std::string_view text);

    [[nodiscard]] constexpr std::int64_t cents() const noexcept { return cents_; }

    /// Formats with exactly two decimals: 850000 cents → "8500.00".
    [[nodiscard]] std::string to_string() const;

    constexpr Money& operator+=(Money o) noexcept {
        cents_ += o.cents_;
        return *this;
    }
    friend constexpr Money operator+(Money a, Money b) noexcept {
        return Money(a.cents_ + b.cents_);
    }
    friend constexpr Money operator-(Money a, Money b) noexcept {
        return Money(a.cents_ - b.cents_);
    }
    friend constexpr Money operator*(Money a, std::int64_t k) noexcept {
        return Money(a.cents_ * k);
    }
    friend constexpr auto operator<=>(Money, Money) = default;

private:
    constexpr explicit Money(std::int64_t cents) : cents_(cents) {}
    std::int64_t cents_ = 0;
};

}  // namespace flightbook
