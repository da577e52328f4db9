#pragma once
// Shared helpers for the suites that need real servers: environment lookup
// (failing loudly when unset), a throw-away PostgreSQL schema with the flights
// migrations applied, and a private redis-server process for fault tests.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "flightbook/postgres/connection.hpp"
#include "flightbook/redis/client.hpp"

namespace flightbook::testing {

/// The value of a required environment variable; fails the test when unset.
inline std::string require_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        FAIL("environment variable " << name
                                     << " is not set: start the services and export the test "
                                        "environment (scripts/services.sh up; export_test_env)");
    }
    return value;
}

inline std::string pg_dsn() { return require_env("FLIGHTBOOK_TEST_PG_DSN"); }
inline std::string redis_host() { return require_env("FLIGHTBOOK_TEST_REDIS_HOST"); }
inline int redis_port() { return std::stoi(require_env("FLIGHTBOOK_TEST_REDIS_PORT")); }

/// A unique name for this process and call: "fbt_<pid>_<n>".
inline std::string unique_name(const char* prefix) {
    static std::atomic<int> counter{0};
    return std::string(prefix) + "_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter.fetch_add(1));
}

inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// A fresh schema in the test database with every migration of one
/// database applied (`sql/<database>/`: "flights" by default, "bookings",
/// "payments"). Dropped on destruction, so tests neither see each other's
/// rows nor depend on order.
class PgSchema {
public:
    explicit PgSchema(const char* database = "flights") : name_(unique_name("fbt")) {
        admin_ = connect_or_fail(pg_dsn());
        require_ok(admin_->exec_script("CREATE SCHEMA " + name_));
        auto conn = connect_or_fail(dsn());
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(
                 std::filesystem::path(FLIGHTBOOK_SQL_DIR) / database)) {
            if (entry.path().extension() == ".sql") files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            INFO("applying " << file.filename().string());
            require_ok(conn->exec_script(read_file(file)));
        }
    }
    ~PgSchema() {
        if (admin_) {
            (void)admin_->exec_script("SET client_min_messages = warning; DROP SCHEMA IF EXISTS " +
                                      name_ + " CASCADE");
        }
    }
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;

    /// The test DSN with this schema first on the search path.
    [[nodiscard]] std::string dsn() const { return pg_dsn() + " options=-csearch_path=" + name_; }
    [[nodiscard]] const std::string& name() const { return name_; }

    /// A direct connection into the schema, for setup and inspection.
    [[nodiscard]] std::unique_ptr<postgres::Connection> connect() const {
        return connect_or_fail(dsn());
    }

    static std::unique_ptr<postgres::Connection> connect_or_fail(const std::string& dsn) {
        auto conn = postgres::Connection::connect(postgres::ConnectOptions{dsn, 5000, 30000});
        if (!conn) FAIL("cannot connect to PostgreSQL: " << conn.error().message);
        return std::move(conn).value();
    }
    template <typename R>
    static void require_ok(const R& r) {
        if (!r) FAIL(r.error().message);
    }

private:
    std::string name_;
    std::unique_ptr<postgres::Connection> admin_;
};

/// A free TCP port on 127.0.0.1 (asks the kernel for one, then closes it).
/// The kernel may hand the same port out again as soon as it is closed, so
/// ports given out recently by this process are skipped: a system of three
/// services asks for three ports before any of them binds.
inline int free_port() {
    static std::mutex mutex;
    static std::deque<int> recent;
    std::lock_guard lock(mutex);
    for (int attempt = 0; attempt < 64; ++attempt) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
        socklen_t len = sizeof(addr);
        REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        ::close(fd);
        const int port = ntohs(addr.sin_port);
        if (std::find(recent.begin(), recent.end(), port) != recent.end()) continue;
        recent.push_back(port);
        if (recent.size() > 256) recent.pop_front();
        return port;
    }
    FAIL("no free port that was not handed out recently");
    return 0;
}

/// A private redis-server on 127.0.0.1 without persistence, for tests that
/// flush, kill or restart Redis without disturbing the shared instance.
class RedisServerProcess {
public:
    RedisServerProcess() : port_(free_port()) { start(); }
    ~RedisServerProcess() { kill_now(); }
    RedisServerProcess(const RedisServerProcess&) = delete;
    RedisServerProcess& operator=(const RedisServerProcess&) = delete;

    [[nodiscard]] int port() const { return port_; }

    /// Starts the server on the same port and waits (bounded) until it answers.
    void start() {
        REQUIRE(pid_ <= 0);
        const std::string port = std::to_string(port_);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            const int devnull = ::open("/dev/null", O_WRONLY);
            if (devnull >= 0) {
                ::dup2(devnull, STDOUT_FILENO);
                ::dup2(devnull, STDERR_FILENO);
            }
            ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction",
                     "--loglevel", "warning", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        auto probe =
            redis::Client::create(redis::ClientOptions{"127.0.0.1", port_, 1, 200, 200, 200});
        REQUIRE(probe);
        for (int i = 0; i < 100; ++i) {
            if ((*probe)->command({"PING"})) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("private redis-server did not start on port " << port_);
    }

    /// SIGKILL: a crash, no shutdown save.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    int port_;
    pid_t pid_ = -1;
};

}  // namespace flightbook::testing
