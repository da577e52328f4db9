// A service process (forked from the test) serves until SIGTERM, drains the
// request in flight and exits 0: the shutdown path every main() uses.
#ifdef FLIGHTBOOK_HAVE_APP_SUPPORT

#include <doctest/doctest.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "flightbook/app/shutdown_signals.hpp"
#include "http_test_support.hpp"

using namespace std::chrono_literals;
using namespace flightbook;
using namespace flightbook::http;
using namespace flightbook::http::testing;

namespace {

// Runs in the child: never returns. `entered_pipe` (when >= 0) gets one byte
// as a request enters /api/slow, so the parent knows it is in flight.
[[noreturn]] void run_service(int port_pipe, int entered_pipe = -1) {
    int code = 3;
    try {
        app::ShutdownSignals signals;
        auto sink = std::make_shared<CapturingSink>();
        Server server(test_options(), nullptr, sink);
        (void)server.get("/api/slow", [entered_pipe](const Request&) {
            if (entered_pipe >= 0) (void)!::write(entered_pipe, "e", 1);
            std::this_thread::sleep_for(400ms);  // the work the drain must wait for
            return Response::json(200, R"({"done":true})");
        });
        code = app::serve_until_signal(server, signals, server.logger(), [&](int port) {
            (void)!::write(port_pipe, &port, sizeof(port));
        });
    } catch (...) {
        code = 4;
    }
    ::_exit(code);
}

int wait_exit_code(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(10ms);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return -1;
}

}  // namespace

TEST_CASE("SIGTERM drains the request in flight and the service exits 0") {
    int fds[2];
    int entered[2];
    REQUIRE(::pipe(fds) == 0);
    REQUIRE(::pipe(entered) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        ::close(entered[0]);
        run_service(fds[1], entered[1]);
    }
    ::close(fds[1]);
    ::close(entered[1]);
    int port = 0;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 5000) == 1) (void)!::read(fds[0], &port, sizeof(port));
    ::close(fds[0]);
    if (port <= 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
        FAIL("service did not report its port");
    }

    std::atomic<int> slow_status{0};
    std::thread caller([&] {
        auto client = client_for(port);
        auto r = client.get("/api/slow");
        slow_status = r ? r->status : -1;
    });
    // A latch, not a sleep: wait (bounded) until the request is in its handler.
    pollfd in_flight{entered[0], POLLIN, 0};
    const bool inside = ::poll(&in_flight, 1, 5000) == 1;
    ::close(entered[0]);
    REQUIRE(::kill(pid, SIGTERM) == 0);
    CHECK(inside);
    caller.join();
    CHECK(slow_status.load() == 200);
    CHECK(wait_exit_code(pid, 10s) == 0);

    auto after = client_for(port).get("/health");
    CHECK_FALSE(after.has_value());
}

TEST_CASE("SIGINT stops an idle service with exit code 0") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::close(fds[0]);
        run_service(fds[1]);
    }
    ::close(fds[1]);
    int port = 0;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, 5000) == 1) (void)!::read(fds[0], &port, sizeof(port));
    ::close(fds[0]);
    REQUIRE(port > 0);
    auto client = client_for(port);
    auto h = client.get("/health");
    REQUIRE(h.has_value());
    CHECK(h->status == 200);
    REQUIRE(::kill(pid, SIGINT) == 0);
    CHECK(wait_exit_code(pid, 10s) == 0);
}

#endif  // FLIGHTBOOK_HAVE_APP_SUPPORT
