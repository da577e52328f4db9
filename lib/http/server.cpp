#include "flightbook/http/server.hpp"

#include <httplib.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "detail/connection_state.hpp"
#include "detail/hardened_server.hpp"
#include "detail/health_routes.hpp"
#include "detail/request_checks.hpp"
#include "flightbook/json/writer.hpp"

namespace flightbook::http {
namespace {

using detail::RequestState;
using SteadyClock = std::chrono::steady_clock;
using HttpServer = httplib::Server;

// cpp-httplib only ever sees this path: we keep the real one in the request
// state and route it ourselves, so its std::regex matching runs on one byte.
constexpr const char* kDispatchPath = "/";

std::string_view method_label(std::string_view method) noexcept {
    for (const std::string_view known :
         {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        if (method == known) return known;
    }
    return "OTHER";
}

void apply(Response&& out, httplib::Response& res) {
    if (out.status < 100 || out.status > 599) out.status = 500;
    res.status = out.status;
    res.body = std::move(out.body);
    if (!out.content_type.empty()) res.set_header("Content-Type", out.content_type);
    for (const auto& [name, value] : out.headers) res.set_header(name, value);
}

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
        case 400: return "Bad Request";
        case 414: return "URI Too Long";
        case 431: return "Request Header Fields Too Large";
        default: return "Error";
    }
}

// An answer written without cpp-httplib (it never saw the request).
std::string serialize(const httplib::Response& res) {
    std::string out = fmt::format("HTTP/1.1 {} {}\r\n", res.status, reason_phrase(res.status));
    for (const auto& [name, value] : res.headers) out += fmt::format("{}: {}\r\n", name, value);
    out += fmt::format("Content-Length: {}\r\n\r\n", res.body.size());
    out += res.body;
    return out;
}

std::string_view route_label(const RequestState& st) noexcept {
    if (st.match.kind == Router::Match::Kind::kFound) return st.match.pattern;
    if (st.rejection) return "rejected";
    return "unmatched";
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions opts, std::shared_ptr<metrics::Registry> reg, std::shared_ptr<LogSink> sink)
        : options(std::move(opts)),
          registry(reg ? std::move(reg) : std::make_shared<metrics::Registry>()),
          logger(options.service_name, std::move(sink)),
          requests(registry->counter("flightbook_http_requests_total",
                                     "HTTP requests answered, by route pattern, method and status",
                                     {"route", "method", "status"})),
          durations(registry->histogram(
              "flightbook_http_request_duration_seconds",
              "Time from the first byte of a request to its answer being written",
              {"route", "method"})),
          connections(registry
                          ->gauge("flightbook_http_connections_active",
                                  "Open client connections being served")
                          .with({})) {}

    void setup_request(httplib::Request& req);
    HttpServer::HandlerResponse pre_routing(const httplib::Request& req, httplib::Response& res);
    int expect_continue(const httplib::Request& req, httplib::Response& res);
    void handle(const httplib::Request& req, httplib::Response& res);
    HttpServer::HandlerResponse on_error(const httplib::Request& req, httplib::Response& res);
    void on_exception(const httplib::Request& req, httplib::Response& res,
                      const std::exception_ptr& ep);
    void post_routing(const httplib::Request& req, httplib::Response& res);
    void on_complete(const httplib::Request& req, const httplib::Response& res);
    void refuse_head(httplib::Stream& strm, std::string_view head);

    Response dispatch(RequestState& st, const httplib::Request& req);
    Response call_handler(RequestState& st, const Request& view);
    void install_builtin_routes();

    ServerOptions options;
    std::shared_ptr<metrics::Registry> registry;
    Logger logger;
    Router router;
    std::vector<std::pair<std::string, ReadinessCheck>> checks;
    metrics::CounterFamily& requests;
    metrics::HistogramFamily& durations;
    metrics::Gauge& connections;

    std::unique_ptr<detail::HardenedServer> http;
    std::thread listener;
    std::mutex lifecycle_mutex;  // start/stop
    std::mutex state_mutex;      // listen_done
    std::condition_variable state_cv;
    bool listen_done = false;
    std::atomic<bool> started{false};
    std::atomic<bool> stopped{false};
    int bound_port = 0;
};

