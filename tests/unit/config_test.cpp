// Unit tests of the services' configuration: flag > env > default, typed
// getters with validation, and shutdown-signal handling. No network.
#ifdef FLIGHTBOOK_HAVE_APP_SUPPORT

#include <doctest/doctest.h>

#include <pthread.h>

#include <csignal>
#include <map>
#include <thread>

#include "flightbook/app/config.hpp"
#include "flightbook/app/service_config.hpp"
#include "flightbook/app/shutdown_signals.hpp"

using namespace flightbook;
using namespace flightbook::app;

namespace {

EnvLookup fake_env(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
        auto it = vars.find(std::string(name));
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

Config sample() {
    Config c;
    c.define({"port", "PORT", "8080", "port"});
    c.define({"db-host", "DB_HOST", "127.0.0.1", "host"});
    c.define({"db-password", "DB_PASSWORD", "", "password", true});
    c.define({"verbose", "", "false", "no env variable"});
    return c;
}

}  // namespace

TEST_CASE("config: flag beats env beats default") {
    auto c = sample();
    REQUIRE(c.load({}, fake_env({})).has_value());
    CHECK(c.get_port("port").value() == 8080);
    CHECK(c.source("port") == Source::kDefault);

    REQUIRE(c.load({}, fake_env({{"PORT", "9090"}})).has_value());
    CHECK(c.get_port("port").value() == 9090);
    CHECK(c.source("port") == Source::kEnv);

    REQUIRE(c.load({"--port", "7070"}, fake_env({{"PORT", "9090"}})).has_value());
    CHECK(c.get_port("port").value() == 7070);
    CHECK(c.source("port") == Source::kFlag);

    REQUIRE(
        c.load({"--port=6060", "--db-host=db.local"}, fake_env({{"DB_HOST", "x"}})).has_value());
    CHECK(c.get_port("port").value() == 6060);
    CHECK(c.get_string("db-host").value() == "db.local");

    // The last flag wins; an empty value is a value.
    REQUIRE(c.load({"--port", "1", "--port", "2", "--db-host="}, fake_env({})).has_value());
    CHECK(c.get_port("port").value() == 2);
    CHECK(c.get_string("db-host").value().empty());
    CHECK_FALSE(c.get_required_string("db-host").has_value());

    // Loading again starts from scratch.
    REQUIRE(c.load({}, fake_env({})).has_value());
    CHECK(c.get_port("port").value() == 8080);
}

TEST_CASE("config: unknown flags, missing values and positional arguments are errors") {
    auto c = sample();
    auto unknown = c.load({"--prot", "1"}, fake_env({}));
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().code == ErrorCode::kInvalidArgument);
    CHECK(unknown.error().message.find("--prot") != std::string::npos);
    CHECK_FALSE(c.load({"--port"}, fake_env({})).has_value());
    CHECK_FALSE(c.load({"8080"}, fake_env({})).has_value());
    CHECK_FALSE(c.load({"-p", "1"}, fake_env({})).has_value());
    CHECK_FALSE(c.load({"--"}, fake_env({})).has_value());
    REQUIRE(c.load({"--help"}, fake_env({})).has_value());
    CHECK(c.help_requested());
    CHECK(c.usage("svc").find("--db-host") != std::string::npos);
    CHECK(c.usage("svc").find("DB_HOST") != std::string::npos);
}

TEST_CASE("config: typed getters validate") {
    Config c;
    c.define({"n", "N", "", ""});
    const auto with = [&](std::string v) {
        REQUIRE(c.load({"--n", std::move(v)}, fake_env({})).has_value());
    };
    with("65536");
    CHECK_FALSE(c.get_port("n").has_value());
    with("0");
    CHECK_FALSE(c.get_port("n").has_value());
    CHECK(c.get_port("n", true).value() == 0);
    with("80x");
    CHECK_FALSE(c.get_int("n").has_value());
    with("-3");
    CHECK(c.get_int("n").value() == -3);
    CHECK(c.get_int("n", 1, 10).error().message.find("between 1 and 10") != std::string::npos);
    with("YES");
    CHECK(c.get_bool("n").value());
    with("off");
    CHECK_FALSE(c.get_bool("n").value());
    with("maybe");
    CHECK_FALSE(c.get_bool("n").has_value());
    with("0.15");
    CHECK(c.get_double("n", 0, 1).value() == doctest::Approx(0.15));
    with("1.5");
    CHECK_FALSE(c.get_double("n", 0, 1).has_value());
    with("nan");
    CHECK_FALSE(c.get_double("n", 0, 1).has_value());
    CHECK_FALSE(c.get_string("undeclared").has_value());
}

