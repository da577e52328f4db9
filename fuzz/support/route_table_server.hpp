#pragma once
// For fuzz_routes: the route table that a service's register_*_routes()
// filled in on an http::Server, so that its handlers can be called in
// process, without sockets. Only in binaries that link
// route_table_server.cpp instead of lib/http/server.cpp.

#include "flightbook/http/router.hpp"
#include "flightbook/http/server.hpp"

namespace flightbook::fuzz {

// The routes registered on `server` (every one, in registration order).
[[nodiscard]] const http::Router& route_table(const http::Server& server);

}  // namespace flightbook::fuzz