void Server::Impl::setup_request(httplib::Request& req) {
    auto* st = detail::current_request();
    if (st == nullptr) return;
    st->method = req.method;
    st->path = std::move(req.path);
    req.path = kDispatchPath;
    req.ranges.clear();  // JSON answers are never served in byte ranges
    st->request_id = detail::request_id_for(req.get_header_value("X-Request-Id"));
    st->match = router.match(st->method, st->path);
    st->rejection = detail::check_framing(req, options.max_body_bytes);
    if (st->rejection) {
        // The body stays unread, so this connection cannot carry another request.
        st->close_after = true;
        req.headers.erase("Connection");
        req.headers.emplace("Connection", "close");
    } else if (detail::reads_body(req.method) && !req.has_header("Content-Length")) {
        // RFC 9112 §6.3: no Content-Length and no Transfer-Encoding means no
        // body; cpp-httplib would otherwise read until the peer closes.
        req.headers.emplace("Content-Length", "0");
    }
}

HttpServer::HandlerResponse Server::Impl::pre_routing(const httplib::Request& req,
                                                      httplib::Response& res) {
    auto* st = detail::current_request();
    if (st == nullptr) return HttpServer::HandlerResponse::Unhandled;
    if (st->rejection) {
        apply(Response::error(st->rejection->status, st->rejection->code, st->rejection->message),
              res);
        return HttpServer::HandlerResponse::Handled;
    }
    if (!detail::is_dispatchable(st->method)) {
        // TRACE, CONNECT, …: answered here; any body stays unread.
        st->close_after = true;
        st->dispatched = true;
        apply(dispatch(*st, req), res);
        return HttpServer::HandlerResponse::Handled;
    }
    return HttpServer::HandlerResponse::Unhandled;
}

int Server::Impl::expect_continue(const httplib::Request& /*req*/, httplib::Response& res) {
    auto* st = detail::current_request();
    if (st != nullptr && st->rejection) {
        apply(Response::error(st->rejection->status, st->rejection->code, st->rejection->message),
              res);
        return st->rejection->status;
    }
    return 100;
}

void Server::Impl::handle(const httplib::Request& req, httplib::Response& res) {
    auto* st = detail::current_request();
    if (st == nullptr) {
        apply(Response::error(500, "internal", "request state missing"), res);
        return;
    }
    st->dispatched = true;
    apply(dispatch(*st, req), res);
}

Response Server::Impl::dispatch(RequestState& st, const httplib::Request& req) {
    using Kind = Router::Match::Kind;
    if (st.match.kind == Kind::kNotFound) {
        return Response::error(404, "not_found",
                               fmt::format("no route for {} {}", st.method.substr(0, 16),
                                           std::string_view(st.path).substr(0, 200)));
    }
    if (st.match.kind == Kind::kMethodNotAllowed) {
        return Response::error(405, "method_not_allowed",
                               fmt::format("method {} is not allowed here; allowed: {}",
                                           st.method.substr(0, 16), st.match.allow))
            .with_header("Allow", st.match.allow);
    }
    thread_local FieldList headers;
    thread_local FieldList query;
    headers.clear();
    query.clear();
    for (const auto& [name, value] : req.headers) headers.emplace_back(name, value);
    for (const auto& [name, value] : req.params) query.emplace_back(name, value);
    const Request view(Request::Parts{st.method, st.path, req.body, st.request_id, &st.match.params,
                                      &query, &headers});
    Response out = call_handler(st, view);
    if (out.status >= 500) {
        // The client gets a stable code and the request id; the cause, which
        // may be adapter text, goes to the log under that id only.
        if (!out.internal_detail.empty()) {
            logger.error("server_error", out.internal_detail, [&](json::Writer& w) {
                w.key("route").value(st.match.pattern);
                w.key("method").value(method_label(st.method));
                w.key("status").value(static_cast<std::int64_t>(out.status));
                w.key("request_id").value(st.request_id);
            });
        }
        detail::add_request_id(out.body, st.request_id);
    }
    return out;
}

Response Server::Impl::call_handler(RequestState& st, const Request& view) {
    std::string what;
    try {
        return (*st.match.handler)(view);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
        what = "unknown exception";
    }
    // dispatch() adds the request id to the body.
    logger.error("handler_exception", what, [&](json::Writer& w) {
        w.key("route").value(st.match.pattern);
        w.key("method").value(method_label(st.method));
        w.key("request_id").value(st.request_id);
    });
    return Response::error(500, "internal", "internal server error");
}

