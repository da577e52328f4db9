#pragma once
// Private: what the server knows about the request being processed on the
// current worker thread. cpp-httplib calls our hooks (setup, pre-routing,
// handler, error handler, logger) one after another on the same thread for
// one request, so a thread-local pointer links them without locks.

#include <chrono>
#include <optional>
#include <string>

#include "flightbook/http/router.hpp"

namespace flightbook::http::detail {

/// A request refused before its body was read.
struct Rejection {
    int status = 400;
    std::string code;
    std::string message;
};

struct RequestState {
    std::chrono::steady_clock::time_point start;
    std::string request_id;
    std::string method;  // as received
    std::string path;    // decoded path as received (httplib's is replaced)
    Router::Match match;
    std::optional<Rejection> rejection;
    bool dispatched = false;   // our handler ran
    bool close_after = false;  // close the connection after this answer

    void reset(std::chrono::steady_clock::time_point now) {
        start = now;
        request_id.clear();
        method.clear();
        path.clear();
        match = Router::Match{};
        rejection.reset();
        dispatched = false;
        close_after = false;
    }
};

/// The state of the request on this thread, or nullptr outside a request.
RequestState*& current_request() noexcept;

}  // namespace flightbook::http::detail
