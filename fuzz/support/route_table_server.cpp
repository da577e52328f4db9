// A stand-in for lib/http/server.cpp in the fuzz_routes binary, which
// compiles lib/http without server.cpp: http::Server here only records the
// routes it is given, so that the real route handlers of lib/api can be
// called directly with fuzzed requests, thousands of times a second and
// deterministically. Only the members the route registration and the
// harness use are defined; anything else is a link error, by design.
#include "route_table_server.hpp"

#include <map>
#include <mutex>

namespace flightbook::http {

struct Server::Impl {
    Router router;
};

namespace {

// Server keeps its Impl private; the harness finds it by the server's address.
std::mutex tables_mutex;
std::map<const Server*, const Router*>& tables() {
    // Never destroyed: servers held in statics unregister at exit, after
    // a static map would already be gone.
    static auto* t = new std::map<const Server*, const Router*>;
    return *t;
}

}  // namespace

Server::Server(ServerOptions, std::shared_ptr<metrics::Registry>, std::shared_ptr<LogSink>)
    : impl_(std::make_unique<Impl>()) {
    const std::lock_guard lock(tables_mutex);
    tables()[this] = &impl_->router;
}

Server::~Server() {
    const std::lock_guard lock(tables_mutex);
    tables().erase(this);
}

Status Server::route(std::string_view method, std::string_view pattern, Handler handler) {
    return impl_->router.add(method, pattern, std::move(handler));
}

}  // namespace flightbook::http

namespace flightbook::fuzz {

const http::Router& route_table(const http::Server& server) {
    const std::lock_guard lock(http::tables_mutex);
    return *http::tables().at(&server);
}

}  // namespace flightbook::fuzz