void Server::Impl::install_builtin_routes() {
    detail::install_health_routes(
        router, detail::HealthState{&options, registry.get(), &checks,
                                    [this] { return http != nullptr && http->draining(); }});
}

HttpServer::HandlerResponse Server::Impl::on_error(const httplib::Request& /*req*/,
                                                   httplib::Response& res) {
    auto* st = detail::current_request();
    if (st != nullptr && !st->dispatched && !st->rejection) {
        // cpp-httplib refused the request itself (bad request line or
        // headers, oversized input): the stream position is unknown.
        st->close_after = true;
        if (!res.has_header("Connection")) res.set_header("Connection", "close");
    }
    if (!res.body.empty()) return HttpServer::HandlerResponse::Unhandled;
    const auto code = detail::error_code_for_status(res.status);
    std::string message(code);
    std::replace(message.begin(), message.end(), '_', ' ');
    res.body = error_body(code, fmt::format("request refused: {} (HTTP {})", message, res.status));
    res.set_header("Content-Type", std::string(kJsonContentType));
    return HttpServer::HandlerResponse::Handled;
}

void Server::Impl::on_exception(const httplib::Request& /*req*/, httplib::Response& res,
                                const std::exception_ptr& ep) {
    std::string what = "unknown exception";
    try {
        if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    auto* st = detail::current_request();
    const std::string_view request_id = st != nullptr ? std::string_view(st->request_id) : "";
    logger.error("server_exception", what,
                 [&](json::Writer& w) { w.key("request_id").value(request_id); });
    res.headers.erase("Content-Type");
    Response out = Response::error(500, "internal", "internal server error");
    detail::add_request_id(out.body, request_id);
    apply(std::move(out), res);
}

void Server::Impl::post_routing(const httplib::Request& /*req*/, httplib::Response& res) {
    if (auto* st = detail::current_request(); st != nullptr) {
        // Requests refused by the parser never reached setup_request().
        if (st->request_id.empty()) st->request_id = detail::request_id_for({});
        res.set_header("X-Request-Id", st->request_id);
    }
}

void Server::Impl::on_complete(const httplib::Request& req, const httplib::Response& res) {
    auto* st = detail::current_request();
    if (st == nullptr) return;
    const auto elapsed = std::chrono::duration<double>(SteadyClock::now() - st->start).count();
    const auto route = route_label(*st);
    const auto method = method_label(st->method);
    requests.with({route, method, fmt::format("{}", res.status)}).inc();
    durations.with({route, method}).observe(elapsed);
    if (!options.access_log) return;
    logger.info("request", {}, [&](json::Writer& w) {
        w.key("method").value(method);
        w.key("route").value(route);
        w.key("path").value(std::string_view(st->path).substr(0, 256));
        w.key("status").value(static_cast<std::int64_t>(res.status));
        w.key("duration_ms").value(std::round(elapsed * 1e6) / 1e3);
        w.key("request_id").value(st->request_id);
        w.key("remote_addr").value(req.remote_addr);
    });
}

void Server::Impl::refuse_head(httplib::Stream& strm, std::string_view head) {
    auto* st = detail::current_request();
    if (st == nullptr || !st->rejection) return;
    // For the metric and log labels only (method_label() admits known names).
    st->method = std::string(head.substr(0, std::min<std::size_t>(head.find(' '), 16)));
    httplib::Request req;
    strm.get_remote_ip_and_port(req.remote_addr, req.remote_port);
    httplib::Response res;
    apply(Response::error(st->rejection->status, st->rejection->code, st->rejection->message), res);
    post_routing(req, res);  // a new request id: the refused head's is not trusted
    res.set_header("Connection", "close");
    const auto answer = serialize(res);
    strm.write(answer.data(), answer.size());
    on_complete(req, res);
}

// ---- Server ------------------------------------------------------------------

Server::Server(ServerOptions options, std::shared_ptr<metrics::Registry> registry,
               std::shared_ptr<LogSink> log_sink)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(registry), std::move(log_sink))) {
    impl_->install_builtin_routes();
}

Server::~Server() { stop(); }

Status Server::route(std::string_view method, std::string_view pattern, Handler handler) {
    if (impl_->started.load()) {
        return fail(ErrorCode::kFailedPrecondition, "routes must be added before start()");
    }
    return impl_->router.add(method, pattern, std::move(handler));
}

