#pragma once
// One service binary (flight-, booking- or payment-service) run as a child
// process on a free loopback port, for black-box and fault tests: started,
// waited for until /ready answers, killed with SIGKILL, restarted on the same
// port, stopped with SIGTERM. Every wait is bounded.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "flightbook/http/client.hpp"

namespace flightbook::testing {

/// A client of one HTTP endpoint on loopback; `headers` go with every request.
inline http::Client loopback_client(int port,
                                    std::vector<std::pair<std::string, std::string>> headers = {},
                                    int read_timeout_ms = 10000) {
    http::ClientOptions o;
    o.base_url = "http://127.0.0.1:" + std::to_string(port);
    o.connect_timeout_ms = 2000;
    o.read_timeout_ms = read_timeout_ms;
    o.default_headers = std::move(headers);
    return http::Client::create(o).value();
}

/// One service of a system that runs elsewhere (in the demo's process).
class Endpoint {
public:
    explicit Endpoint(int port) : port_(port) {}
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] http::Client client(std::vector<std::pair<std::string, std::string>> headers = {},
                                      int read_timeout_ms = 10000) const {
        return loopback_client(port_, std::move(headers), read_timeout_ms);
    }

private:
    int port_;
};

class ServiceProcess {
public:
    /// `name` is the app folder and binary ("booking-service"); `args` are
    /// passed after `--port <port>`; `port` 0 picks a free one.
    ServiceProcess(std::string name, std::vector<std::string> args, int port)
        : name_(std::move(name)), args_(std::move(args)), port_(port) {}
    /// Any other binary of the build tree (`program`, relative to it, e.g.
    /// "apps/flightbook/flightbook") run with exactly `args`; `port` is where
    /// /ready is polled. `name` names the log file.
    ServiceProcess(std::string name, std::string program, std::vector<std::string> args, int port)
        : name_(std::move(name)),
          program_(std::move(program)),
          args_(std::move(args)),
          port_(port) {}
    ~ServiceProcess() { kill_now(); }
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] bool running() const { return pid_ > 0; }

    /// Starts the binary and waits (bounded) until GET /ready is 200. With
    /// `wait_ready` false, returns right after the fork.
    void start(bool wait_ready = true) {
        REQUIRE(pid_ <= 0);
        const std::string exe = std::string(FLIGHTBOOK_BINARY_DIR) + "/" +
                                (program_.empty() ? "apps/" + name_ + "/" + name_ : program_);
        std::vector<std::string> argv_s{exe};
        if (program_.empty()) {
            argv_s.insert(argv_s.end(), {"--port", std::to_string(port_), "--access-log", "false"});
        }
        argv_s.insert(argv_s.end(), args_.begin(), args_.end());
        std::vector<char*> argv;  // built before fork: the child only execs
        for (std::string& a : argv_s) argv.push_back(a.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        const std::string log = log_path();
        if (pid_ == 0) {
            // stderr (the service's log) to a file in the build tree, so a
            // failure can show why the service stopped.
            const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out >= 0) {
                ::dup2(out, STDERR_FILENO);
                ::dup2(out, STDOUT_FILENO);
            }
            ::execv(exe.c_str(), argv.data());
            ::_exit(127);
        }
        if (wait_ready) wait_until_ready();
    }

    void wait_until_ready() {
        auto c = client();
        // A service binary names itself in /ready: a 200 from another
        // process that holds the port (this one then failed to bind) is not
        // this one being ready.
        const std::string self = "\"service\":\"" + name_ + "\"";
        for (int i = 0; i < 300; ++i) {
            auto r = c.get("/ready");
            if (r && r->status == 200 &&
                (!program_.empty() || r->body.find(self) != std::string::npos)) {
                return;
            }
            if (exited()) {
                FAIL(name_ << " exited at start-up, status " << exit_status_ << "; log:\n"
                           << log_tail());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL(name_ << " did not become ready on port " << port_);
    }

    /// True once the child has exited (reaps it; `exit_status()` tells how).
    bool exited() {
        if (pid_ <= 0) return true;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) != pid_) return false;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = -1;
        return true;
    }

    /// Waits (bounded) for the child to exit by itself; its exit status, or
    /// -1 if it did not (then it is killed).
    int wait_exit(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (exited()) return exit_status_;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill_now();
        return -1;
    }

    [[nodiscard]] int exit_status() const { return exit_status_; }

    /// Where the child's stderr goes: `<build>/test-logs/<name>-<port>.log`.
    [[nodiscard]] std::string log_path() const {
        const std::string dir = std::string(FLIGHTBOOK_BINARY_DIR) + "/test-logs";
        ::mkdir(dir.c_str(), 0755);
        return dir + "/" + name_ + "-" + std::to_string(port_) + ".log";
    }

    /// The last lines of the child's log.
    [[nodiscard]] std::string log_tail(std::size_t bytes = 2000) const {
        std::FILE* f = std::fopen(log_path().c_str(), "rb");
        if (f == nullptr) return {};
        std::string text;
        char buffer[4096];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) text.append(buffer, n);
        std::fclose(f);
        return text.size() > bytes ? text.substr(text.size() - bytes) : text;
    }

    /// SIGKILL: a crash, nothing flushed.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    /// SIGTERM; the exit status (bounded wait, then SIGKILL).
    int terminate() {
        if (pid_ <= 0) return exit_status_;
        ::kill(pid_, SIGTERM);
        return wait_exit(std::chrono::seconds(10));
    }

    /// A client for this service; `headers` are sent with every request.
    [[nodiscard]] http::Client client(std::vector<std::pair<std::string, std::string>> headers = {},
                                      int read_timeout_ms = 10000) const {
        return loopback_client(port_, std::move(headers), read_timeout_ms);
    }

private:
    std::string name_;
    std::string program_;  // empty: apps/<name>/<name> with --port
    std::vector<std::string> args_;
    int port_;
    pid_t pid_ = -1;
    int exit_status_ = -1;
};

}  // namespace flightbook::testing
