#pragma once
/// \file
/// The route table: method + path pattern with `{name}` parameters, e.g.
/// `GET /api/flights/{id}`. Independent of any HTTP library so that routing is
/// unit-testable.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "flightbook/http/request.hpp"
#include "flightbook/http/response.hpp"
#include "flightbook/result.hpp"

namespace flightbook::http {

/// One registered route as written at registration: `method` is the
/// upper-case token, `pattern` the path with `{name}` parameters.
struct RouteInfo {
    std::string method;
    std::string pattern;
};

/// A route handler. It may throw; the server turns any exception into a JSON
/// 500 and keeps serving. Called concurrently from worker threads.
using Handler = std::function<Response(const Request&)>;

/// Maps (method, path) to a handler. Literal segments win over parameters at
/// the first position where two matching routes differ, so
/// `/api/flights/search` is preferred to `/api/flights/{id}`. A path that
/// matches a route under another method is "method not allowed". HEAD matches
/// GET routes. Build it before serving; `match()` is then thread-safe
/// (const); `add()` is not.
class Router {
public:
    /// Outcome of `match()`.
    struct Match {
        enum class Kind { kFound, kNotFound, kMethodNotAllowed };
        Kind kind = Kind::kNotFound;
        const Handler* handler = nullptr;  ///< set when kFound
        std::string_view pattern;          ///< the route pattern, when kFound
        FieldList params;                  ///< views into the matched path
        std::string allow;                 ///< `Allow` header value when kMethodNotAllowed
    };

    /// Registers `handler` for `method` (upper-case token) and `pattern`
    /// (starts with '/', segments are literals or `{name}`).
    /// Errors: kInvalidArgument for a malformed method or pattern;
    /// kAlreadyExists when the same method and pattern shape is registered.
    [[nodiscard]] Status add(std::string_view method, std::string_view pattern, Handler handler);

    /// Finds the route for `method` and a decoded `path` (no query string).
    [[nodiscard]] Match match(std::string_view method, std::string_view path) const;

    /// Number of registered routes.
    [[nodiscard]] std::size_t size() const noexcept { return routes_.size(); }

    /// Every registered route, in registration order. HEAD requests are
    /// served by the GET routes and are not listed separately.
    [[nodiscard]] std::vector<RouteInfo> routes() const;

private:
    struct Segment {
        std::string text;  // literal text, or the parameter name
        bool is_param = false;
    };
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<Segment> segments;
        Handler handler;
    };

    std::vector<Route> routes_;
};

}  // namespace flightbook::http
