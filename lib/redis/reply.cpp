#include "flightbook/redis/reply.hpp"

#include <charconv>

namespace flightbook::redis {

std::optional<std::int64_t> Reply::as_integer() const {
    if (type == Type::kInteger) return integer;
    if (type != Type::kString) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(str.data(), str.data() + str.size(), value);
    if (str.empty() || ec != std::errc{} || end != str.data() + str.size()) return std::nullopt;
    return value;
}

}  // namespace flightbook::redis
