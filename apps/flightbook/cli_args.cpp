#include "cli_args.hpp"

#include <fmt/format.h>

#include <charconv>

namespace flightbook::cli {

Result<Args> Args::parse(const std::vector<std::string_view>& argv,
                         const std::set<std::string_view>& valued,
                         const std::set<std::string_view>& flags) {
    Args out;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string_view a = argv[i];
        if (a.size() < 3 || a.substr(0, 2) != "--") {
            return fail(ErrorCode::kInvalidArgument, fmt::format("unexpected argument '{}'", a));
        }
        const std::string_view name = a.substr(2);
        if (flags.count(name) != 0) {
            if (!out.flags_.emplace(name).second) {
                return fail(ErrorCode::kInvalidArgument, fmt::format("--{} given twice", name));
            }
            continue;
        }
        if (valued.count(name) == 0) {
            return fail(ErrorCode::kInvalidArgument, fmt::format("unknown option --{}", name));
        }
        if (i + 1 >= argv.size()) {
            return fail(ErrorCode::kInvalidArgument, fmt::format("--{} needs a value", name));
        }
        if (!out.values_.emplace(std::string(name), std::string(argv[++i])).second) {
            return fail(ErrorCode::kInvalidArgument, fmt::format("--{} given twice", name));
        }
    }
    return out;
}

std::optional<std::string_view> Args::get(std::string_view name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return std::string_view(it->second);
}

bool Args::has(std::string_view name) const {
    return flags_.count(name) != 0 || values_.count(name) != 0;
}

Result<long long> Args::integer(std::string_view name, long long fallback, long long lo,
                                long long hi) const {
    auto v = get(name);
    if (!v) return fallback;
    long long n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || p != v->data() + v->size() || n < lo || n > hi) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("--{} must be an integer from {} to {}", name, lo, hi));
    }
    return n;
}

}  // namespace flightbook::cli
