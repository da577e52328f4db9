#pragma once
// A Server with a few test routes, started on a free port.
//
//   GET  /api/items/{id}     → {"id":"<id>"}
//   GET  /api/items/search   → {"search":true}        (literal beats {id})
//   POST /api/items          → {"seats":n}; body {"seats": positive integer}
//   GET  /api/throw          → handler throws          (→ JSON 500)
//   GET  /api/slow           → sleeps slow_ms, then {"slept_ms":n}
//   GET  /api/query          → {"q":"<query parameter q>"}

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>

#include "flightbook/http/json.hpp"
#include "flightbook/json/writer.hpp"
#include "http_test_support.hpp"

namespace flightbook::http::testing {

struct TestServer {
    explicit TestServer(ServerOptions options = test_options())
        : sink(std::make_shared<CapturingSink>()), server(std::move(options), nullptr, sink) {
        REQUIRE(server
                    .get("/api/items/{id}",
                         [](const Request& req) {
                             json::Writer w;
                             w.begin_object().key("id").value(*req.path_param("id")).end_object();
                             return Response::json(200, w.take());
                         })
                    .has_value());
        REQUIRE(server
                    .get("/api/items/search",
                         [](const Request&) { return Response::json(200, R"({"search":true})"); })
                    .has_value());
        REQUIRE(server
                    .post("/api/items",
                          [](const Request& req) {
                              auto body = parse_object(req.body());
                              if (!body) return Response::from_error(body.error());
                              auto seats = body->get_positive_int64("seats");
                              if (!seats) return Response::from_error(seats.error());
                              json::Writer w;
                              w.begin_object().key("seats").value(*seats).end_object();
                              return Response::json(200, w.take());
                          })
                    .has_value());
        REQUIRE(server
                    .get("/api/throw",
                         [](const Request&) -> Response {
                             throw std::runtime_error("boom: broken invariant");
                         })
                    .has_value());
        REQUIRE(server
                    .get("/api/slow",
                         [this](const Request&) {
                             const int ms = slow_ms.load();
                             in_slow.fetch_add(1);
                             std::this_thread::sleep_for(std::chrono::milliseconds(ms));
                             json::Writer w;
                             w.begin_object().key("slept_ms").value(ms).end_object();
                             return Response::json(200, w.take());
                         })
                    .has_value());
        REQUIRE(server
                    .get("/api/query",
                         [](const Request& req) {
                             json::Writer w;
                             w.begin_object()
                                 .key("q")
                                 .value(req.query("q").value_or("<none>"))
                                 .end_object();
                             return Response::json(200, w.take());
                         })
                    .has_value());
        // A dependency failure whose text must never reach the client.
        REQUIRE(server
                    .get("/api/db-down",
                         [](const Request&) {
                             return Response::from_error(Error{
                                 ErrorCode::kUnavailable,
                                 "could not connect to server: host db-7.internal port 5432"});
                         })
                    .has_value());
        server.add_readiness_check("dependency", [this]() -> Status {
            if (dependency_up.load()) return ok();
            return fail(ErrorCode::kUnavailable, "dependency is down");
        });
        auto p = server.start();
        REQUIRE_MESSAGE(p.has_value(), (p ? "" : p.error().message));
        port = *p;
    }

    // Declared before `server`: handlers use them until the server stops.
    std::shared_ptr<CapturingSink> sink;
    std::atomic<int> slow_ms{200};
    std::atomic<int> in_slow{0};
    std::atomic<bool> dependency_up{true};
    Server server;
    int port = 0;
};

}  // namespace flightbook::http::testing
