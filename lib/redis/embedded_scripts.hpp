#pragma once
// The Lua scripts of lib/redis/scripts/, embedded at build time.

#include <string_view>

namespace flightbook::redis {

/// The text of `scripts/<name>.lua`, or an empty view for an unknown name.
[[nodiscard]] std::string_view embedded_script(std::string_view name) noexcept;

}  // namespace flightbook::redis