TEST_CASE("config: secrets are masked in describe()") {
    auto c = sample();
    REQUIRE(c.load({"--db-password", "hunter2"}, fake_env({})).has_value());
    bool found = false;
    for (const auto& line : c.describe()) {
        CHECK(line.find("hunter2") == std::string::npos);
        if (line == "db-password=*** (flag)") found = true;
    }
    CHECK(found);
}

TEST_CASE("service config: SPEC variables map to server, database and redis settings") {
    Config c;
    define_server_settings(c, 8081);
    define_database_settings(c, "bookings");
    define_redis_settings(c);
    define_service_url(c, "flight-service-url", "FLIGHT_SERVICE_URL", "http://127.0.0.1:8080");
    REQUIRE(c.load({"--worker-threads", "4", "--idle-timeout-ms=2500"},
                   fake_env({{"PORT", "9000"},
                             {"FLIGHTBOOK_WORKER_THREADS", "32"},
                             {"FLIGHTBOOK_MAX_BODY_BYTES", "2048"},
                             {"DB_HOST", "db"},
                             {"DB_PORT", "55432"},
                             {"DB_PASSWORD", "it's"},
                             {"REDIS_PORT", "56379"},
                             {"FLIGHTBOOK_SERVICE_TOKEN", "tok"}}))
                .has_value());
    auto server = server_options(c, "booking-service");
    REQUIRE(server.has_value());
    CHECK(server->service_name == "booking-service");
    CHECK(server->port == 9000);
    CHECK(server->worker_threads == 4);  // flag beats FLIGHTBOOK_WORKER_THREADS
    CHECK(server->max_body_bytes == 2048);
    CHECK(server->idle_timeout_ms == 2500);
    CHECK(server->bind_address == "127.0.0.1");
    CHECK(service_token(c) == "tok");

    auto db = database_settings(c);
    REQUIRE(db.has_value());
    CHECK(db->host == "db");
    CHECK(db->port == 55432);
    CHECK(db->name == "bookings");
    CHECK(db->conninfo() ==
          "host='db' port=55432 user='flightbook' password='it\\'s' dbname='bookings'");

    auto redis = redis_settings(c);
    REQUIRE(redis.has_value());
    CHECK(redis->port == 56379);
    CHECK(service_url(c, "flight-service-url").value() == "http://127.0.0.1:8080");

    REQUIRE(c.load({"--worker-threads", "0"}, fake_env({})).has_value());
    CHECK_FALSE(server_options(c, "x").has_value());
    REQUIRE(c.load({"--flight-service-url", "127.0.0.1:8080"}, fake_env({})).has_value());
    CHECK_FALSE(service_url(c, "flight-service-url").has_value());
}

TEST_CASE("shutdown signals: SIGTERM and SIGINT are taken by wait(), request_stop wakes it") {
    {
        ShutdownSignals signals;
        REQUIRE(pthread_kill(pthread_self(), SIGTERM) == 0);  // pending: blocked
        CHECK(signals.wait() == SIGTERM);
        REQUIRE(pthread_kill(pthread_self(), SIGINT) == 0);
        CHECK(signals.wait() == SIGINT);
    }
    {
        ShutdownSignals signals;
        std::thread stopper([&] { signals.request_stop(); });
        CHECK(signals.wait() == 0);
        stopper.join();
    }
}

#endif  // FLIGHTBOOK_HAVE_APP_SUPPORT