std::vector<RouteInfo> Server::routes() const { return impl_->router.routes(); }

void Server::add_readiness_check(std::string name, ReadinessCheck check) {
    impl_->checks.emplace_back(std::move(name), std::move(check));
}

Result<int> Server::start() {
    auto& im = *impl_;
    std::lock_guard lock(im.lifecycle_mutex);
    if (im.started.load()) return fail(ErrorCode::kFailedPrecondition, "server already started");
    im.http = std::make_unique<detail::HardenedServer>(
        im.options, im.connections, [&im](httplib::Request& req) { im.setup_request(req); },
        [&im](httplib::Stream& strm, std::string_view head) { im.refuse_head(strm, head); });
    auto& http = *im.http;
    const auto handler = [&im](const httplib::Request& req, httplib::Response& res) {
        im.handle(req, res);
    };
    http.Get(kDispatchPath, handler);
    http.Post(kDispatchPath, handler);
    http.Put(kDispatchPath, handler);
    http.Patch(kDispatchPath, handler);
    http.Delete(kDispatchPath, handler);
    http.Options(kDispatchPath, handler);
    http.set_pre_routing_handler([&im](const httplib::Request& req, httplib::Response& res) {
        return im.pre_routing(req, res);
    });
    http.set_expect_100_continue_handler(
        [&im](const httplib::Request& req, httplib::Response& res) {
            return im.expect_continue(req, res);
        });
    http.set_error_handler(
        HttpServer::HandlerWithResponse([&im](const httplib::Request& req, httplib::Response& res) {
            return im.on_error(req, res);
        }));
    http.set_exception_handler(
        [&im](const httplib::Request& req, httplib::Response& res, const std::exception_ptr& ep) {
            im.on_exception(req, res, ep);
        });
    http.set_post_routing_handler(
        [&im](const httplib::Request& req, httplib::Response& res) { im.post_routing(req, res); });
    http.set_logger([&im](const httplib::Request& req, const httplib::Response& res) {
        im.on_complete(req, res);
    });

    int port = im.options.port;
    if (port == 0) {
        port = http.bind_to_any_port(im.options.bind_address);
    } else if (!http.bind_to_port(im.options.bind_address, port)) {
        port = -1;
    }
    if (port <= 0) {
        im.http.reset();
        return fail(ErrorCode::kUnavailable, fmt::format("cannot listen on {}:{}",
                                                         im.options.bind_address, im.options.port));
    }
    http.widen_backlog();
    im.bound_port = port;
    im.started.store(true);
    im.listener = std::thread([&im] {
        im.http->listen_after_bind();
        std::lock_guard state_lock(im.state_mutex);
        im.listen_done = true;
        im.state_cv.notify_all();
    });
    im.logger.info("server_started", {}, [&](json::Writer& w) {
        w.key("address").value(im.options.bind_address);
        w.key("port").value(static_cast<std::int64_t>(port));
        w.key("worker_threads").value(static_cast<std::uint64_t>(im.options.worker_threads));
    });
    return port;
}

void Server::stop() {
    auto& im = *impl_;
    std::lock_guard lock(im.lifecycle_mutex);
    if (!im.started.load() || im.stopped.load()) return;
    im.http->begin_drain();
    // cpp-httplib's stop() is a no-op until its accept loop runs; wait for it.
    while (!im.http->is_running()) {
        std::unique_lock state_lock(im.state_mutex);
        if (im.listen_done) break;
        im.state_cv.wait_for(state_lock, std::chrono::milliseconds(1));
    }
    im.http->stop();  // closes the listening socket, then drains the pool
    if (im.listener.joinable()) im.listener.join();
    im.stopped.store(true);
    {
        std::lock_guard state_lock(im.state_mutex);
        im.listen_done = true;
    }
    im.state_cv.notify_all();
    im.logger.info("server_stopped", "drained");
}

void Server::wait() {
    auto& im = *impl_;
    if (!im.started.load()) return;
    std::unique_lock state_lock(im.state_mutex);
    im.state_cv.wait(state_lock, [&im] { return im.listen_done; });
}

int Server::port() const noexcept { return impl_->bound_port; }
const ServerOptions& Server::options() const noexcept { return impl_->options; }
metrics::Registry& Server::registry() noexcept { return *impl_->registry; }
const Logger& Server::logger() const noexcept { return impl_->logger; }

}  // namespace flightbook::http
