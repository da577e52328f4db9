#include "flightbook/http/router.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace flightbook::http {
namespace {

bool is_token_char(char c) { return c >= 'A' && c <= 'Z'; }

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Splits "/a/b/c" into {"a","b","c"}; "/" gives one empty segment.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 1;
    while (true) {
        const auto slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            out.push_back(path.substr(start));
            break;
        }
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

}  // namespace

Status Router::add(std::string_view method, std::string_view pattern, Handler handler) {
    if (method.empty() || !std::all_of(method.begin(), method.end(), is_token_char)) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("route method '{}' must be an upper-case token", method));
    }
    if (pattern.empty() || pattern.front() != '/') {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("route pattern '{}' must start with '/'", pattern));
    }
    if (!handler) {
        return fail(ErrorCode::kInvalidArgument,
                    fmt::format("route {} {} has no handler", method, pattern));
    }
    Route route{std::string(method), std::string(pattern), {}, std::move(handler)};
    std::vector<std::string_view> names;
    const auto parts = split_path(pattern);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto part = parts[i];
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            const auto name = part.substr(1, part.size() - 2);
            if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char) ||
                std::find(names.begin(), names.end(), name) != names.end()) {
                return fail(
                    ErrorCode::kInvalidArgument,
                    fmt::format("route pattern '{}' has a bad parameter '{}'", pattern, part));
            }
            names.push_back(name);
            route.segments.push_back({std::string(name), true});
        } else if (part.find_first_of("{}") != std::string_view::npos ||
                   (part.empty() && parts.size() > 1)) {
            return fail(ErrorCode::kInvalidArgument,
                        fmt::format("route pattern '{}' has a bad segment '{}'", pattern, part));
        } else {
            route.segments.push_back({std::string(part), false});
        }
    }
    for (const auto& existing : routes_) {
        if (existing.method != route.method || existing.segments.size() != route.segments.size()) {
            continue;
        }
        const bool same_shape =
            std::equal(existing.segments.begin(), existing.segments.end(), route.segments.begin(),
                       [](const Segment& a, const Segment& b) {
                           return a.is_param == b.is_param && (a.is_param || a.text == b.text);
                       });
        if (same_shape) {
            return fail(ErrorCode::kAlreadyExists, fmt::format("route {} {} clashes with {}",
                                                               method, pattern, existing.pattern));
        }
    }
    routes_.push_back(std::move(route));
    return ok();
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    if (path.empty() || path.front() != '/') return result;
    const auto parts = split_path(path);
    const std::string_view lookup_method = method == "HEAD" ? std::string_view("GET") : method;

    const Route* best = nullptr;
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
        if (route.segments.size() != parts.size()) continue;
        bool matches = true;
        for (std::size_t i = 0; i < parts.size() && matches; ++i) {
            const auto& seg = route.segments[i];
            matches = seg.is_param ? !parts[i].empty() : seg.text == parts[i];
        }
        if (!matches) continue;
        if (route.method != lookup_method) {
            if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
                allowed.push_back(route.method);
            }
            continue;
        }
        if (best == nullptr) {
            best = &route;
            continue;
        }
        // More specific wins: the first segment where they differ is literal.
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (best->segments[i].is_param != route.segments[i].is_param) {
                if (!route.segments[i].is_param) best = &route;
                break;
            }
        }
    }
    if (best != nullptr) {
        result.kind = Match::Kind::kFound;
        result.handler = &best->handler;
        result.pattern = best->pattern;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (best->segments[i].is_param) {
                result.params.emplace_back(best->segments[i].text, parts[i]);
            }
        }
        return result;
    }
    if (!allowed.empty()) {
        if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) {
            allowed.emplace_back("HEAD");
        }
        std::sort(allowed.begin(), allowed.end());
        result.kind = Match::Kind::kMethodNotAllowed;
        result.allow = fmt::format("{}", fmt::join(allowed, ", "));
    }
    return result;
}

std::vector<RouteInfo> Router::routes() const {
    std::vector<RouteInfo> out;
    out.reserve(routes_.size());
    for (const auto& route : routes_) out.push_back(RouteInfo{route.method, route.pattern});
    return out;
}

}  // namespace flightbook::http
