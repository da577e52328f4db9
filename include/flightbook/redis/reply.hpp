#pragma once
/// \file
/// A Redis reply as a plain C++ value (no hiredis type leaves the adapter).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flightbook::redis {

/// One decoded reply. Error replies never appear here: they become `Error`s.
/// Plain value type.
struct Reply {
    enum class Type : std::uint8_t { kNil, kString, kStatus, kInteger, kArray };

    Type type = Type::kNil;
    std::int64_t integer = 0;     ///< For `kInteger`.
    std::string str;              ///< For `kString` and `kStatus` (binary-safe).
    std::vector<Reply> elements;  ///< For `kArray`.

    [[nodiscard]] bool is_nil() const noexcept { return type == Type::kNil; }
    /// The integer value of an integer reply, or of a string reply holding an
    /// integer (as GET returns); nullopt otherwise.
    [[nodiscard]] std::optional<std::int64_t> as_integer() const;
};

}  // namespace flightbook::redis
